#include "engine/engine.h"

#include <pthread.h>
#include <sched.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>

#include "engine/random.h"
#include "engine/sha256.h"

namespace rsoflow {
namespace {

// The one answer for an instance the caller may not see and for one that does not exist:
// word for word the same, so a 404's detail does not tell them apart (DESIGN 5).
Status NoInstance(int64_t id) { return Status::NotFound("no instance " + std::to_string(id)); }

Status NotFoundAsNoInstance(const Status& st, int64_t id) {
  return st.code() == Status::Code::kNotFound ? NoInstance(id) : st;
}

// Polls `ready` until it answers true or `us` microseconds have passed, yielding the CPU
// between looks to any other thread that can run. Answers the last look.
template <typename Ready>
bool PollFor(int64_t us, Ready ready) {
  if (ready()) return true;
  if (us <= 0) return false;
  const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(us);
  while (std::chrono::steady_clock::now() < until) {
    sched_yield();
    if (ready()) return true;
  }
  return false;
}

}  // namespace

struct Engine::Item {
  Command command;
  Job job;  // set for write jobs
  std::promise<Result<CommandResult>> command_promise;
  std::promise<Result<Json>> job_promise;
  std::optional<Result<CommandResult>> command_result;
  std::optional<Result<Json>> job_result;
};

// Answers a workflow's questions from inside the writer's transaction.
class Engine::Env final : public WorkflowEnv {
 public:
  explicit Env(Store& store) : store_(store) {}
  Result<std::vector<UserRef>> ActiveUsersWithRole(const std::string& role) override {
    return store_.ActiveUsersWithRole(role);
  }
  Result<int64_t> NextCounter(const std::string& name) override { return store_.NextCounter(name); }
  Result<Instance> LoadInstance(int64_t id) override { return store_.LoadInstanceForWrite(id); }
  Result<std::vector<int64_t>> ActiveInstancesWithSubject(const std::string& workflow,
                                                          int64_t subject_id) override {
    return store_.ActiveInstancesWithSubject(workflow, subject_id);
  }
  Result<std::vector<Instance>> FindInstances(const InstanceQuery& query) override {
    return store_.FindInstancesForWrite(query);
  }
  Result<Record> GetRecord(const std::string& kind, const std::string& id) override {
    return store_.GetRecordForWrite(kind, id);
  }
  Result<std::string> InsertRecord(const Record& record) override {
    return store_.InsertRecord(record);
  }
  Status UpdateRecord(const Record& record) override { return store_.UpdateRecord(record); }

 private:
  Store& store_;
};

namespace {

std::string ActorId(const Actor& actor) {
  return actor.is_system() ? std::string("system") : actor.user_id;
}

// What makes two submissions "the same request" for idempotency.
std::string RequestFingerprint(const Command& c) {
  Json j = Json::MakeObject();
  j.Set("instance_id", c.instance_id);
  j.Set("start_workflow", c.start_workflow);
  j.Set("event", c.event);
  j.Set("data", c.data);
  j.Set("comment", c.comment);
  j.Set("expected_version", c.expected_version ? Json(*c.expected_version) : Json());
  j.Set("rso_id", c.rso_id);
  j.Set("subject_id", c.subject_id);
  return Sha256Hex(j.Dump());
}

Json ResultToJson(const CommandResult& r) {
  Json j = Json::MakeObject();
  j.Set("instance", InstanceToJson(r.instance));
  j.Set("seq", r.seq);
  j.Set("hash", r.hash);
  return j;
}

CommandResult ResultFromJson(const Json& j) {
  CommandResult r;
  if (const Json* inst = j.Get("instance")) r.instance = InstanceFromJson(*inst);
  r.seq = j.GetInt("seq");
  r.hash = j.GetString("hash");
  r.replayed = true;
  return r;
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

Engine::Engine(Store& store, const Clock& clock, const WorkflowRegistry& registry,
               EngineOptions options)
    : store_(store), clock_(clock), registry_(registry), options_(options) {}

Engine::~Engine() { Stop(); }

Status Engine::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (started_) return Status::Ok();
  auto head = store_.GetAuditHead();
  if (!head.ok()) return head.status();
  head_ = *head;
  head_seq_ = head_.seq;
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

void Engine::Stop() {
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

std::future<Result<CommandResult>> Engine::Submit(Command command) {
  auto item = std::make_unique<Item>();
  item->command = std::move(command);
  auto future = item->command_promise.get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!started_ || stopping_) {
      item->command_promise.set_value(Status::Unavailable("the engine is not running"));
      return future;
    }
    Enqueue(std::move(item));
    // A busy writer picks the item up before it commits (late joiners); waking it costs a
    // system call, so only a waiting writer is woken.
    if (!writer_waiting_) return future;
  }
  cv_.notify_one();
  return future;
}

Result<CommandResult> Engine::Execute(Command command) {
  // The turn is taken before Submit, so that the writer, answering, sees a caller polling.
  const bool turn = TryStartPolling();
  auto answer = Submit(std::move(command));
  const auto ready = [&answer] {
    return answer.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  };
  const bool arrived = turn ? PollFor(options_.caller_poll_us, ready) : ready();
  if (turn) polling_callers_.fetch_sub(1, std::memory_order_relaxed);
  (arrived ? answers_polled_ : answers_slept_).fetch_add(1, std::memory_order_relaxed);
  return answer.get();
}

bool Engine::TryStartPolling() {
  if (options_.caller_poll_us <= 0) return false;
  int n = polling_callers_.load(std::memory_order_relaxed);
  while (n < options_.max_polling_callers) {
    if (polling_callers_.compare_exchange_weak(n, n + 1, std::memory_order_relaxed)) return true;
  }
  return false;
}

std::future<Result<Json>> Engine::SubmitJob(Job job) {
  auto item = std::make_unique<Item>();
  item->job = std::move(job);
  auto future = item->job_promise.get_future();
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!started_ || stopping_) {
      item->job_promise.set_value(Status::Unavailable("the engine is not running"));
      return future;
    }
    Enqueue(std::move(item));
  }
  cv_.notify_one();
  return future;
}

