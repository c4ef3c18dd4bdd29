// Clock: the engine's only source of time, injectable so that tests drive timers with a
// FakeClock instead of sleeping. Times are milliseconds since the Unix epoch, UTC.
//
// Thread-safety: SystemClock and FakeClock are safe to use from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace rsoflow {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMs() const = 0;
  // How long a waiter should block in real time to reach due_ms: the real remaining time for
  // a real clock; "until notified" (nullopt) for a fake clock, whose Advance notifies.
  virtual std::optional<std::chrono::milliseconds> RealWaitUntil(int64_t due_ms) const = 0;
  // Registers a callback run after every change of time (fake clocks only; a real clock
  // never calls it) and returns a handle for RemoveListener. Callbacks must not call back
  // into the clock. After RemoveListener returns, the callback is never called again.
  virtual int OnAdvance(std::function<void()> callback) {
    (void)callback;
    return 0;
  }
  virtual void RemoveListener(int handle) { (void)handle; }
};

class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override;
  std::optional<std::chrono::milliseconds> RealWaitUntil(int64_t due_ms) const override;
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_ms) : now_(start_ms) {}
  int64_t NowMs() const override;
  std::optional<std::chrono::milliseconds> RealWaitUntil(int64_t) const override {
    return std::nullopt;
  }
  int OnAdvance(std::function<void()> callback) override;
  void RemoveListener(int handle) override;
  void Advance(std::chrono::milliseconds by);
  void Set(int64_t now_ms);

 private:
  void Notify();

  mutable std::mutex mu_;
  int64_t now_;
  // Held while listeners run, so RemoveListener waits for a call in progress.
  std::mutex notify_mu_;
  int next_handle_ = 1;
  std::map<int, std::function<void()>> listeners_;
};

// RFC 3339 UTC with milliseconds and "Z": 2026-11-24T09:30:00.000Z.
std::string FormatTime(int64_t ms);
// Accepts RFC 3339 with "Z" or a numeric offset, with or without fractional seconds, and a
// bare date YYYY-MM-DD (midnight UTC). Returns nullopt for anything else or an invalid date.
std::optional<int64_t> ParseTime(const std::string& text);
// Calendar date YYYY-MM-DD: days since epoch (validated, including leap years).
std::optional<int64_t> ParseDate(const std::string& text);
std::string FormatDate(int64_t days_since_epoch);
// The UTC calendar year of a time.
int YearOf(int64_t ms);

constexpr int64_t kMsPerDay = 86400000;

}  // namespace rsoflow
