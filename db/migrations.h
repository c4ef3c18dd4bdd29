// The numbered schema migrations (db/migrations/NNNN_name.sql), embedded at build time.
// Applied in order at start-up inside one transaction each; schema_version records the last.
#pragma once

#include <string>
#include <vector>

namespace rsoflow::db {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

const std::vector<Migration>& Migrations();

}  // namespace rsoflow::db
