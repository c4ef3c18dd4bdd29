// LoginThrottle: slows password guessing (DESIGN 5). Failed logins are counted per username
// and per client address within a window; reaching the limit locks that key out for a while,
// and a locked key answers 429 with Retry-After before any password is checked. A successful
// login clears its username's count. An attempt whose password is still being checked (PBKDF2
// takes a good fraction of a second) counts against the limits as a failure would until it
// ends, so guesses sent in parallel cannot all pass the check before the first failure is
// recorded. Time comes from the injected Clock (tests use FakeClock).
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

  // Before a password is checked: 0 lets the attempt proceed, counted as in flight until
  // exactly one of Failed, Succeeded or Abandoned ends it; otherwise the seconds to wait (>= 1)
  // and nothing is counted. With as many attempts in flight (plus failures) as a limit allows,
  // the next waits a second for one of them to end.
  int64_t Begin(const std::string& username, const std::string& address);
  void Failed(const std::string& username, const std::string& address);
  void Succeeded(const std::string& username, const std::string& address);
  // Ended without a verdict on the password (a storage failure): counted as neither.
  void Abandoned(const std::string& username, const std::string& address);

 private:
  struct Counter {
    int failures = 0;
    int in_flight = 0;
    int64_t window_start = 0;
    int64_t locked_until = 0;
  };
  // The failures within the window, after the window has moved on.
  int Failures(Counter& c, int64_t now) const;
  void Count(std::map<std::string, Counter>& counters, const std::string& key, int limit,
             int64_t now);
  void EndAttempt(const std::string& username, const std::string& address);
  void Prune(int64_t now);

  const Clock& clock_;
  const ThrottleLimits limits_;
  std::mutex mu_;
  std::map<std::string, Counter> by_username_;
  std::map<std::string, Counter> by_address_;
};

}  // namespace rsoflow::api
