// bench/scale's database builder (bench/scale_build.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/sqlite_store.h"

namespace rsoflow::bench {

struct ScaleOptions {
  int64_t instances = 1'000'000;
};

struct ScaleCounts {
  int64_t rsos = 0;
  int64_t audit_entries = 0;
  int64_t open = 0;
};

// Writes opt.instances instances (the first ones RSO recognitions, one per RSO record) with
// their audit entries, continuing the store's audit chain. council_ids: the electorate of
// every ballot. The caller holds no transaction.
Status BuildScaleDatabase(db::SqliteStore& store, const ScaleOptions& opt,
                          const std::vector<std::string>& council_ids, ScaleCounts* counts);

}  // namespace rsoflow::bench
