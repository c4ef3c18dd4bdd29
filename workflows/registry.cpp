#include "workflows/registry.h"

#include <memory>

#include "workflows/council_ballot/workflow.h"

namespace rsoflow {

void RegisterWorkflows(WorkflowRegistry& registry) {
  registry.Add(std::make_unique<council_ballot::CouncilBallotWorkflow>());
}

}  // namespace rsoflow
