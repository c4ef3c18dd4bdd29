// Small helpers for lists of strings (roles, user ids, state names), used by the engine, the
// workflows and the API alike.
//
// Thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "engine/json.h"

namespace rsoflow {

inline bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// ["a","b",...] as a JSON array.
inline Json StringArray(const std::vector<std::string>& v) {
  Json a = Json::MakeArray();
  for (const auto& s : v) a.Push(s);
  return a;
}

}  // namespace rsoflow
