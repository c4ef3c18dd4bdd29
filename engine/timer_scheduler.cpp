#include "engine/timer_scheduler.h"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <vector>

namespace rsoflow {

TimerScheduler::TimerScheduler(Engine& engine, Clock& clock)
    : engine_(engine), timers_(engine.store()), clock_(clock) {
  clock_handle_ = clock_.OnAdvance([this] { Wake(); });
  engine_.SetTimerListener([this](int64_t earliest) { TimersChanged(earliest); });
}

TimerScheduler::~TimerScheduler() {
  // Unhook first: both calls wait for a notification already in progress.
  clock_.RemoveListener(clock_handle_);
  engine_.SetTimerListener(nullptr);
  Stop();
}

void TimerScheduler::Start() {
  FireDue();
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
  pthread_setname_np(thread_.native_handle(), "rsoflow-timers");
}

void TimerScheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void TimerScheduler::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void TimerScheduler::TimersChanged(int64_t earliest_set_due) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (sleeping_until_ != INT64_MIN && earliest_set_due >= sleeping_until_) return;
    woken_ = true;
  }
  cv_.notify_all();
}

int TimerScheduler::FireDue() {
  bool stalled = false;
  return FireDue(&stalled);
}

int TimerScheduler::FireDue(bool* stalled) {
  int accepted = 0;
  *stalled = false;
  // Each round consumes the timers it fires (accepted or refused), so rounds end; the bound
  // only guards against a store that cannot delete.
  for (int round = 0; round < 1000; ++round) {
    auto due = timers_.DueTimers(clock_.NowMs(), 256);
    if (!due.ok()) {
      spdlog::error("reading due timers failed: {}", due.status().ToString());
      return accepted;
    }
    if (due->empty()) return accepted;
    std::vector<std::future<Result<CommandResult>>> pending;
    for (const TimerRow& t : *due) {
      Command c;
      c.instance_id = t.instance_id;
      c.event = t.event;
      c.actor = Actor::System();
      c.timer_name = t.name;
      c.request_id = "timer:" + t.name;
      pending.push_back(engine_.Submit(std::move(c)));
    }
    bool progress = false;
    for (size_t i = 0; i < pending.size(); ++i) {
      auto r = pending[i].get();
      if (r.ok()) {
        ++accepted;
        {
          std::lock_guard<std::mutex> lock(mu_);
          ++fired_;
        }
        fired_cv_.notify_all();
        progress = true;
        spdlog::info("timer {} fired {} on instance {}", (*due)[i].name, (*due)[i].event,
                     (*due)[i].instance_id);
      } else if (r.status().code() != Status::Code::kUnavailable) {
        progress = true;  // refused and consumed, or put off (the engine's kTimerRetryMs)
      }
    }
    if (!progress) {
      *stalled = true;  // every timer of the round was answered unavailable: they stay due
      return accepted;
    }
  }
  return accepted;
}

uint64_t TimerScheduler::fired() const {
  std::lock_guard<std::mutex> lock(mu_);
  return fired_;
}

bool TimerScheduler::WaitForFired(uint64_t count, std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return fired_cv_.wait_for(lock, timeout, [&] { return fired_ >= count; });
}

uint64_t TimerScheduler::wake_ups() const {
  std::lock_guard<std::mutex> lock(mu_);
  return wake_ups_ + (woken_ ? 1 : 0);
}

std::optional<std::chrono::milliseconds> TimerScheduler::last_wait() const {
  std::lock_guard<std::mutex> lock(mu_);
  return last_wait_;
}

bool TimerScheduler::WaitUntilAsleep(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return asleep_cv_.wait_for(lock, timeout, [&] { return asleep_ && !woken_; });
}

void TimerScheduler::Loop() {
  bool said_stalled = false;  // logged for the current run of stalled rounds
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stop_) return;
      woken_ = false;
      sleeping_until_ = INT64_MIN;
      ++wake_ups_;
    }
    bool stalled = false;
    FireDue(&stalled);
    auto next = timers_.NextTimerDue();
    std::unique_lock<std::mutex> lock(mu_);
    if (stop_) return;
    if (woken_) continue;
    // Without a timer, still look again now and then: a real clock has no other wake-up
    // for timers written by another process.
    std::optional<std::chrono::milliseconds> wait = std::chrono::milliseconds(60000);
    if (next.ok() && next->has_value())
      wait = clock_.RealWaitUntil(**next);
    else if (!clock_.RealWaitUntil(0).has_value())
      wait = std::nullopt;
    // Timers that could not fire for a storage failure are due still: retried after a pause,
    // not at once, which would spin through failing commits (and their log lines).
    if (stalled && wait && *wait < kRetryAfterStorageFailure) {
      if (!said_stalled) {
        spdlog::error("due timers could not fire (storage failure); retrying every {} ms",
                      kRetryAfterStorageFailure.count());
      }
      said_stalled = true;
      wait = kRetryAfterStorageFailure;
    } else if (!stalled) {
      said_stalled = false;
    }
    last_wait_ = wait;
    sleeping_until_ = next.ok() ? next->value_or(INT64_MAX) : INT64_MIN;
    auto pred = [this] { return stop_ || woken_; };
    asleep_ = true;
    asleep_cv_.notify_all();
    if (wait) {
      cv_.wait_for(lock, std::min(*wait, std::chrono::milliseconds(60000)), pred);
    } else {
      cv_.wait(lock, pred);
    }
    asleep_ = false;
  }
}

}  // namespace rsoflow
