// PartnershipInitiativeWorkflow: the `partnership_initiative` workflow (DESIGN 4.3), one
// instance per cooperation with a recognized RSO. Create and the payload rules live in
// workflow.cpp; the machine and the metadata in machine.cpp (the only file that includes MSM
// for it).
//
// Thread-safety: immutable after construction.
#pragma once

#include "engine/workflow.h"
#include "workflows/machine_workflow.h"

namespace rsoflow {
struct MetaSpec;
}

namespace rsoflow::partnership_initiative {

class PartnershipInitiativeWorkflow final : public MachineWorkflow {
 public:
  PartnershipInitiativeWorkflow();
  // Needs a recognized RSO (guard_failed otherwise) and valid fields; an iso_event_id must
  // name an ISO event that lists the RSO (see IsoEventProblems).
  Result<CreateOutcome> Create(const CreateRequest& request) const override;

 protected:
  // revise: the initiative's fields, checked with the instance's (ValidateFields).
  Status CheckPayload(const FireRequest& request) const override;
};

// The machine (machine.cpp).
MachineDefinition Machine();

// The names of the workflow, its states, its events and its own guards' reason codes, in
// English and Russian (labels.cpp; Russian terms from the policy's Russian text).
void AddLabels(MetaSpec* spec);

// When `fields` set an iso_event_id for an initiative of RSO `rso_id`: InvalidRequest naming
// `field` when it names no ISO event `caller` may see (rso::FindIsoEvent), otherwise the guard
// reasons against the link (the event does not list the RSO). Empty when nothing is wrong.
Result<std::vector<Reason>> IsoEventProblems(WorkflowEnv& env, const Json& fields,
                                             const std::string& field, const Actor& caller,
                                             const std::string& rso_id);

}  // namespace rsoflow::partnership_initiative
