#include "engine/command_writer.h"

#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>

namespace rsoflow {

CommandWriter::CommandWriter(Store& store, CommandProcessor& processor, EngineOptions options)
    : store_(store), processor_(processor), options_(options) {}

CommandWriter::~CommandWriter() { Stop(); }

Status CommandWriter::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_) return Status::Ok();
  auto head = store_.GetAuditHead();
  if (!head.ok()) return head.status();
  processor_.SetHead(*head);
  head_seq_ = head->seq;
  stopping_ = false;
  started_ = true;
  // Returns once the writer has its name and priority, so both hold for whoever looks next.
  std::promise<void> ready;
  std::future<void> is_ready = ready.get_future();
  writer_ = std::thread([this, ready = std::move(ready)]() mutable {
    pthread_setname_np(pthread_self(), "rsoflow-writer");  // as top -H and perf show it
    RaiseWriterPriority();
    ready.set_value();
    WriterLoop();
  });
  is_ready.wait();
  return Status::Ok();
}

void CommandWriter::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!started_) return;
    stopping_ = true;
  }
  cv_.notify_all();
  if (writer_.joinable()) writer_.join();
  std::lock_guard<std::mutex> lock(mu_);
  started_ = false;
}

void CommandWriter::Enqueue(std::unique_ptr<WriterItem> item, bool wake) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!started_ || stopping_) {
      item->Refuse(Status::Unavailable("the engine is not running"));
      item->Answer();
      return;
    }
    Push(std::move(item));
    if (!wake && !writer_waiting_) return;
  }
  cv_.notify_one();
}

bool CommandWriter::TryStartPolling() {
  if (options_.caller_poll_us <= 0) return false;
  int n = polling_callers_.load(std::memory_order_relaxed);
  while (n < options_.max_polling_callers) {
    if (polling_callers_.compare_exchange_weak(n, n + 1, std::memory_order_relaxed)) return true;
  }
  return false;
}

void CommandWriter::CountWait(bool polled) {
  (polled ? answers_polled_ : answers_slept_).fetch_add(1, std::memory_order_relaxed);
}

void CommandWriter::SetTimerListener(std::function<void(int64_t)> listener) {
  std::lock_guard<std::mutex> lock(listener_mu_);
  timer_listener_ = std::move(listener);
}

void CommandWriter::RaiseWriterPriority() const {
  if (options_.writer_nice == 0) return;
  const auto tid = static_cast<id_t>(syscall(SYS_gettid));
  if (setpriority(PRIO_PROCESS, tid, options_.writer_nice) == 0) return;
  const int err = errno;
  static std::once_flag said;
  std::call_once(said, [&] {
    spdlog::info("the writer thread runs at normal priority: nice {} was refused ({})",
                 options_.writer_nice, std::strerror(err));
  });
}

void CommandWriter::Push(std::unique_ptr<WriterItem> item) {
  queue_.push_back(std::move(item));
  queued_.store(true, std::memory_order_release);
}

void CommandWriter::TakeQueued(std::vector<std::unique_ptr<WriterItem>>& batch) {
  while (!queue_.empty() && batch.size() < options_.max_batch) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  queued_.store(!queue_.empty(), std::memory_order_release);
}

void CommandWriter::WriterLoop() {
  std::vector<std::unique_ptr<WriterItem>> batch;
  for (;;) {
    // Only after answering a caller that polled for its answer: that caller is running and
    // likely to submit again at once (one thread waiting on each command), where after answering
    // sleepers the poll would take a CPU from the threads that wake. A submitter finds
    // writer_waiting_ false meanwhile and does not wake the writer: this look sees the item, or
    // the wait below finds it under the lock.
    if (answered_a_poller_) {
      const bool found = PollFor(options_.writer_poll_us, [this] {
        return queued_.load(std::memory_order_acquire) || stopping_.load(std::memory_order_relaxed);
      });
      if (found && queued_.load(std::memory_order_acquire)) {
        writer_polls_found_.fetch_add(1, std::memory_order_relaxed);
      }
    }
    {
      std::unique_lock<std::mutex> lock(mu_);
      writer_waiting_ = true;
      cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      writer_waiting_ = false;
      if (queue_.empty()) return;  // stopping, and everything queued has been answered
      TakeQueued(batch);
    }
    RunBatch(batch);
    batch.clear();
  }
}

