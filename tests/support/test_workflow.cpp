#include "tests/support/test_workflow.h"

namespace rsoflow::testing {

CounterWorkflow::CounterWorkflow() {
  meta_.name = "counter";
  meta_.title = "Counter (tests)";
  meta_.initial_state = "idle";
  meta_.reason_labels = {{"asked_to_fail", {"Asked to fail", "Отказ по просьбе теста"}}};
  meta_.create_roles = {"secretariat", "rso_liaison", "system"};
  meta_.states = {{"idle", false}, {"counting", false}, {"rung", false}, {"done", true}};
  meta_.events = {{"bump", {"secretariat", "rso_liaison", "system"}},
                  {"ring", {"system"}},
                  {"finish", {"secretariat"}}};
  meta_.transitions = {
      {"idle", "bump", "counting", {"secretariat", "rso_liaison", "system"}, ""},
      {"counting", "bump", "counting", {"secretariat", "rso_liaison", "system"}, ""},
      {"counting", "ring", "rung", {"system"}, ""},
      {"counting", "finish", "done", {"secretariat"}, ""}};
}

Result<CreateOutcome> CounterWorkflow::Create(const CreateRequest& req) const {
  CreateOutcome out;
  out.title = req.data.GetString("title", "counter");
  out.data.Set("count", 0);
  return out;
}

Result<FireOutcome> CounterWorkflow::Fire(const FireRequest& req) const {
  FireOutcome out;
  out.data = req.instance.data;
  if (req.event == "bump") {
    if (req.data.GetBool("fail")) return Status::GuardFailed({{"asked_to_fail", "asked to fail"}});
    out.to_state = "counting";
    out.data.Set("count", out.data.GetInt("count") + 1);
    if (const Json* f = req.data.Get("follow_up")) {
      FollowUp fu;
      fu.instance_id = f->GetInt("id");
      fu.event = f->GetString("event");
      if (const Json* d = f->Get("data")) fu.data = *d;
      out.effects.follow_ups.push_back(std::move(fu));
    }
    if (req.data.Has("arm_at")) {
      out.effects.set_timers.push_back(TimerSpec{"alarm", req.data.GetInt("arm_at"), "ring"});
    }
    // A ring answered unavailable (as a machine that cannot restore its stored state answers)
    // until a bump clears it.
    if (req.data.Has("ring_unavailable")) {
      out.data.Set("ring_unavailable", req.data.GetBool("ring_unavailable"));
    }
    // A ring answered as a passing storage failure (a full disk) until a bump clears it.
    if (req.data.Has("ring_storage_failure")) {
      out.data.Set("ring_storage_failure", req.data.GetBool("ring_storage_failure"));
    }
    if (req.data.Has("arm2_at")) {
      out.effects.set_timers.push_back(TimerSpec{"alarm2", req.data.GetInt("arm2_at"), "ring"});
    }
  } else if (req.event == "ring") {
    if (req.instance.data.GetBool("ring_unavailable")) {
      return Status::Undecidable("the ring cannot be decided now (test)");
    }
    if (req.instance.data.GetBool("ring_storage_failure")) {
      return Status::Unavailable("disk full (test)");
    }
    out.to_state = "rung";
    out.data.Set("rung_at", req.now);
  } else {
    out.to_state = "done";
  }
  return out;
}

}  // namespace rsoflow::testing
