// Events of the momentum_plan workflow. Names are stable strings: stored, shown, audited.
#pragma once

#include "workflows/event.h"

namespace rsoflow::momentum_plan::events {

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

}  // namespace rsoflow::momentum_plan::events
