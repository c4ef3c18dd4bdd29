// Events of the tally workflow (a test-only workflow). Names are stable strings.
#pragma once

#include "workflows/event.h"

namespace rsoflow::tally::events {

RSOFLOW_EVENT(Add, "add");
RSOFLOW_EVENT(Pause, "pause");
RSOFLOW_EVENT(Resume, "resume");
RSOFLOW_EVENT(Close, "close");
RSOFLOW_EVENT(Cancel, "cancel");

}  // namespace rsoflow::tally::events
