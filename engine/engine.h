// Engine: the one way anything changes. Commands (fire an event, start an instance) and write
// jobs (users, tokens) go through one queue to one writer thread that owns the only
// read-write connection. The writer takes every waiting item (up to max_batch), runs each in
// its own SAVEPOINT (a refused item rolls back alone), commits once, and only then answers
// the callers: a success always means committed.
//
// Each command is checked at one choke point, in this order: the instance exists and the
// caller may see it (scope; otherwise NotFound, so existence does not leak), its workflow and
// state are known to this code (Unavailable), the event is known (InvalidRequest), the caller's
// role may fire it (Forbidden), expected_version (VersionMismatch), a row exists from the current
// state (InvalidTransition), then the workflow's guards. Accepted transitions append one audit
// entry each; follow-up commands run in the same transaction as actor `system`.
//
// Thread-safety: Submit/Execute/SubmitJob and the read methods are safe from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/audit.h"
#include "engine/clock.h"
#include "engine/registry.h"
#include "engine/store.h"

namespace rsoflow {

struct Command {
  int64_t instance_id = 0;     // fire `event` on this instance, or
  std::string start_workflow;  // start an instance of this workflow (event "create")
  std::string event;
  Actor actor;
  Json data = Json::MakeObject();
  std::string comment;
  std::string idempotency_key;
  std::optional<int64_t> expected_version;
  std::string request_id;
  std::string client_ip;
  // The token or session the command came with and who issued it (audit.h), for its audit
  // entry; empty for commands from inside the process (timers, seed, the command line).
  std::string token_id;
  std::string token_issued_by;
  std::string rso_id;      // start only
  int64_t subject_id = 0;  // start only
  std::string timer_name;  // set by the timer scheduler only
  // Import of a historical record (seed only, actor system): the new instance is created
  // directly in this state with import_data merged into its data, audited as event "import".
  std::string import_state;
  Json import_data = Json::MakeObject();
};

struct CommandResult {
  Instance instance;  // as committed, after follow-ups
  int64_t seq = 0;    // this command's own audit entry
  std::string hash;
  bool replayed = false;  // answered from the idempotency store
};

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

class Engine {
 public:
  // A due timer whose event could not be decided (answered unavailable by its workflow) is put
  // off by this long, again and again, instead of being consumed.
  static constexpr int64_t kTimerRetryMs = 5 * 60 * 1000;

  Engine(Store& store, const Clock& clock, const WorkflowRegistry& registry,
         EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Reads the audit head and starts the writer thread.
  Status Start();
  // Answers everything already queued, then stops the writer. Later submissions answer
  // Unavailable. Idempotent.
  void Stop();

  std::future<Result<CommandResult>> Submit(Command command);
  // Submit, then wait for the answer (polling for it first: EngineOptions::caller_poll_us).
  // Like every member, it must have returned before the Engine is destroyed.
  Result<CommandResult> Execute(Command command);

  // A write that is not a workflow command (users, tokens, imports), run by the writer in its
  // own savepoint of a group commit. The job must only use the Store's writer side.
  using Job = std::function<Result<Json>(Store&)>;
  std::future<Result<Json>> SubmitJob(Job job);
  // Appends `entry` to the audit chain: for a Job (on the writer thread) whose change is not a
  // workflow command (users, tokens). Sets seq, at, salt, prev_hash and hash; the rest is the
  // caller's. A job that fails afterwards takes the entry back with its savepoint.
  Result<AuditHead> AppendJobAudit(AuditEntry entry);

  // Called (from the writer thread) after a commit that set or cleared timers, with the
  // earliest due_at among the timers it set (INT64_MAX when it only cleared some).
  void SetTimerListener(std::function<void(int64_t earliest_set_due)> listener);

  // ---- reads, authorized for `viewer` ----
  Result<Instance> GetInstance(int64_t id, const Actor& viewer) const;
  bool CanSee(const Actor& viewer, const Instance& instance) const;
  // Events `viewer` may fire now (role and scope; guards not evaluated).
  std::vector<std::string> AllowedEvents(const Instance& instance, const Actor& viewer) const;
  // The instance's data as `viewer` may see it.
  Json ViewData(const Instance& instance, const Actor& viewer) const;

  EngineStats Stats() const;
  const EngineOptions& options() const { return options_; }
  const WorkflowRegistry& registry() const { return registry_; }
  Store& store() const { return store_; }
  const Clock& clock() const { return clock_; }

 private:
  struct Item;
  class Env;

  // Both under mu_: the queue and queued_, the copy of !queue_.empty() the writer polls.
  void Enqueue(std::unique_ptr<Item> item);
  // Moves queued items into the batch until it holds max_batch.
  void TakeQueued(std::vector<std::unique_ptr<Item>>& batch);
  void WriterLoop();
  // Takes one of the max_polling_callers turns to poll for an answer, if one is free.
  bool TryStartPolling();
  void RaiseWriterPriority() const;
  void RunBatch(std::vector<std::unique_ptr<Item>>& batch);
  // Runs one queued item in its own savepoint of the open transaction.
  void RunItem(Item& item, const Status& begun, uint64_t* accepted, uint64_t* refused);
  // Runs one command inside the current savepoint. *keep is set when the savepoint must be
  // kept although the result is a failure (a refused timer is still consumed).
  Result<CommandResult> RunCommand(const Command& command, bool* keep);
  Result<CommandResult> FireCommand(const Command& command, int depth);
  Result<CommandResult> StartCommand(const Command& command, int depth);
  // Writes timers and the instance row, with due_at recomputed when the timers changed (set,
  // cleared, or `consumed_timer` by a timer's own event). A command that changed neither the
  // state (nor the title) nor the timers writes only the instance's data and version.
  Status ApplyEffects(Instance& instance, const Effects& effects, bool state_or_title_changed,
                      bool consumed_timer);
  // Sets the instance's due_at to its earliest timer, after a timer was moved or deleted.
  Status RefreshDueAt(int64_t instance_id);
  // Runs follow-ups as actor `system` in the current transaction; the first failure fails all.
  Status RunFollowUps(const std::vector<FollowUp>& follow_ups, const Command& cause, int depth);
  Result<AuditHead> AppendAudit(const Instance& instance, const std::string& event,
                                const std::string& from_state, const Command& command);

  Store& store_;
  const Clock& clock_;
  const WorkflowRegistry& registry_;
  const EngineOptions options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Item>> queue_;
  std::atomic<bool> stopping_{false};  // written under mu_; the writer's poll reads it without
  bool started_ = false;
  bool writer_waiting_ = false;
  std::atomic<bool> queued_{false};  // !queue_.empty(), for the writer's poll without mu_
  std::atomic<int> polling_callers_{0};
  std::thread writer_;
  std::mutex listener_mu_;
  std::function<void(int64_t)> timer_listener_;

  // Writer-thread state.
  AuditHead head_;
  bool timers_touched_ = false;
  int64_t earliest_set_due_ = INT64_MAX;  // of the timers this batch set
  bool answered_a_poller_ = false;        // a caller polled while the last batch was answered

  std::atomic<uint64_t> committed_{0}, refused_{0}, batches_{0}, batched_items_{0};
  std::atomic<uint64_t> commit_failures_{0}, answers_polled_{0}, answers_slept_{0};
  std::atomic<uint64_t> writer_polls_found_{0};
  std::atomic<int64_t> head_seq_{0};
};

}  // namespace rsoflow
