// MomentumPlanWorkflow: the `momentum_plan` workflow (DESIGN 4.4), a recognized RSO's plan to
// keep the momentum after an ISO event, drafted as soon as the event is registered. Create,
// the payload rules and the inbox's overdue rule live in workflow.cpp; the machine and the
// metadata in machine.cpp (the only file that includes MSM for it).
//
// Thread-safety: immutable after construction.
#pragma once

#include "engine/workflow.h"
#include "workflows/machine_workflow.h"

namespace rsoflow {
struct MetaSpec;
}

namespace rsoflow::momentum_plan {

class MomentumPlanWorkflow final : public MachineWorkflow {
 public:
  MomentumPlanWorkflow();
  // Needs an ISO event that lists the RSO (it may not have ended yet: DESIGN 8) and a
  // recognized RSO (guard_failed otherwise); an event the caller may not see is no event
  // (rso::FindIsoEvent). An initiative_id must name an initiative of the same RSO.
  Result<CreateOutcome> Create(const CreateRequest& request) const override;
  // Overdue when at risk (an action is past due), when its earliest timer is due, or when it
  // is still drafting 30 days after the event ended.
  bool IsOverdue(const Instance& instance, int64_t now) const override;
  bool OverdueOnlyWhenDue() const override { return false; }
};

// The machine (machine.cpp).
MachineDefinition Machine();

// The names of the workflow, its states, its events and its own guards' reason codes, in
// English and Russian (labels.cpp; Russian terms from the policy's Russian text).
void AddLabels(MetaSpec* spec);

}  // namespace rsoflow::momentum_plan
