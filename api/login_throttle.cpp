#include "api/login_throttle.h"

#include <algorithm>

namespace rsoflow::api {

LoginThrottle::LoginThrottle(const Clock& clock, ThrottleLimits limits)
    : clock_(clock), limits_(limits) {}

int64_t LoginThrottle::RetryAfterSeconds(const std::string& username, const std::string& address) {
  const int64_t now = clock_.NowMs();
  std::lock_guard<std::mutex> lock(mu_);
  int64_t until = 0;
  if (auto it = by_username_.find(username); it != by_username_.end()) {
    until = std::max(until, it->second.locked_until);
  }
  if (auto it = by_address_.find(address); it != by_address_.end()) {
    until = std::max(until, it->second.locked_until);
  }
  if (until <= now) return 0;
  return (until - now + 999) / 1000;
}

void LoginThrottle::Count(std::map<std::string, Counter>& counters, const std::string& key,
                          int limit, int64_t now) {
  Counter& c = counters[key];
  if (now - c.window_start >= limits_.window_ms) {
    c.failures = 0;
    c.window_start = now;
  }
  if (++c.failures >= limit) {
    c.locked_until = now + limits_.lockout_ms;
    c.failures = 0;
    c.window_start = now;
  }
}

void LoginThrottle::Failed(const std::string& username, const std::string& address) {
  const int64_t now = clock_.NowMs();
  std::lock_guard<std::mutex> lock(mu_);
  Prune(now);
  Count(by_username_, username, limits_.failures_per_username, now);
  Count(by_address_, address, limits_.failures_per_address, now);
}

void LoginThrottle::Succeeded(const std::string& username) {
  std::lock_guard<std::mutex> lock(mu_);
  by_username_.erase(username);
}

// Keeps memory bounded under a spray of usernames: forgets counters that can no longer matter.
void LoginThrottle::Prune(int64_t now) {
  for (auto* counters : {&by_username_, &by_address_}) {
    if (counters->size() < 10000) continue;
    for (auto it = counters->begin(); it != counters->end();) {
      const bool stale =
          it->second.locked_until <= now && now - it->second.window_start >= limits_.window_ms;
      it = stale ? counters->erase(it) : std::next(it);
    }
  }
}

}  // namespace rsoflow::api
