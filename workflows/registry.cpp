#include "workflows/registry.h"

#include <memory>

#include "workflows/council_ballot/workflow.h"
#include "workflows/momentum_plan/workflow.h"
#include "workflows/partnership_initiative/workflow.h"
#include "workflows/rso_recognition/workflow.h"

namespace rsoflow {

void RegisterWorkflows(WorkflowRegistry& registry, const WorkflowSettings& settings) {
  registry.Add(std::make_unique<council_ballot::CouncilBallotWorkflow>(settings.council));
  registry.Add(std::make_unique<rso_recognition::RsoRecognitionWorkflow>(settings.council));
  registry.Add(std::make_unique<partnership_initiative::PartnershipInitiativeWorkflow>());
  registry.Add(std::make_unique<momentum_plan::MomentumPlanWorkflow>());
  if (settings.more) settings.more(registry);
}

}  // namespace rsoflow
