// Events of the partnership_initiative workflow. Names are stable strings: stored, shown,
// audited.
#pragma once

#include "workflows/event.h"

namespace rsoflow::partnership_initiative::events {

RSOFLOW_EVENT(Revise, "revise");
RSOFLOW_EVENT(StartReview, "start_review");
RSOFLOW_EVENT(RequestChanges, "request_changes");
RSOFLOW_EVENT(Approve, "approve");
RSOFLOW_EVENT(Decline, "decline");
RSOFLOW_EVENT(Start, "start");
RSOFLOW_EVENT(ReportProgress, "report_progress");
RSOFLOW_EVENT(Pause, "pause");
RSOFLOW_EVENT(RsoSuspended, "rso_suspended");
RSOFLOW_EVENT(Resume, "resume");
RSOFLOW_EVENT(Complete, "complete");
RSOFLOW_EVENT(Cancel, "cancel");

}  // namespace rsoflow::partnership_initiative::events