void CommandWriter::RunBatch(std::vector<std::unique_ptr<WriterItem>>& batch) {
  processor_.BeginBatch();
  const CommandProcessor::Mark batch_start = processor_.Save();
  Status begun = store_.Begin();
  if (!begun.ok()) {
    spdlog::error("begin of a batch failed: {}", begun.ToString());
    commit_failures_ += 1;
  }
  uint64_t accepted = 0, refused = 0;
  // Commands that arrive while this batch runs join it before COMMIT: a caller that would
  // otherwise wait a whole extra fsync shares this one, and a lone caller waits for nothing.
  for (size_t next = 0; next < batch.size();) {
    for (; next < batch.size(); ++next) RunItem(*batch[next], begun, &accepted, &refused);
    std::lock_guard<std::mutex> lock(mu_);
    TakeQueued(batch);
  }
  if (begun.ok()) {
    Status committed = store_.Commit();
    if (!committed.ok()) {
      spdlog::error("commit of a batch of {} failed: {}", batch.size(), committed.ToString());
      store_.Rollback();
      processor_.Restore(batch_start);  // the head as before, no timers touched
      for (auto& item : batch) {
        item->Refuse(
            Status::Unavailable("storage failure, nothing was changed: " + committed.message()));
      }
      refused += accepted;
      accepted = 0;
      commit_failures_ += 1;
    }
  }
  committed_ += accepted;
  refused_ += refused;
  batches_ += 1;
  batched_items_ += batch.size();
  head_seq_ = processor_.head().seq;
  if (processor_.timers_touched()) {
    // Before the answers, so a caller that set a timer finds the scheduler told of it. Held
    // during the call, so SetTimerListener(nullptr) waits for it to finish.
    std::lock_guard<std::mutex> lock(listener_mu_);
    if (timer_listener_) timer_listener_(processor_.earliest_set_due());
  }
  answered_a_poller_ = polling_callers_.load(std::memory_order_relaxed) > 0;
  // Answer only now: every success above is committed.
  for (auto& item : batch) item->Answer();
}

void CommandWriter::RunItem(WriterItem& item, const Status& begun, uint64_t* accepted,
                            uint64_t* refused) {
  if (!begun.ok()) {
    item.Refuse(Status::Unavailable(begun.message()));
    ++*refused;
    return;
  }
  const CommandProcessor::Mark before = processor_.Save();
  bool keep = false, ok = false;
  Status sp = store_.Savepoint();
  if (!sp.ok()) {
    item.Refuse(sp);
    ++*refused;
    return;
  }
  try {
    ok = item.Run(store_, &keep);
  } catch (const std::exception& e) {
    spdlog::error("command failed with an exception: {:?}", std::string(e.what()));
    item.Refuse(Status::Unavailable(std::string("internal error: ") + e.what()));
  }
  if (!ok && !keep) {
    store_.RollbackToSavepoint();
    processor_.Restore(before);
  }
  store_.ReleaseSavepoint();
  ok ? ++*accepted : ++*refused;
}

EngineStats CommandWriter::Stats() const {
  EngineStats s;
  s.commands_committed = committed_;
  s.commands_refused = refused_;
  s.batches = batches_;
  s.batched_items = batched_items_;
  s.commit_failures = commit_failures_;
  s.answers_polled = answers_polled_;
  s.answers_slept = answers_slept_;
  s.callers_polling = polling_callers_.load(std::memory_order_relaxed);
  s.writer_polls_found = writer_polls_found_;
  s.audit_head_seq = head_seq_;
  return s;
}

}  // namespace rsoflow
