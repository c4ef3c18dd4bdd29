// MomentumPlanWorkflow: the `momentum_plan` workflow (DESIGN 4.4), a recognized RSO's plan to
// keep the momentum after an ISO event that has ended. Create and the inbox's overdue rule
// live in workflow.cpp; Fire and the metadata in machine.cpp (the only file that includes MSM
// for it).
//
// Thread-safety: immutable after construction.
#pragma once

#include "engine/workflow.h"

namespace rsoflow {
struct MetaSpec;
}

namespace rsoflow::momentum_plan {

class MomentumPlanWorkflow final : public Workflow {
 public:
  MomentumPlanWorkflow();
  const WorkflowMeta& Meta() const override { return meta_; }
  // Needs an ISO event that has ended and lists the RSO, and a recognized RSO (guard_failed
  // otherwise); an event the caller may not see is no event (rso::FindIsoEvent). An
  // initiative_id must name an initiative of the same RSO.
  Result<CreateOutcome> Create(const CreateRequest& request) const override;
  Result<FireOutcome> Fire(const FireRequest& request) const override;
  // Overdue when at risk (an action is past due), when its earliest timer is due, or when it
  // is still drafting 30 days after the event ended.
  bool IsOverdue(const Instance& instance, int64_t now) const override;

 private:
  WorkflowMeta meta_;
};

// The names of the workflow, its states, its events and its own guards' reason codes, in
// English and Russian (labels.cpp; Russian terms from the policy's Russian text).
void AddLabels(MetaSpec* spec);
WorkflowMeta BuildMeta();

}  // namespace rsoflow::momentum_plan