void Engine::SetTimerListener(std::function<void(int64_t)> listener) {
  std::lock_guard<std::mutex> lock(listener_mu_);
  timer_listener_ = std::move(listener);
}

void Engine::RaiseWriterPriority() const {
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

void Engine::Enqueue(std::unique_ptr<Item> item) {
  queue_.push_back(std::move(item));
  queued_.store(true, std::memory_order_release);
}

void Engine::TakeQueued(std::vector<std::unique_ptr<Item>>& batch) {
  while (!queue_.empty() && batch.size() < options_.max_batch) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  queued_.store(!queue_.empty(), std::memory_order_release);
}

void Engine::WriterLoop() {
  std::vector<std::unique_ptr<Item>> batch;
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

void Engine::RunBatch(std::vector<std::unique_ptr<Item>>& batch) {
  timers_touched_ = false;
  earliest_set_due_ = INT64_MAX;
  const AuditHead batch_head = head_;
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
      head_ = batch_head;
      for (auto& item : batch) {
        Status st =
            Status::Unavailable("storage failure, nothing was changed: " + committed.message());
        if (item->job)
          item->job_result = st;
        else
          item->command_result = st;
      }
      refused += accepted;
      accepted = 0;
      commit_failures_ += 1;
      timers_touched_ = false;
    }
  }
  committed_ += accepted;
  refused_ += refused;
  batches_ += 1;
  batched_items_ += batch.size();
  head_seq_ = head_.seq;
  if (timers_touched_) {
    // Before the answers, so a caller that set a timer finds the scheduler told of it. Held
    // during the call, so SetTimerListener(nullptr) waits for it to finish.
    std::lock_guard<std::mutex> lock(listener_mu_);
    if (timer_listener_) timer_listener_(earliest_set_due_);
  }
  answered_a_poller_ = polling_callers_.load(std::memory_order_relaxed) > 0;
  // Answer only now: every success above is committed.
  for (auto& item : batch) {
    if (item->job)
      item->job_promise.set_value(std::move(*item->job_result));
    else
      item->command_promise.set_value(std::move(*item->command_result));
  }
}

