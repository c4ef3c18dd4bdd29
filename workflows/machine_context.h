// MachineContext: what a workflow machine's guards read and its actions write while one event
// is processed: the request, the instance's new data, the effects (timers, follow-ups), and
// why it refused. Shared by every workflow; no MSM here.
//
// Thread-safety: one context per command, used by one thread.
#pragma once

#include <string>
#include <vector>

#include "engine/workflow.h"

namespace rsoflow {

struct MachineContext {
  const FireRequest* request = nullptr;
  Json data;
  Effects effects;
  Status refusal;                        // the first specific refusal (e.g. already_voted)
  std::vector<rsoflow::Reason> reasons;  // guard reasons, deduplicated, for guard_failed
  Status failure;                        // an action that could not complete (storage)

  void Refuse(Status s) {
    if (refusal.ok()) refusal = std::move(s);
  }
  // Records an unmet precondition: its stable code (listed in the workflow's labels) and
  // the sentence for people.
  void Reason(const char* code, const std::string& text) {
    for (const auto& x : reasons) {
      if (x.text == text) return;
    }
    reasons.push_back(rsoflow::Reason{code, text});
  }
  void Reason(const rsoflow::Reason& r) { Reason(r.code.c_str(), r.text); }
  // Records a storage failure of an action; the command then fails whole.
  void Fail(const Status& s) {
    if (failure.ok()) failure = s;
  }
};

}  // namespace rsoflow
