// What check.cpp and apply.cpp of the historical import share.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

namespace rsoflow::history {

// "N/YYYY" (N from 1 to 999999, leading zeros allowed; YYYY from 1900): N and YYYY.
std::optional<std::pair<int64_t, int>> ParseResolutionNumber(const std::string& text);

// "rsos[3]": how errors name the object at `index` of `section`.
std::string PathOf(const std::string& section, size_t index);

}  // namespace rsoflow::history
