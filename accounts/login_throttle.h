// LoginThrottle: slows password guessing (DESIGN 5, issue 17 finding 5) without letting one
// address lock a user out everywhere. Three counters, each of failures within a window:
//   (username, address)  5 failures lock that pair out for 15 minutes: one address guessing
//                        one user stops there, and the user logs in from any other address;
//   address              20 failures (any usernames) lock the address out for 15 minutes;
//   username             from 10 failures within a day, from all addresses together, each
//                        further attempt waits a back-off after the last failure: 1 s, doubling
//                        with each failure, at most 60 s. A guess spread over many addresses is
//                        slowed to at most one a minute, and the user, who shares that back-off,
//                        waits at most a minute, never a lock-out.
// A locked or backed-off key answers 429 with Retry-After before any password is checked. A
// success clears its pair (the username's count only decays: it is what the account meets).
// An attempt whose password is still being checked (PBKDF2 takes a good fraction of a second)
// counts against every limit as a failure would until it ends, so guesses sent in parallel
// cannot all pass the check before the first failure is recorded; from the username's
// back-off on, one attempt for it at a time. Time comes from the injected Clock (FakeClock).
//
// Thread-safety: thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "engine/clock.h"

namespace rsoflow::accounts {

struct ThrottleLimits {
  int failures_per_pair = 5;  // one username from one address
  int failures_per_address = 20;
  int64_t window_ms = 15 * 60 * 1000;
  int64_t lockout_ms = 15 * 60 * 1000;
  // The username's back-off, over every address.
  int username_backoff_after = 10;
  int64_t username_window_ms = 24 * 3600 * 1000;
  int64_t username_backoff_first_ms = 1000;
  int64_t username_backoff_max_ms = 60 * 1000;
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
    int64_t last_failure = 0;
  };
  // The failures within `window`, after the window has moved on.
  static int Failures(Counter& c, int64_t now, int64_t window);
  // The wait the username's back-off asks of the next attempt (0: none).
  int64_t BackoffMs(Counter& user, int64_t now) const;
  void Lock(Counter& c, int limit, int64_t now);
  void EndAttempt(const std::string& username, const std::string& address);
  void Prune(int64_t now);
  static std::string PairKey(const std::string& username, const std::string& address);

  const Clock& clock_;
  const ThrottleLimits limits_;
  std::mutex mu_;
  std::map<std::string, Counter> by_pair_;
  std::map<std::string, Counter> by_address_;
  std::map<std::string, Counter> by_username_;
};

// Ends an attempt LoginThrottle::Begin let through as abandoned unless a verdict ended it: an
// attempt left in flight (an early return, an exception) would count against the limits for
// ever.
class AttemptInFlight {
 public:
  AttemptInFlight(LoginThrottle& throttle, const std::string& username, const std::string& address)
      : throttle_(throttle), username_(username), address_(address) {}
  ~AttemptInFlight() {
    if (!ended_) throttle_.Abandoned(username_, address_);
  }
  AttemptInFlight(const AttemptInFlight&) = delete;
  AttemptInFlight& operator=(const AttemptInFlight&) = delete;
  void Failed() {
    ended_ = true;
    throttle_.Failed(username_, address_);
  }
  void Succeeded() {
    ended_ = true;
    throttle_.Succeeded(username_, address_);
  }

 private:
  LoginThrottle& throttle_;
  const std::string& username_;
  const std::string& address_;
  bool ended_ = false;
};

}  // namespace rsoflow::accounts
