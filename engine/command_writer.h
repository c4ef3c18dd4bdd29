// CommandWriter: the one thread that writes. Commands and write jobs (users, tokens) go
// through one queue to one writer thread that owns the only read-write connection. The writer
// takes every waiting item (up to max_batch), runs each in its own SAVEPOINT (a refused item
// rolls back alone), commits once, and only then answers the callers: a success always means
// committed. Waits likely to be short poll first (WriterOptions).
//
// What an item does is not the writer's: a command is the CommandProcessor's, a job its own.
// The writer keeps the processor's batch state (audit head, timers set) in step with the
// savepoints and tells the timer listener after a commit that touched timers.
//
// Thread-safety: Enqueue, SetTimerListener and Stats are safe from any thread.
#pragma once

#include <sched.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "engine/command_processor.h"
#include "engine/notify/options.h"
#include "engine/store.h"

namespace rsoflow {

// The performance settings of the write path.
struct EngineOptions {
  size_t max_batch = 512;
  int max_follow_up_depth = 4;
  // The writer is the one thread every command waits for: it asks the kernel for this nice
  // value (below 0 needs root or CAP_SYS_NICE; refused, it runs at the process's priority and
  // says so once). 0 leaves it alone.
  int writer_nice = -10;
  // Waiting for a very short time costs more than the time on a virtual machine: a thread that
  // sleeps, and the virtual CPU it leaves idle, take tens of microseconds to wake. So a wait
  // that is likely to be short polls first, yielding the CPU to any thread that can use it
  // (sched_yield), and sleeps only when the time is up. The writer polls this long for the
  // next command after a batch that a polling caller was waiting for (so with
  // max_polling_callers 0 it never polls):
  int64_t writer_poll_us = 100;
  // Execute polls this long for its answer, which comes after a commit (0.2-1 ms here) ...
  int64_t caller_poll_us = 1000;
  // ... by at most this many callers at once; the others sleep at once. 0: none polls.
  int max_polling_callers = 1;
  // Notifications and reminders (DESIGN 9; engine/notify/options.h).
  NotifyOptions notify;
};

struct EngineStats {
  uint64_t commands_committed = 0;
  uint64_t commands_refused = 0;
  uint64_t batches = 0;
  uint64_t batched_items = 0;  // sum of batch sizes; / batches = mean batch size
  // Batches whose BEGIN or COMMIT failed: every command of them was answered unavailable.
  uint64_t commit_failures = 0;
  // Execute's callers by how they waited (EngineOptions::caller_poll_us): answered without
  // sleeping (within their poll, or at once), or asleep on the answer (no turn to poll, or not
  // answered within it); callers polling now; writer polls that found the next command.
  // Waits on Submit's and SubmitJob's futures are not counted.
  uint64_t answers_polled = 0;
  uint64_t answers_slept = 0;
  int callers_polling = 0;
  uint64_t writer_polls_found = 0;
  int64_t audit_head_seq = 0;
};

// One queued item: computes its answer in the writer's open savepoint, is answered after the
// commit. The one answer type is Result<T> (Answered<T> below), whatever the item is.
class WriterItem {
 public:
  virtual ~WriterItem() = default;
  // Runs in the item's savepoint; true when it succeeded. *keep: keep the savepoint although
  // it failed (set false before the call).
  virtual bool Run(Store& store, bool* keep) = 0;
  // The answer becomes this failure (nothing of the item was kept).
  virtual void Refuse(Status status) = 0;
  // Hands the answer to the caller's future; called once, after the commit (or refusal).
  virtual void Answer() = 0;
};

template <typename T>
class Answered : public WriterItem {
 public:
  std::future<Result<T>> Future() { return promise_.get_future(); }
  bool Run(Store& store, bool* keep) final {
    answer_ = Compute(store, keep);
    return answer_->ok();
  }
  void Refuse(Status status) final { answer_ = std::move(status); }
  void Answer() final { promise_.set_value(std::move(*answer_)); }