void Engine::RunItem(Item& item_ref, const Status& begun, uint64_t* accepted, uint64_t* refused) {
  Item* item = &item_ref;
  if (!begun.ok()) {
    if (item->job)
      item->job_result = Status::Unavailable(begun.message());
    else
      item->command_result = Status::Unavailable(begun.message());
    ++*refused;
    return;
  }
  const AuditHead item_head = head_;
  const bool item_timers = timers_touched_;
  const int64_t item_earliest = earliest_set_due_;
  bool keep = false, ok = false;
  Status sp = store_.Savepoint();
  if (!sp.ok()) {
    if (item->job)
      item->job_result = sp;
    else
      item->command_result = sp;
    ++*refused;
    return;
  }
  try {
    if (item->job) {
      item->job_result = item->job(store_);
      ok = item->job_result->ok();
    } else {
      item->command_result = RunCommand(item->command, &keep);
      ok = item->command_result->ok();
    }
  } catch (const std::exception& e) {
    spdlog::error("command failed with an exception: {:?}", std::string(e.what()));
    Status st = Status::Unavailable(std::string("internal error: ") + e.what());
    if (item->job)
      item->job_result = st;
    else
      item->command_result = st;
  }
  if (!ok && !keep) {
    store_.RollbackToSavepoint();
    head_ = item_head;
    timers_touched_ = item_timers;
    earliest_set_due_ = item_earliest;
  }
  store_.ReleaseSavepoint();
  ok ? ++*accepted : ++*refused;
}

Result<CommandResult> Engine::RunCommand(const Command& c, bool* keep) {
  *keep = false;
  if (c.idempotency_key.size() > 128) {
    return Status::InvalidRequest("Idempotency-Key is longer than 128 characters",
                                  {"idempotency_key"});
  }
  std::string fingerprint;
  if (!c.idempotency_key.empty()) {
    fingerprint = RequestFingerprint(c);
    auto found = store_.FindIdempotency(ActorId(c.actor), c.idempotency_key);
    if (!found.ok()) return found.status();
    if (found->has_value()) {
      if ((*found)->request_hash != fingerprint) {
        return Status::IdempotencyKeyReused(
            "this Idempotency-Key was used for a different request");
      }
      return ResultFromJson((*found)->response);
    }
  }

  if (!c.timer_name.empty()) {
    // A timer is consumed whether its event is accepted or refused, so it fires once.
    auto timer = store_.FindTimerForWrite(c.instance_id, c.timer_name);
    if (!timer.ok()) return timer.status();
    if (!timer->has_value() || (*timer)->due_at > clock_.NowMs()) {
      return Status::NotFound("timer is no longer pending");
    }
    RSOFLOW_RETURN_IF_ERROR(store_.Savepoint());
    const AuditHead before = head_;
    auto fired = FireCommand(c, 0);
    if (!fired.ok()) {
      head_ = before;
      // What follows is kept: it must not keep a half of the refused event's writes.
      Status undone = store_.RollbackToSavepoint();
      if (!undone.ok()) {
        store_.ReleaseSavepoint();
        return undone;
      }
    }
    RSOFLOW_RETURN_IF_ERROR(store_.ReleaseSavepoint());
    if (!fired.ok() && fired.status().code() == Status::Code::kUnavailable &&
        !fired.status().undecidable()) {
      // A passing storage failure inside the event (a full disk, an I/O error): the timer
      // stays due, untouched, and the scheduler tries it again after its pause
      // (TimerScheduler::kRetryAfterStorageFailure). Putting it off as below would hold a
      // deadline back for minutes on a fault that may be gone in a second.
      return fired;
    }
    if (!fired.ok() && fired.status().code() == Status::Code::kUnavailable) {
      // Not the event refused but no decision at all (a workflow no longer registered, a
      // stored state it does not have, a machine that cannot restore its stored state,
      // follow-ups nested too deep, a storage error that repeats, such as a constraint the
      // event's writes break): the deadline must not be lost, nor tried every round,
      // where such timers would hold back the ones due after them. It is put off.
      TimerRow later = **timer;
      later.due_at = clock_.NowMs() + kTimerRetryMs;
      RSOFLOW_RETURN_IF_ERROR(store_.PutTimer(later));
      RSOFLOW_RETURN_IF_ERROR(RefreshDueAt(c.instance_id));
      earliest_set_due_ = std::min(earliest_set_due_, later.due_at);
      timers_touched_ = true;
      *keep = true;
      spdlog::warn("timer {} of instance {} ({}) could not fire, tried again at {}: {}",
                   c.timer_name, c.instance_id, c.event, FormatTime(later.due_at),
                   fired.status().ToString());
      return Status::GuardFailed({Reason{
          "timer_postponed", "the event could not be decided (" + fired.status().message() +
                                 "); the timer fires again at " + FormatTime(later.due_at)}});
    }
    if (!fired.ok()) {
      RSOFLOW_RETURN_IF_ERROR(store_.DeleteTimer(c.instance_id, c.timer_name));
      RSOFLOW_RETURN_IF_ERROR(RefreshDueAt(c.instance_id));
      timers_touched_ = true;
      *keep = true;
      spdlog::warn("timer {} of instance {} ({}) refused: {}", c.timer_name, c.instance_id, c.event,
                   fired.status().ToString());
    }
    return fired;
  }

  auto result = c.start_workflow.empty() ? FireCommand(c, 0) : StartCommand(c, 0);
  if (!result.ok()) {
    // The event and the reason may hold the caller's text: quoted with control characters
    // escaped, so a "\n" in an event name cannot forge a log line.
    spdlog::info("refused: user={} role={} instance={} workflow={} event={:?} request_id={}: {:?}",
                 c.actor.username, c.actor.role, c.instance_id, c.start_workflow, c.event,
                 c.request_id, result.status().ToString());
    return result;
  }
  if (!c.idempotency_key.empty()) {
    IdempotencyRecord record{ActorId(c.actor), c.idempotency_key, fingerprint,
                             ResultToJson(*result), clock_.NowMs()};
    RSOFLOW_RETURN_IF_ERROR(store_.PutIdempotency(record));
  }
  return result;
}

