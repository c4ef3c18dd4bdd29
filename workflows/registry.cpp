#include "workflows/registry.h"

#include <memory>

#include "workflows/council_ballot/workflow.h"
#include "workflows/rso_recognition/workflow.h"

namespace rsoflow {

void RegisterWorkflows(WorkflowRegistry& registry) {
  registry.Add(std::make_unique<council_ballot::CouncilBallotWorkflow>());
  registry.Add(std::make_unique<rso_recognition::RsoRecognitionWorkflow>());
}

}  // namespace rsoflow