 protected:
  virtual Result<T> Compute(Store& store, bool* keep) = 0;

 private:
  std::promise<Result<T>> promise_;
  std::optional<Result<T>> answer_;
};

class CommandWriter {
 public:
  CommandWriter(Store& store, CommandProcessor& processor, EngineOptions options);
  ~CommandWriter();
  CommandWriter(const CommandWriter&) = delete;
  CommandWriter& operator=(const CommandWriter&) = delete;

  // Reads the audit head and starts the writer thread.
  Status Start();
  // Answers everything already queued, then stops the writer. Idempotent.
  void Stop();

  // Queues the item, or answers it Unavailable at once when the writer is not running.
  // `wake` false: the writer is woken only when it waits (a busy writer takes the item before
  // it commits, and waking it costs a system call).
  void Enqueue(std::unique_ptr<WriterItem> item, bool wake);
  // Waits for `answer` as Execute does: polling first when a turn to poll is free.
  template <typename T>
  Result<T> Await(std::future<Result<T>> answer, bool turn);
  // Takes one of the max_polling_callers turns to poll for an answer, if one is free. Taken
  // before the item is queued, so that the writer, answering, sees a caller polling.
  bool TryStartPolling();

  void SetTimerListener(std::function<void(int64_t earliest_set_due)> listener);
  EngineStats Stats() const;
  const EngineOptions& options() const { return options_; }

 private:
  // Both under mu_: the queue and queued_, the copy of !queue_.empty() the writer polls.
  void Push(std::unique_ptr<WriterItem> item);
  // Moves queued items into the batch until it holds max_batch.
  void TakeQueued(std::vector<std::unique_ptr<WriterItem>>& batch);
  void WriterLoop();
  void RaiseWriterPriority() const;
  void RunBatch(std::vector<std::unique_ptr<WriterItem>>& batch);
  // Runs one queued item in its own savepoint of the open transaction.
  void RunItem(WriterItem& item, const Status& begun, uint64_t* accepted, uint64_t* refused);
  // Polls `ready` until it answers true or `us` microseconds have passed, yielding the CPU
  // between looks to any other thread that can run. Answers the last look.
  template <typename Ready>
  static bool PollFor(int64_t us, Ready ready);
  void CountWait(bool polled);

  Store& store_;
  CommandProcessor& processor_;
  const EngineOptions options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<WriterItem>> queue_;
  std::atomic<bool> stopping_{false};  // written under mu_; the writer's poll reads it without
  bool started_ = false;
  bool writer_waiting_ = false;
  std::atomic<bool> queued_{false};  // !queue_.empty(), for the writer's poll without mu_
  std::atomic<int> polling_callers_{0};
  std::thread writer_;
  std::mutex listener_mu_;
  std::function<void(int64_t)> timer_listener_;

  // Writer thread: a caller polled while the last batch was answered.
  bool answered_a_poller_ = false;

  std::atomic<uint64_t> committed_{0}, refused_{0}, batches_{0}, batched_items_{0};
  std::atomic<uint64_t> commit_failures_{0}, answers_polled_{0}, answers_slept_{0};
  std::atomic<uint64_t> writer_polls_found_{0};
  std::atomic<int64_t> head_seq_{0};
};

template <typename Ready>
bool CommandWriter::PollFor(int64_t us, Ready ready) {
  if (ready()) return true;
  if (us <= 0) return false;
  const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(us);
  while (std::chrono::steady_clock::now() < until) {
    sched_yield();
    if (ready()) return true;
  }
  return false;
}

template <typename T>
Result<T> CommandWriter::Await(std::future<Result<T>> answer, bool turn) {
  const auto ready = [&answer] {
    return answer.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  };
  const bool arrived = turn ? PollFor(options_.caller_poll_us, ready) : ready();
  if (turn) polling_callers_.fetch_sub(1, std::memory_order_relaxed);
  CountWait(arrived);
  return answer.get();
}

}  // namespace rsoflow
