// LoginThrottle: slows password guessing (DESIGN 5). Failed logins are counted per username
// and per client address within a window; reaching the limit locks that key out for a while,
// and a locked key answers 429 with Retry-After before any password is checked. A successful
// login clears its username's count. Time comes from the injected Clock (tests use FakeClock).
//
// Thread-safety: thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "engine/clock.h"

namespace rsoflow::api {

struct ThrottleLimits {
  int failures_per_username = 5;
  int failures_per_address = 20;
  int64_t window_ms = 15 * 60 * 1000;
  int64_t lockout_ms = 15 * 60 * 1000;
};

class LoginThrottle {
 public:
  explicit LoginThrottle(const Clock& clock, ThrottleLimits limits = {});

  // 0 when an attempt may proceed, otherwise the seconds to wait (>= 1).
  int64_t RetryAfterSeconds(const std::string& username, const std::string& address);
  void Failed(const std::string& username, const std::string& address);
  void Succeeded(const std::string& username);

 private:
  struct Counter {
    int failures = 0;
    int64_t window_start = 0;
    int64_t locked_until = 0;
  };
  void Count(std::map<std::string, Counter>& counters, const std::string& key, int limit,
             int64_t now);
  void Prune(int64_t now);

  const Clock& clock_;
  const ThrottleLimits limits_;
  std::mutex mu_;
  std::map<std::string, Counter> by_username_;
  std::map<std::string, Counter> by_address_;
};

}  // namespace rsoflow::api
