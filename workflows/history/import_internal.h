// What check.cpp and apply.cpp of the historical import share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "workflows/council_ballot/session_decision.h"

namespace rsoflow::history {

using council_ballot::ParseResolutionNumber;  // "N/YYYY" (session_decision.h)

// "rsos[3]": how errors name the object at `index` of `section`.
std::string PathOf(const std::string& section, size_t index);

}  // namespace rsoflow::history
