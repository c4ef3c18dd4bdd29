// Events of the council_ballot workflow. Names are stable strings: stored, shown, audited.
#pragma once

#include "workflows/event.h"

namespace rsoflow::council_ballot::events {

RSOFLOW_EVENT(Vote, "vote");
RSOFLOW_EVENT(Recuse, "recuse");
RSOFLOW_EVENT(Extend, "extend");
RSOFLOW_EVENT(Close, "close");
RSOFLOW_EVENT(Cancel, "cancel");

}  // namespace rsoflow::council_ballot::events