Result<CommandResult> Engine::FireCommand(const Command& c, int depth) {
  auto loaded = store_.LoadInstanceForWrite(c.instance_id);
  if (!loaded.ok()) return NotFoundAsNoInstance(loaded.status(), c.instance_id);
  Instance inst = std::move(loaded).value();
  if (!CanSee(c.actor, inst)) return NoInstance(inst.id);
  const Workflow* wf = registry_.Find(inst.workflow);
  if (wf == nullptr) return Status::Undecidable("unknown workflow " + inst.workflow);
  const WorkflowMeta& meta = wf->Meta();
  if (meta.FindState(inst.state) == nullptr) {
    // Stored by another version of the code, or edited by hand: nothing can be decided from a
    // state the workflow does not know, and the fault is the server's, not the caller's.
    return Status::Undecidable("instance " + std::to_string(inst.id) + " is in state '" +
                               inst.state + "', which " + meta.name + " does not have");
  }
  if (meta.FindEvent(c.event) == nullptr) {
    return Status::InvalidRequest("unknown event '" + c.event + "' for " + meta.name, {"event"});
  }
  if (!meta.RoleMayFire(c.actor.role, c.event)) {
    return Status::Forbidden("role " + c.actor.role + " may not fire " + c.event + " on " +
                             meta.name);
  }
  if (c.expected_version && *c.expected_version != inst.version) {
    return Status::VersionMismatch("the instance has changed since it was read", inst.version);
  }
  if (inst.terminal || !meta.HasTransition(inst.state, c.event)) {
    return Status::InvalidTransition(
        "event '" + c.event + "' is not allowed in state '" + inst.state + "'", inst.state,
        AllowedEvents(inst, c.actor));
  }
  if (!c.timer_name.empty()) {
    RSOFLOW_RETURN_IF_ERROR(store_.DeleteTimer(inst.id, c.timer_name));
    timers_touched_ = true;
  }

  Env env(store_);
  const int64_t now = clock_.NowMs();
  FireRequest request{inst, c.event, c.actor, c.data, c.comment, now, env, &inst.data};
  auto outcome = wf->Fire(request);
  if (!outcome.ok()) return outcome.status();

  const std::string from = inst.state;
  inst.state = outcome->to_state;
  inst.data = std::move(outcome->data);
  inst.version += 1;
  inst.updated_at = now;
  inst.terminal = meta.IsTerminal(inst.state);
  const bool renamed = outcome->effects.new_title && *outcome->effects.new_title != inst.title;
  if (renamed) inst.title = *outcome->effects.new_title;
  RSOFLOW_RETURN_IF_ERROR(
      ApplyEffects(inst, outcome->effects, inst.state != from || renamed, !c.timer_name.empty()));
  auto entry = AppendAudit(inst, c.event, from, c);
  if (!entry.ok()) return entry.status();

  RSOFLOW_RETURN_IF_ERROR(RunFollowUps(outcome->effects.follow_ups, c, depth));

  CommandResult result;
  if (outcome->effects.follow_ups.empty()) {
    result.instance = std::move(inst);
  } else {
    auto reloaded = store_.LoadInstanceForWrite(c.instance_id);
    if (!reloaded.ok()) return reloaded.status();
    result.instance = std::move(reloaded).value();
  }
  result.seq = entry->seq;
  result.hash = entry->hash;
  return result;
}

