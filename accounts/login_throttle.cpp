#include "accounts/login_throttle.h"

#include <algorithm>

namespace rsoflow::accounts {

LoginThrottle::LoginThrottle(const Clock& clock, ThrottleLimits limits)
    : clock_(clock), limits_(limits) {}

// A username may hold a "\n" or any byte: the pair's key keeps the two parts apart by the
// username's length, so no (username, address) pair reads as another.
std::string LoginThrottle::PairKey(const std::string& username, const std::string& address) {
  return std::to_string(username.size()) + ":" + username + address;
}

int LoginThrottle::Failures(Counter& c, int64_t now, int64_t window) {
  if (now - c.window_start >= window) {
    c.failures = 0;
    c.window_start = now;
  }
  return c.failures;
}

int64_t LoginThrottle::BackoffMs(Counter& user, int64_t now) const {
  const int over = Failures(user, now, limits_.username_window_ms) - limits_.username_backoff_after;
  if (over < 0) return 0;
  int64_t delay = limits_.username_backoff_first_ms;
  for (int i = 0; i < over && delay < limits_.username_backoff_max_ms; ++i) delay *= 2;
  delay = std::min(delay, limits_.username_backoff_max_ms);
  return std::max<int64_t>(0, user.last_failure + delay - now);
}

int64_t LoginThrottle::Begin(const std::string& username, const std::string& address) {
  const int64_t now = clock_.NowMs();
  std::lock_guard<std::mutex> lock(mu_);
  Prune(now);
  Counter& pair = by_pair_[PairKey(username, address)];
  Counter& from = by_address_[address];
  Counter& user = by_username_[username];
  const int64_t until = std::max(pair.locked_until, from.locked_until);
  if (until > now) return (until - now + 999) / 1000;
  if (Failures(pair, now, limits_.window_ms) + pair.in_flight >= limits_.failures_per_pair ||
      Failures(from, now, limits_.window_ms) + from.in_flight >= limits_.failures_per_address) {
    return 1;  // the attempts in flight may use up the limit: wait for one of them to end
  }
  if (Failures(user, now, limits_.username_window_ms) + user.in_flight >=
      limits_.username_backoff_after) {
    // From the back-off on, one attempt at a time, each after the back-off: attempts sent in
    // parallel from many addresses would otherwise all pass before the next failure counts.
    if (user.in_flight > 0) return 1;
    if (const int64_t wait = BackoffMs(user, now); wait > 0) return (wait + 999) / 1000;
  }
  pair.in_flight += 1;
  from.in_flight += 1;
  user.in_flight += 1;
  return 0;
}

void LoginThrottle::EndAttempt(const std::string& username, const std::string& address) {
  const std::string pair = PairKey(username, address);
  for (auto [counters, key] :
       {std::pair{&by_pair_, &pair}, {&by_address_, &address}, {&by_username_, &username}}) {
    if (auto it = counters->find(*key); it != counters->end() && it->second.in_flight > 0) {
      it->second.in_flight -= 1;
    }
  }
}

void LoginThrottle::Lock(Counter& c, int limit, int64_t now) {
  Failures(c, now, limits_.window_ms);
  c.last_failure = now;
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
  Lock(by_pair_[PairKey(username, address)], limits_.failures_per_pair, now);
  Lock(by_address_[address], limits_.failures_per_address, now);
  Counter& user = by_username_[username];
  Failures(user, now, limits_.username_window_ms);
  user.failures += 1;
  user.last_failure = now;
}

void LoginThrottle::Succeeded(const std::string& username, const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  EndAttempt(username, address);
  Counter& pair = by_pair_[PairKey(username, address)];
  pair.failures = 0;
  pair.locked_until = 0;
}

void LoginThrottle::Abandoned(const std::string& username, const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  EndAttempt(username, address);
}

// Keeps memory bounded under a spray of usernames or addresses: forgets counters that can no
// longer matter, and usernames below the back-off that failed last over a window ago (at most
// a back-off's worth of failures forgotten, which the pair and address limits still bound).
void LoginThrottle::Prune(int64_t now) {
  for (auto* counters : {&by_pair_, &by_address_}) {
    if (counters->size() < 10000) continue;
    for (auto it = counters->begin(); it != counters->end();) {
      const bool stale = it->second.in_flight == 0 && it->second.locked_until <= now &&
                         now - it->second.window_start >= limits_.window_ms;
      it = stale ? counters->erase(it) : std::next(it);
    }
  }
  if (by_username_.size() < 10000) return;
  for (auto it = by_username_.begin(); it != by_username_.end();) {
    const Counter& c = it->second;
    const bool stale = c.in_flight == 0 && (now - c.window_start >= limits_.username_window_ms ||
                                            (c.failures < limits_.username_backoff_after &&
                                             now - c.last_failure >= limits_.window_ms));
    it = stale ? by_username_.erase(it) : std::next(it);
  }
}

}  // namespace rsoflow::accounts
