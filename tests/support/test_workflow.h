// CounterWorkflow: a small workflow for engine tests, written without MSM so engine behaviour
// (choke point, idempotency, follow-ups, timers, concurrency, crashes) is tested apart from
// any real workflow.
//
//   idle     --bump-->    counting   S, L, sys   data.fail=true -> guard_failed "asked to fail"
//   counting --bump-->    counting   S, L, sys   increments data.count; data.follow_up {id,event}
//                                            adds a follow-up; data.arm_at (ms) sets timer
//                                            "alarm" firing `ring` (arm2_at: "alarm2")
//   counting --ring-->    rung       system
//   counting --finish-->  done       S       terminal
#pragma once

#include "engine/workflow.h"
#include "engine/workflow_registry.h"

namespace rsoflow::testing {

class CounterWorkflow final : public Workflow {
 public:
  CounterWorkflow();
  const WorkflowMeta& Meta() const override { return meta_; }
  Result<CreateOutcome> Create(const CreateRequest& request) const override;
  Result<FireOutcome> Fire(const FireRequest& request) const override;

 private:
  WorkflowMeta meta_;
};

}  // namespace rsoflow::testing
