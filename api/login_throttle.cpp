#include "api/login_throttle.h"

#include <algorithm>

namespace rsoflow::api {

LoginThrottle::LoginThrottle(const Clock& clock, ThrottleLimits limits)
    : clock_(clock), limits_(limits) {}

int LoginThrottle::Failures(Counter& c, int64_t now) const {
  if (now - c.window_start >= limits_.window_ms) {
    c.failures = 0;
    c.window_start = now;
  }
  return c.failures;
}

int64_t LoginThrottle::Begin(const std::string& username, const std::string& address) {
  const int64_t now = clock_.NowMs();
  std::lock_guard<std::mutex> lock(mu_);
  Prune(now);
  Counter& user = by_username_[username];
  Counter& from = by_address_[address];
  const int64_t until = std::max(user.locked_until, from.locked_until);
  if (until > now) return (until - now + 999) / 1000;
  if (Failures(user, now) + user.in_flight >= limits_.failures_per_username ||
      Failures(from, now) + from.in_flight >= limits_.failures_per_address) {
    return 1;  // the attempts in flight may use up the limit: wait for one of them to end
  }
  user.in_flight += 1;
  from.in_flight += 1;
  return 0;
}

void LoginThrottle::EndAttempt(const std::string& username, const std::string& address) {
  for (auto [counters, key] : {std::pair{&by_username_, &username}, {&by_address_, &address}}) {
    if (auto it = counters->find(*key); it != counters->end() && it->second.in_flight > 0) {
      it->second.in_flight -= 1;
    }
  }
}

void LoginThrottle::Count(std::map<std::string, Counter>& counters, const std::string& key,
                          int limit, int64_t now) {
  Counter& c = counters[key];
  Failures(c, now);
  if (++c.failures >= limit) {
    c.locked_until = now + limits_.lockout_ms;
    c.failures = 0;
    c.window_start = now;
  }
}

void LoginThrottle::Failed(const std::string& username, const std::string& address) {
  const int64_t now = clock_.NowMs();
  std::lock_guard<std::mutex> lock(mu_);
  EndAttempt(username, address);
  Count(by_username_, username, limits_.failures_per_username, now);
  Count(by_address_, address, limits_.failures_per_address, now);
}

void LoginThrottle::Succeeded(const std::string& username, const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  EndAttempt(username, address);
  Counter& user = by_username_[username];
  user.failures = 0;
  user.locked_until = 0;
}

void LoginThrottle::Abandoned(const std::string& username, const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  EndAttempt(username, address);
}

// Keeps memory bounded under a spray of usernames: forgets counters that can no longer matter.
void LoginThrottle::Prune(int64_t now) {
  for (auto* counters : {&by_username_, &by_address_}) {
    if (counters->size() < 10000) continue;
    for (auto it = counters->begin(); it != counters->end();) {
      const bool stale = it->second.in_flight == 0 && it->second.locked_until <= now &&
                         now - it->second.window_start >= limits_.window_ms;
      it = stale ? counters->erase(it) : std::next(it);
    }
  }
}

}  // namespace rsoflow::api
