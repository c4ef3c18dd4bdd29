#include "api/metrics.h"

#include <set>
#include <sstream>

namespace rsoflow::api {
namespace {

const std::string kOtherMethod = "other";

// Label values are our own route patterns and method names; escape anyway.
std::string Label(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

void Metrics::Observe(const std::string& method, const std::string& route, int status,
                      double seconds) {
  // The method is the client's word (Poco takes any token): one a client makes up is counted
  // as "other", so nobody can add series to /metrics, or memory to this map, without end.
  static const std::set<std::string> kMethods = {"GET",    "HEAD",    "POST",  "PUT",    "PATCH",
                                                 "DELETE", "OPTIONS", "TRACE", "CONNECT"};
  const std::string& label = kMethods.count(method) > 0 ? method : kOtherMethod;
  std::lock_guard<std::mutex> lock(mu_);
  requests_[{label, route, status}] += 1;
  Histogram& h = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) h.buckets[i] += 1;
  }
  h.count += 1;
  h.sum += seconds;
}

std::string Metrics::Render(const EngineStats& e) const {
  std::ostringstream out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    out << "# HELP rsoflow_http_requests_total HTTP requests by method, route and status.\n"
        << "# TYPE rsoflow_http_requests_total counter\n";
    for (const auto& [key, n] : requests_) {
      out << "rsoflow_http_requests_total{method=\"" << Label(std::get<0>(key)) << "\",route=\""
          << Label(std::get<1>(key)) << "\",status=\"" << std::get<2>(key) << "\"} " << n << "\n";
    }
    out << "# HELP rsoflow_http_request_duration_seconds Request latency by route.\n"
        << "# TYPE rsoflow_http_request_duration_seconds histogram\n";
    for (const auto& [route, h] : latency_) {
      const std::string r = Label(route);
      for (size_t i = 0; i < kBuckets.size(); ++i) {
        out << "rsoflow_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\""
            << kBuckets[i] << "\"} " << h.buckets[i] << "\n";
      }
      out << "rsoflow_http_request_duration_seconds_bucket{route=\"" << r << "\",le=\"+Inf\"} "
          << h.count << "\n"
          << "rsoflow_http_request_duration_seconds_sum{route=\"" << r << "\"} " << h.sum << "\n"
          << "rsoflow_http_request_duration_seconds_count{route=\"" << r << "\"} " << h.count
          << "\n";
    }
  }
  out << "# HELP rsoflow_commands_committed_total Commands and write jobs committed.\n"
      << "# TYPE rsoflow_commands_committed_total counter\n"
      << "rsoflow_commands_committed_total " << e.commands_committed << "\n"
      << "# HELP rsoflow_commands_refused_total Commands and write jobs refused.\n"
      << "# TYPE rsoflow_commands_refused_total counter\n"
      << "rsoflow_commands_refused_total " << e.commands_refused << "\n"
      << "# HELP rsoflow_group_commit_batches_total Group commits (one fsync each).\n"
      << "# TYPE rsoflow_group_commit_batches_total counter\n"
      << "rsoflow_group_commit_batches_total " << e.batches << "\n"
      << "# HELP rsoflow_group_commit_items_total Items committed in group commits.\n"
      << "# TYPE rsoflow_group_commit_items_total counter\n"
      << "rsoflow_group_commit_items_total " << e.batched_items << "\n"
      << "# HELP rsoflow_group_commit_batch_size_mean Mean items per group commit.\n"
      << "# TYPE rsoflow_group_commit_batch_size_mean gauge\n"
      << "rsoflow_group_commit_batch_size_mean "
      << (e.batches ? static_cast<double>(e.batched_items) / static_cast<double>(e.batches) : 0.0)
      << "\n"
      << "# HELP rsoflow_commit_failures_total Group commits that failed to begin or commit (a "
         "storage error); their commands were answered 503 and nothing of them was kept.\n"
      << "# TYPE rsoflow_commit_failures_total counter\n"
      << "rsoflow_commit_failures_total " << e.commit_failures << "\n"
      << "# HELP rsoflow_command_answers_total Commands whose caller waited for the answer, by "
         "how it waited: polling (answered within its poll, without sleeping) or sleeping.\n"
      << "# TYPE rsoflow_command_answers_total counter\n"
      << "rsoflow_command_answers_total{waited=\"polling\"} " << e.answers_polled << "\n"
      << "rsoflow_command_answers_total{waited=\"sleeping\"} " << e.answers_slept << "\n"
      << "# HELP rsoflow_audit_head_seq The seq of the last audit entry.\n"
      << "# TYPE rsoflow_audit_head_seq gauge\n"
      << "rsoflow_audit_head_seq " << e.audit_head_seq << "\n";
  return out.str();
}

}  // namespace rsoflow::api
