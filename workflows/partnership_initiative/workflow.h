// PartnershipInitiativeWorkflow: the `partnership_initiative` workflow (DESIGN 4.3), one
// instance per cooperation with a recognized RSO. Create lives in workflow.cpp; Fire and the
// metadata in machine.cpp (the only file that includes MSM for it).
//
// Thread-safety: immutable after construction.
#pragma once

#include "engine/workflow.h"

namespace rsoflow {
struct MetaSpec;
}

namespace rsoflow::partnership_initiative {

class PartnershipInitiativeWorkflow final : public Workflow {
 public:
  PartnershipInitiativeWorkflow();
  const WorkflowMeta& Meta() const override { return meta_; }
  // Needs a recognized RSO (guard_failed otherwise) and valid fields; an iso_event_id must
  // name an ISO event that lists the RSO (see IsoEventProblems).
  Result<CreateOutcome> Create(const CreateRequest& request) const override;
  Result<FireOutcome> Fire(const FireRequest& request) const override;

 private:
  WorkflowMeta meta_;
};

// The names of the workflow, its states, its events and its own guards' reason codes, in
// English and Russian (labels.cpp; Russian terms from the policy's Russian text).
void AddLabels(MetaSpec* spec);
WorkflowMeta BuildMeta();

// When `fields` set an iso_event_id for an initiative of RSO `rso_id`: InvalidRequest naming
// `field` when it names no ISO event `caller` may see (rso::FindIsoEvent), otherwise the guard
// reasons against the link (the event does not list the RSO). Empty when nothing is wrong.
Result<std::vector<Reason>> IsoEventProblems(WorkflowEnv& env, const Json& fields,
                                             const std::string& field, const Actor& caller,
                                             const std::string& rso_id);

}  // namespace rsoflow::partnership_initiative