Result<CommandResult> Engine::StartCommand(const Command& c, int depth) {
  const Workflow* wf = registry_.Find(c.start_workflow);
  if (wf == nullptr) {
    return Status::InvalidRequest("unknown workflow '" + c.start_workflow + "'", {"workflow"});
  }
  const WorkflowMeta& meta = wf->Meta();
  if (!Contains(meta.create_roles, c.actor.role)) {
    return Status::Forbidden("role " + c.actor.role + " may not start " + meta.name);
  }
  if (c.actor.role == role::kLiaison && c.rso_id != c.actor.rso_id) {
    return Status::NotFound("no such RSO");
  }
  if (!c.import_state.empty()) {
    if (!c.actor.is_system()) return Status::Forbidden("only the system imports instances");
    if (meta.FindState(c.import_state) == nullptr) {
      return Status::InvalidRequest("unknown state '" + c.import_state + "' for " + meta.name,
                                    {"state"});
    }
  }
  Env env(store_);
  const int64_t now = clock_.NowMs();
  CreateRequest request{c.actor, c.data, c.rso_id, c.subject_id, now, env};
  auto outcome = wf->Create(request);
  if (!outcome.ok()) return outcome.status();

  Instance inst;
  inst.workflow = meta.name;
  inst.workflow_version = meta.version;
  inst.state = c.import_state.empty() ? meta.initial_state : c.import_state;
  inst.version = 1;
  inst.rso_id = outcome->rso_id.empty() ? c.rso_id : outcome->rso_id;
  inst.subject_id = c.subject_id;
  inst.title = outcome->title;
  inst.data = std::move(outcome->data);
  if (!c.import_state.empty() && c.import_data.is_object()) {
    for (const auto& [key, value] : c.import_data.AsObject()) inst.data.Set(key, value);
  }
  inst.created_at = now;
  inst.created_by = ActorId(c.actor);
  inst.updated_at = now;
  inst.terminal = meta.IsTerminal(inst.state);
  auto id = store_.InsertInstance(inst);
  if (!id.ok()) return id.status();
  inst.id = *id;
  if (!outcome->effects.set_timers.empty()) {
    RSOFLOW_RETURN_IF_ERROR(ApplyEffects(inst, outcome->effects, true, false));
  }
  std::optional<Command> imported;  // its audit entry records what was imported too
  if (!c.import_state.empty()) {
    imported = c;
    imported->data.Set("imported_state", c.import_state);
    imported->data.Set("imported_data", c.import_data);
  }
  auto entry = AppendAudit(inst, imported ? "import" : "create", "", imported ? *imported : c);
  if (!entry.ok()) return entry.status();
  RSOFLOW_RETURN_IF_ERROR(RunFollowUps(outcome->effects.follow_ups, c, depth));
  CommandResult result;
  auto reloaded = store_.LoadInstanceForWrite(inst.id);
  if (!reloaded.ok()) return reloaded.status();
  result.instance = std::move(reloaded).value();
  result.seq = entry->seq;
  result.hash = entry->hash;
  return result;
}

Status Engine::RunFollowUps(const std::vector<FollowUp>& follow_ups, const Command& cause,
                            int depth) {
  for (const FollowUp& f : follow_ups) {
    if (depth + 1 > options_.max_follow_up_depth) {
      return Status::Undecidable("follow-up commands nested deeper than allowed");
    }
    Command fc;
    fc.instance_id = f.instance_id;
    fc.start_workflow = f.start_workflow;
    fc.event = f.event.empty() ? "create" : f.event;
    fc.actor = Actor::System();
    fc.data = f.data;
    fc.comment = f.comment;
    fc.request_id = cause.request_id;
    fc.rso_id = f.rso_id;
    fc.subject_id = f.subject_id;
    auto r = f.start_workflow.empty() ? FireCommand(fc, depth + 1) : StartCommand(fc, depth + 1);
    if (!r.ok()) return r.status();
  }
  return Status::Ok();
}

