// Internal to SqliteStore's files (db/sqlite_*.cpp): conversions more than one concern's rows
// need.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/connection.h"
#include "engine/instance.h"
#include "engine/json.h"

namespace rsoflow::db {

inline Json ParseStoredJson(const std::string& text) {
  auto parsed = ParseJson(text, nullptr, 256);
  if (!parsed) return Json();
  return std::move(*parsed);  // not `parsed ? *parsed : ...`, which copies the whole tree
}

// A store id (decimal text) as its row id; -1, which matches no row, when it is not one.
// A JSON array of texts as stored (a user's affiliations, a webhook's events); other
// entries are skipped.
inline std::vector<std::string> StringsFromJson(const std::string& text) {
  std::vector<std::string> out;
  Json j = ParseStoredJson(text);
  if (j.is_array()) {
    for (const auto& e : j.AsArray()) {
      if (e.is_string()) out.push_back(e.AsString());
    }
  }
  return out;
}

inline int64_t ToId(const std::string& id) {
  try {
    size_t used = 0;
    int64_t v = std::stoll(id, &used);
    return used == id.size() ? v : -1;
  } catch (...) {
    return -1;
  }
}

// A row of the instance columns (db/sql.h RSOFLOW_INSTANCE_COLUMNS) as an Instance.
Instance ReadInstanceRow(const Statement& s);

inline int64_t ReadInt(const Statement& s) { return s.Int(0); }
inline std::optional<int64_t> ReadOptionalInt(const Statement& s) { return s.OptionalInt(0); }

}  // namespace rsoflow::db
