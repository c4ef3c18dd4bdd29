#include "workflows/machine_context.h"

namespace rsoflow {

Status CheckPayloadFields(const Json& data, const std::set<std::string>& allowed,
                          const std::string& prefix) {
  if (!data.is_object()) return Status::InvalidRequest("data must be an object", {"data"});
  std::vector<std::string> unknown;
  for (const auto& [key, value] : data.AsObject()) {
    if (allowed.count(key) == 0) unknown.push_back(prefix + key);
  }
  if (unknown.empty()) return Status::Ok();
  std::string names;
  for (const auto& u : unknown) names += (names.empty() ? "" : ", ") + u;
  return Status::InvalidRequest("unknown field(s): " + names, unknown);
}

}  // namespace rsoflow
