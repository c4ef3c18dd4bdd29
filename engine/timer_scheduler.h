// TimerScheduler: fires due timers (DESIGN 3.5) as `system` commands through the engine.
//
// Timer rows are written by the engine in the same transaction as the transition that sets
// them. The scheduler thread sleeps until the earliest due_at (woken early by a commit that
// set timers, or by a FakeClock advancing), then submits each due timer's event. Start() fires
// everything already overdue before returning, so timers that fell due while the server was
// down fire at start-up.
//
// Thread-safety: Start/Stop/Wake/FireDue may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <thread>

#include "engine/engine.h"
#include "engine/store/timer_store.h"

namespace rsoflow {

class TimerScheduler {
 public:
  TimerScheduler(Engine& engine, Clock& clock);
  ~TimerScheduler();

  // Fires overdue timers, then starts the background thread. The engine must be started.
  void Start();
  void Stop();
  void Wake();
  // After a commit that set or cleared timers: wakes the thread only if a timer it set falls
  // due before the time the thread sleeps until (a cleared timer never needs it earlier).
  void TimersChanged(int64_t earliest_set_due);
  // Fires every timer due now and waits for their commits; returns how many were accepted.
  int FireDue();
  // Timers fired and accepted since construction.
  uint64_t fired() const;
  // Blocks until fired() >= count or the real-time timeout passes; returns fired() >= count.
  bool WaitForFired(uint64_t count, std::chrono::milliseconds timeout);
  // Times the thread has woken to read the timers, counting a wake-up asked for and not yet
  // taken, so a commit's effect shows as soon as the command returns.
  uint64_t wake_ups() const;
  // Blocks until the thread sleeps (for a timer, a wake-up or the clock) with no wake-up
  // pending, or the real-time timeout passes; returns whether it does.
  bool WaitUntilAsleep(std::chrono::milliseconds timeout);
  // The real-time wait the thread chose when it last went to sleep (nullopt: until woken).
  std::optional<std::chrono::milliseconds> last_wait() const;
  // After a round whose every due timer was answered unavailable, the thread waits at least
  // this long before it tries them again.
  static constexpr std::chrono::milliseconds kRetryAfterStorageFailure{1000};

 private:
  void Loop();
  // FireDue, saying in *stalled whether it stopped with timers still due because every one
  // of its last round was answered unavailable (a storage failure).
  int FireDue(bool* stalled);

  Engine& engine_;
  TimerStore& timers_;  // the engine's store: the scheduler only reads its timers
  Clock& clock_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int clock_handle_ = 0;
  bool stop_ = false;
  bool woken_ = false;
  // What the sleeping thread waits for: the earliest due_at it read, INT64_MAX for none, and
  // INT64_MIN while it is not asleep (reading timers: any new one may be missed by that read).
  int64_t sleeping_until_ = INT64_MIN;
  uint64_t wake_ups_ = 0;
  bool asleep_ = false;
  std::optional<std::chrono::milliseconds> last_wait_;
  std::condition_variable asleep_cv_;
  uint64_t fired_ = 0;
  std::condition_variable fired_cv_;
  std::thread thread_;
};

}  // namespace rsoflow
