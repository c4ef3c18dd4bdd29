// Events of the momentum_plan workflow. Names are stable strings: stored, shown, audited.
#pragma once

namespace rsoflow::momentum_plan::events {

#define RSOFLOW_EVENT(Type, text)             \
  struct Type {                               \
    static constexpr const char* name = text; \
  }
RSOFLOW_EVENT(Revise, "revise");
RSOFLOW_EVENT(Submit, "submit");
RSOFLOW_EVENT(RequestChanges, "request_changes");
RSOFLOW_EVENT(Approve, "approve");
RSOFLOW_EVENT(Start, "start");
RSOFLOW_EVENT(ReportProgress, "report_progress");
RSOFLOW_EVENT(FlagAtRisk, "flag_at_risk");
RSOFLOW_EVENT(Recover, "recover");
RSOFLOW_EVENT(Lapse, "lapse");
RSOFLOW_EVENT(Complete, "complete");
RSOFLOW_EVENT(Withdraw, "withdraw");
#undef RSOFLOW_EVENT

}  // namespace rsoflow::momentum_plan::events