Status Engine::ApplyEffects(Instance& inst, const Effects& effects, bool state_or_title_changed,
                            bool consumed_timer) {
  const bool touches = inst.terminal || effects.clear_all_timers || !effects.clear_timers.empty() ||
                       !effects.set_timers.empty() || consumed_timer;
  if (inst.terminal || effects.clear_all_timers) {
    RSOFLOW_RETURN_IF_ERROR(store_.DeleteTimers(inst.id));
  }
  for (const auto& name : effects.clear_timers) {
    RSOFLOW_RETURN_IF_ERROR(store_.DeleteTimer(inst.id, name));
  }
  if (!inst.terminal) {
    for (const auto& t : effects.set_timers) {
      RSOFLOW_RETURN_IF_ERROR(store_.PutTimer(TimerRow{inst.id, t.name, t.due_at, t.event}));
      earliest_set_due_ = std::min(earliest_set_due_, t.due_at);
    }
  }
  if (touches) {
    timers_touched_ = true;
    auto due = store_.EarliestTimerOf(inst.id);
    if (!due.ok()) return due.status();
    inst.due_at = *due;
  }
  // Most commands (a vote, a progress report, a revision) change only the data: the narrow
  // write leaves the row's indexed columns, and so its indexes, alone.
  if (!touches && !state_or_title_changed) return store_.UpdateInstanceData(inst);
  return store_.UpdateInstance(inst);
}

Status Engine::RefreshDueAt(int64_t instance_id) {
  auto inst = store_.LoadInstanceForWrite(instance_id);
  if (!inst.ok() && inst.status().code() == Status::Code::kNotFound) return Status::Ok();
  if (!inst.ok()) return inst.status();
  auto due = store_.EarliestTimerOf(instance_id);
  if (!due.ok()) return due.status();
  inst->due_at = *due;
  return store_.UpdateInstance(*inst);
}

Result<AuditHead> Engine::AppendAudit(const Instance& inst, const std::string& event,
                                      const std::string& from_state, const Command& c) {
  AuditEntry e;
  e.seq = head_.seq + 1;
  e.at = clock_.NowMs();
  e.instance_id = inst.id;
  e.workflow = inst.workflow;
  e.workflow_version = inst.workflow_version;
  e.event = event;
  e.from_state = from_state;
  e.to_state = inst.state;
  e.actor_user_id = c.actor.user_id;
  e.actor_username = c.actor.username;
  e.actor_role = c.actor.role;
  e.comment = c.comment;
  e.data = c.data;
  e.request_id = c.request_id;
  e.idempotency_key = c.idempotency_key;
  e.client_ip = c.client_ip;
  e.token_id = c.token_id;
  e.token_issued_by = c.token_issued_by;
  auto salt = RandomHex(16);
  if (!salt) return Status::Unavailable("the system random number generator failed");
  e.salt = std::move(*salt);
  e.prev_hash = head_.hash;
  e.hash = audit::ComputeHash(e);
  RSOFLOW_RETURN_IF_ERROR(store_.AppendAudit(e));
  head_ = AuditHead{e.seq, e.hash};
  return head_;
}

Result<Instance> Engine::GetInstance(int64_t id, const Actor& viewer) const {
  auto inst = store_.GetInstance(id);
  if (!inst.ok()) return NotFoundAsNoInstance(inst.status(), id);
  if (!CanSee(viewer, *inst)) return NoInstance(id);
  return inst;
}

bool Engine::CanSee(const Actor& viewer, const Instance& instance) const {
  if (viewer.role == role::kAdmin) return false;  // admins take part in no workflow
  if (viewer.role == role::kLiaison) {
    return !instance.rso_id.empty() && instance.rso_id == viewer.rso_id;
  }
  return true;
}

std::vector<std::string> Engine::AllowedEvents(const Instance& instance,
                                               const Actor& viewer) const {
  const Workflow* wf = registry_.Find(instance.workflow);
  if (wf == nullptr || instance.terminal || !CanSee(viewer, instance)) return {};
  return wf->Meta().EventsFrom(instance.state, viewer.role);
}

Json Engine::ViewData(const Instance& instance, const Actor& viewer) const {
  const Workflow* wf = registry_.Find(instance.workflow);
  return wf == nullptr ? instance.data : wf->View(instance, viewer);
}

EngineStats Engine::Stats() const {
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
