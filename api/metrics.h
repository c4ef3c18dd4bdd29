// Metrics: request counters and latency histograms per route, rendered in the Prometheus text
// format together with the engine's counters (commands committed and refused, group-commit
// batches and their mean size) and the audit head seq.
//
// Thread-safety: thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "engine/engine.h"

namespace rsoflow::api {

class Metrics {
 public:
  // `route` is the routing table's pattern (bounded cardinality), never the raw path.
  void Observe(const std::string& method, const std::string& route, int status, double seconds);
  std::string Render(const EngineStats& engine) const;

 private:
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> latency_;  // by route
};

}  // namespace rsoflow::api
