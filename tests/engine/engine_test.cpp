// The engine's choke point, idempotency, optimistic concurrency, follow-ups and audit, on the
// test-only "counter" workflow.
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <map>
#include <sstream>
#include <thread>

#include "db/wal_vfs.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sec = h.AddUser("sec", "secretariat");
    liaison_a = h.AddUser("liaison.a", "rso_liaison", "rso-a");
    liaison_b = h.AddUser("liaison.b", "rso_liaison", "rso-b");
    auditor = h.AddUser("auditor", "auditor");
  }
  int64_t NewCounter(const std::string& rso = "rso-a") {
    auto r = h.Start("counter", sec, J("{}"), rso);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r->instance.id;
  }
  Harness h;
  Actor sec, liaison_a, liaison_b, auditor;
};

TEST_F(EngineTest, StartCreatesInstanceAtVersionOneWithACreationAuditEntry) {
  const int64_t id = NewCounter();
  Instance i = h.Load(id);
  EXPECT_EQ(i.state, "idle");
  EXPECT_EQ(i.version, 1);
  EXPECT_EQ(i.created_by, sec.user_id);
  auto history = h.History(id);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].event, "create");
  EXPECT_EQ(history[0].from_state, "");
  EXPECT_EQ(history[0].to_state, "idle");
  EXPECT_EQ(history[0].actor_user_id, sec.user_id);
}

TEST_F(EngineTest, AcceptedTransitionBumpsVersionAndAppendsOneAuditEntry) {
  const int64_t id = NewCounter();
  auto r = h.Fire(id, "bump", sec, J("{}"), "first");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->instance.state, "counting");
  EXPECT_EQ(r->instance.version, 2);
  EXPECT_EQ(h.Load(id).data.GetInt("count"), 1);
  auto history = h.History(id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].seq, r->seq);
  EXPECT_EQ(history[1].hash, r->hash);
  EXPECT_EQ(history[1].comment, "first");
  EXPECT_EQ(history[1].from_state, "idle");
  EXPECT_EQ(history[1].to_state, "counting");
}

// The disk is full when the batch commits: its command is answered unavailable and nothing of
// it is kept, and the in-memory audit head is restored, so the next command continues the
// chain from the last committed entry.
TEST_F(EngineTest, AFailedCommitAnswersUnavailableKeepsNothingAndTheChainGoesOn) {
  const int64_t id = NewCounter();
  const int64_t entries = h.AuditCount();
  db::testing::FailingWalWrites full_disk(1);  // reset on any return
  auto refused = h.Fire(id, "bump", sec);
  db::testing::FailWalWrites(0);
  EXPECT_EQ(refused.status().code(), Status::Code::kUnavailable) << refused.status().ToString();
  EXPECT_EQ(h.engine->Stats().commit_failures, 1u);
  EXPECT_EQ(h.Load(id).version, 1);
  EXPECT_EQ(h.AuditCount(), entries);
  auto next = h.Fire(id, "bump", sec);
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->instance.version, 2);
  EXPECT_EQ(next->seq, entries + 1);
  EXPECT_TRUE(h.VerifyAudit().ok);
  EXPECT_EQ(h.QueryText("PRAGMA integrity_check"), "ok");
}

TEST_F(EngineTest, RoleNotInTheTableIsForbiddenAndChangesNothing) {
  const int64_t id = NewCounter();
  auto r = h.Fire(id, "bump", auditor);
  EXPECT_EQ(r.status().code(), Status::Code::kForbidden);
  EXPECT_EQ(h.Load(id).version, 1);
  EXPECT_EQ(h.AuditCount(), 1);
}

TEST_F(EngineTest, SystemEventCannotBeFiredByAUser) {
  const int64_t id = NewCounter();
  ASSERT_TRUE(h.Fire(id, "bump", sec).ok());
  EXPECT_EQ(h.Fire(id, "ring", sec).status().code(), Status::Code::kForbidden);
  EXPECT_EQ(h.Load(id).state, "counting");
}

TEST_F(EngineTest, LiaisonOutsideItsRsoGetsNotFoundNotForbidden) {
  const int64_t id = NewCounter("rso-a");
  EXPECT_EQ(h.Fire(id, "bump", liaison_b).status().code(), Status::Code::kNotFound);
  // Even for an event its role could never fire: existence does not leak.
  EXPECT_EQ(h.Fire(id, "finish", liaison_b).status().code(), Status::Code::kNotFound);
  EXPECT_EQ(h.engine->GetInstance(id, liaison_b).status().code(), Status::Code::kNotFound);
  EXPECT_TRUE(h.Fire(id, "bump", liaison_a).ok());
}

TEST_F(EngineTest, LiaisonCannotStartAnInstanceForAnotherRso) {
  auto r = h.Start("counter", liaison_a, J("{}"), "rso-b");
  EXPECT_EQ(r.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(h.AuditCount(), 0);
}

TEST_F(EngineTest, UnknownEventIsAnInvalidRequestNamingTheField) {
  const int64_t id = NewCounter();
  auto r = h.Fire(id, "explode", sec);
  ASSERT_EQ(r.status().code(), Status::Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"event"});
}

TEST_F(EngineTest, EventWithoutARowFromTheStateIsAnInvalidTransitionListingAllowedEvents) {
  const int64_t id = NewCounter();
  auto r = h.Fire(id, "finish", sec);  // idle has no finish row
  ASSERT_EQ(r.status().code(), Status::Code::kInvalidTransition);
  EXPECT_EQ(r.status().state(), "idle");
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"bump"});
}

TEST_F(EngineTest, TerminalInstanceNeverChanges) {
  const int64_t id = NewCounter();
  ASSERT_TRUE(h.Fire(id, "bump", sec).ok());
  ASSERT_TRUE(h.Fire(id, "finish", sec).ok());
  Instance done = h.Load(id);
  EXPECT_TRUE(done.terminal);
  EXPECT_EQ(h.Fire(id, "bump", sec).status().code(), Status::Code::kInvalidTransition);
  EXPECT_EQ(h.Load(id).version, done.version);
}

TEST_F(EngineTest, GuardRefusalRollsBackAloneWithItsReason) {
  const int64_t id = NewCounter();
  auto r = h.Fire(id, "bump", sec, J(R"({"fail": true})"));
  ASSERT_EQ(r.status().code(), Status::Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(), std::vector<std::string>{"asked to fail"});
  EXPECT_EQ(h.Load(id).version, 1);
  EXPECT_EQ(h.AuditCount(), 1);
}

TEST_F(EngineTest, VersionMismatchIsRefusedWithTheCurrentVersionAndChangesNothing) {
  const int64_t id = NewCounter();
  Command c;
  c.instance_id = id;
  c.event = "bump";
  c.actor = sec;
  c.expected_version = 7;
  auto r = h.engine->Execute(c);
  ASSERT_EQ(r.status().code(), Status::Code::kVersionMismatch);
  EXPECT_EQ(r.status().current_version(), 1);
  EXPECT_EQ(h.Load(id).version, 1);
  EXPECT_EQ(h.AuditCount(), 1);
  c.expected_version = 1;
  EXPECT_TRUE(h.engine->Execute(c).ok());
}

TEST_F(EngineTest, IdempotentReplayReturnsTheStoredResultWithoutApplyingTwice) {
  const int64_t id = NewCounter();
  Command c;
  c.instance_id = id;
  c.event = "bump";
  c.actor = sec;
  c.idempotency_key = "bump-once";
  auto first = h.engine->Execute(c);
  ASSERT_TRUE(first.ok());
  auto again = h.engine->Execute(c);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->seq, first->seq);
  EXPECT_EQ(again->hash, first->hash);
  EXPECT_EQ(again->instance.version, first->instance.version);
  EXPECT_EQ(h.Load(id).data.GetInt("count"), 1);
  EXPECT_EQ(h.AuditCount(), 2);
  EXPECT_EQ(h.History(id).back().idempotency_key, "bump-once");
}

TEST_F(EngineTest, IdempotencyKeysAreScopedToTheCaller) {
  const int64_t id = NewCounter();
  Command c;
  c.instance_id = id;
  c.event = "bump";
  c.actor = sec;
  c.idempotency_key = "same-key";
  ASSERT_TRUE(h.engine->Execute(c).ok());
  c.actor = liaison_a;
  auto other = h.engine->Execute(c);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->replayed);
  EXPECT_EQ(h.Load(id).data.GetInt("count"), 2);
}

TEST_F(EngineTest, ReusingAnIdempotencyKeyForADifferentRequestIsRefused) {
  const int64_t id = NewCounter();
  Command c;
  c.instance_id = id;
  c.event = "bump";
  c.actor = sec;
  c.idempotency_key = "k1";
  ASSERT_TRUE(h.engine->Execute(c).ok());
  c.comment = "a different request";
  auto r = h.engine->Execute(c);
  EXPECT_EQ(r.status().code(), Status::Code::kIdempotencyKeyReused);
  EXPECT_EQ(h.Load(id).data.GetInt("count"), 1);
}

TEST_F(EngineTest, RefusedCommandStoresNoIdempotencyRecordSoItCanBeRetried) {
  const int64_t id = NewCounter();
  Command c;
  c.instance_id = id;
  c.event = "bump";
  c.actor = sec;
  c.idempotency_key = "retry-me";
  c.expected_version = 5;
  EXPECT_EQ(h.engine->Execute(c).status().code(), Status::Code::kVersionMismatch);
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM idempotency"), "0");
}

TEST_F(EngineTest, FollowUpRunsInTheSameTransactionAsSystem) {
  const int64_t a = NewCounter();
  const int64_t b = NewCounter();
  ASSERT_TRUE(h.Fire(b, "bump", sec).ok());
  auto r = h.Fire(a, "bump", sec,
                  J(R"({"follow_up": {"id": )" + std::to_string(b) + R"(, "event": "ring"}})"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(h.Load(b).state, "rung");
  auto hb = h.History(b);
  EXPECT_EQ(hb.back().event, "ring");
  EXPECT_EQ(hb.back().actor_role, "system");
  EXPECT_EQ(hb.back().seq, r->seq + 1);
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(EngineTest, FailingFollowUpLeavesNothingChanged) {
  const int64_t a = NewCounter();
  const int64_t b = NewCounter();  // idle: "ring" has no row there
  const int64_t audit_before = h.AuditCount();
  auto r = h.Fire(a, "bump", sec,
                  J(R"({"follow_up": {"id": )" + std::to_string(b) + R"(, "event": "ring"}})"));
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidTransition);
  EXPECT_EQ(h.Load(a).state, "idle");
  EXPECT_EQ(h.Load(a).version, 1);
  EXPECT_EQ(h.Load(b).state, "idle");
  EXPECT_EQ(h.AuditCount(), audit_before);
  // The chain is intact and the next command links to the last committed entry.
  ASSERT_TRUE(h.Fire(a, "bump", sec).ok());
  EXPECT_TRUE(h.VerifyAudit().ok);
}

// A bump on ids[0] whose payload asks ids[1] to bump, which asks ids[2], ... up to ids[n-1].
Json ChainedBumps(const std::vector<int64_t>& ids) {
  Json data = Json::MakeObject();
  for (size_t i = ids.size() - 1; i >= 1; --i) {
    Json f = Json::MakeObject();
    f.Set("id", ids[i]);
    f.Set("event", "bump");
    f.Set("data", data);
    Json outer = Json::MakeObject();
    outer.Set("follow_up", f);
    data = outer;
  }
  return data;
}

TEST_F(EngineTest, FollowUpsNestUpToTheDepthBound) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(NewCounter());  // depths 0..4
  ASSERT_TRUE(h.Fire(ids[0], "bump", sec, ChainedBumps(ids)).ok());
  for (int64_t id : ids) EXPECT_EQ(h.Load(id).state, "counting");
}

TEST_F(EngineTest, FollowUpChainsDeeperThanTheBoundAreRefusedWhole) {
  std::vector<int64_t> ids;
  for (int i = 0; i < 6; ++i) ids.push_back(NewCounter());  // depth 5 is one too many
  const int64_t audit_before = h.AuditCount();
  auto r = h.Fire(ids[0], "bump", sec, ChainedBumps(ids));
  EXPECT_FALSE(r.ok());
  for (int64_t id : ids) EXPECT_EQ(h.Load(id).state, "idle");
  EXPECT_EQ(h.AuditCount(), audit_before);
}

TEST_F(EngineTest, AuditChainLinksEveryEntryToThePreviousOne) {
  const int64_t id = NewCounter();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(h.Fire(id, "bump", sec).ok());
  auto result = h.VerifyAudit();
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.entries, 6);
  EXPECT_EQ(result.head.seq, 6);
  auto history = h.History(id);
  EXPECT_EQ(history[0].prev_hash, kGenesisHash);
  for (size_t i = 1; i < history.size(); ++i) {
    EXPECT_EQ(history[i].prev_hash, history[i - 1].hash);
  }
}

TEST_F(EngineTest, SubmittingAfterStopAnswersUnavailable) {
  h.engine->Stop();
  auto r = h.Start("counter", sec, J("{}"), "rso-a");
  EXPECT_EQ(r.status().code(), Status::Code::kUnavailable);
}

TEST_F(EngineTest, AllowedEventsReflectRoleScopeAndState) {
  const int64_t id = NewCounter("rso-a");
  ASSERT_TRUE(h.Fire(id, "bump", sec).ok());
  Instance i = h.Load(id);
  EXPECT_EQ(h.engine->AllowedEvents(i, sec), (std::vector<std::string>{"bump", "finish"}));
  EXPECT_EQ(h.engine->AllowedEvents(i, liaison_a), (std::vector<std::string>{"bump"}));
  EXPECT_TRUE(h.engine->AllowedEvents(i, liaison_b).empty());
  EXPECT_TRUE(h.engine->AllowedEvents(i, auditor).empty());
}

// The process's threads by name (as top -H and perf show them), each with its nice value.
std::multimap<std::string, int> ThreadsByName() {
  std::multimap<std::string, int> out;
  for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
    std::ifstream stat(task.path() / "stat");
    std::string line;
    std::getline(stat, line);
    const size_t close = line.rfind(')');
    const size_t open = line.find('(');
    if (close == std::string::npos || open == std::string::npos) continue;
    // After "pid (comm)": state is field 3 and nice field 19.
    std::istringstream rest(line.substr(close + 2));
    std::string field;
    for (int i = 3; i < 19 && rest >> field;) ++i;
    int nice = 0;
    rest >> nice;
    out.emplace(line.substr(open + 1, close - open - 1), nice);
  }
  return out;
}

// The writer's nice value, read from /proc: -1000 when no thread is named rsoflow-writer.
int WriterNice() {
  auto threads = ThreadsByName();
  auto it = threads.find("rsoflow-writer");
  return it == threads.end() ? -1000 : it->second;
}

// Whether this process may lower a thread's nice value below 0 (CAP_SYS_NICE, or an
// RLIMIT_NICE that allows it; root in a container may have neither): tried on a thread of its
// own, which then ends.
bool MayLowerNice() {
  bool may = false;
  std::thread([&may] {
    may = setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), -10) == 0;
  }).join();
  return may;
}

// Replaces the harness's engine with one of these options.
void RestartWith(Harness& h, EngineOptions options) {
  h.engine->Stop();
  h.engine.reset();
  h.engine = std::make_unique<Engine>(*h.store, h.clock, h.registry, options);
  ASSERT_TRUE(h.engine->Start().ok());
}

// Replaces the harness's engine with one whose writer asks for `nice`.
void RestartWithWriterNice(Harness& h, int nice) {
  EngineOptions options;
  options.writer_nice = nice;
  RestartWith(h, options);
}

TEST(EngineThreads, TheWriterAndTimerThreadsAreNamed) {
  Harness h(/*with_timers=*/true);
  auto threads = ThreadsByName();
  EXPECT_EQ(threads.count("rsoflow-writer"), 1u);
  EXPECT_EQ(threads.count("rsoflow-timers"), 1u);
}

// Any process may raise a thread's nice value: the writer at +5 runs at 5, and the caller's
// own thread keeps its priority.
TEST(EngineThreads, TheWriterRunsAtTheNiceValueItIsGiven) {
  const int own_nice = getpriority(PRIO_PROCESS, 0);
  if (own_nice > 5) GTEST_SKIP() << "the process runs at nice " << own_nice << ", above 5";
  Harness h;
  RestartWithWriterNice(h, 5);
  EXPECT_EQ(WriterNice(), 5);
  EXPECT_EQ(getpriority(PRIO_PROCESS, 0), own_nice) << "only the writer's own thread changes";
}

// Below 0 needs root or CAP_SYS_NICE (refused, the writer keeps the process's priority and
// says so once); the default is -10.
TEST(EngineThreads, TheWriterAsksForNiceMinusTenByDefault) {
  if (!MayLowerNice()) GTEST_SKIP() << "lowering a nice value needs CAP_SYS_NICE or RLIMIT_NICE";
  Harness h;
  EXPECT_EQ(WriterNice(), -10);
}

TEST(EngineThreads, WriterNiceZeroLeavesTheWriterAtTheProcesssPriority) {
  if (!MayLowerNice()) GTEST_SKIP() << "unprivileged, the default could not move it either";
  Harness h;
  RestartWithWriterNice(h, 0);
  EXPECT_EQ(WriterNice(), getpriority(PRIO_PROCESS, 0));
}

// ---- polling for a short wait (EngineOptions::writer_poll_us, caller_poll_us) ----

constexpr int64_t kAMinuteUs = 60'000'000;  // longer than any commit: the answer comes first

// Waits, yielding, until `done` holds; false after ten seconds (the test then fails).
bool Eventually(const std::function<bool()>& done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::yield();
  }
  return true;
}

// Holds the writer inside a job until Release (or destruction), so callers queue behind it.
class HeldWriter {
 public:
  explicit HeldWriter(Engine& engine) : released_(release_.get_future().share()) {
    done_ = engine.SubmitJob([released = released_](Store&) -> Result<Json> {
      released.wait();
      return Json();
    });
  }
  ~HeldWriter() { Release(); }
  void Release() {
    if (!released_now_) release_.set_value();
    released_now_ = true;
    done_.wait();
  }

 private:
  std::promise<void> release_;
  std::shared_future<void> released_;
  std::future<Result<Json>> done_;
  bool released_now_ = false;
};

class EnginePolling : public ::testing::Test {
 protected:
  void SetUp() override {
    sec = h.AddUser("sec", "secretariat");
    id = h.Start("counter", sec, J("{}"), "rso-a")->instance.id;
  }
  // Restarts the engine with these polling options, the others at their defaults.
  void RestartPolling(int64_t caller_poll_us,
                      int max_polling_callers = EngineOptions{}.max_polling_callers,
                      int64_t writer_poll_us = EngineOptions{}.writer_poll_us) {
    EngineOptions options;
    options.caller_poll_us = caller_poll_us;
    options.max_polling_callers = max_polling_callers;
    options.writer_poll_us = writer_poll_us;
    RestartWith(h, options);
  }
  // Bumps the counter from a thread of its own while the writer is held (so the answer is not
  // there at the caller's first look), until the caller is asleep on it; then lets the writer
  // go and answers what the caller got.
  Result<CommandResult> BumpFromASleepingCaller() {
    HeldWriter held(*h.engine);
    const uint64_t slept = h.engine->Stats().answers_slept;
    Result<CommandResult> bumped = Status::Unavailable("not answered");
    std::thread caller([&] { bumped = h.Fire(id, "bump", sec); });
    EXPECT_TRUE(Eventually([&] { return h.engine->Stats().answers_slept == slept + 1; }));
    EXPECT_EQ(h.engine->Stats().callers_polling, 0);
    held.Release();
    caller.join();
    return bumped;
  }
  Harness h;
  Actor sec;
  int64_t id = 0;
};

TEST_F(EnginePolling, ALoneCallerGetsItsCommittedAnswerWhilePollingForIt) {
  RestartPolling(kAMinuteUs);
  auto bumped = h.Fire(id, "bump", sec);
  ASSERT_TRUE(bumped.ok()) << bumped.status().ToString();
  EXPECT_EQ(bumped->instance.version, 2);
  EXPECT_EQ(h.Load(id).version, 2) << "answered after its commit";
  const EngineStats stats = h.engine->Stats();
  EXPECT_EQ(stats.answers_polled, 1u);
  EXPECT_EQ(stats.answers_slept, 0u);
  EXPECT_EQ(stats.callers_polling, 0);
}

TEST_F(EnginePolling, ACallerNotAnsweredInTimeSleepsAndIsStillAnswered) {
  RestartPolling(1);
  auto bumped = BumpFromASleepingCaller();
  ASSERT_TRUE(bumped.ok()) << bumped.status().ToString();
  EXPECT_EQ(bumped->instance.version, 2);
  EXPECT_EQ(h.engine->Stats().answers_polled, 0u);
}

// Polling takes a CPU: with one turn, a second caller waiting at the same time sleeps.
TEST_F(EnginePolling, NoMoreCallersPollAtOnceThanMaxPollingCallers) {
  RestartPolling(kAMinuteUs, /*max_polling_callers=*/1);
  HeldWriter held(*h.engine);
  Result<CommandResult> first = Status::Unavailable("not answered");
  Result<CommandResult> second = first;
  std::thread a([&] { first = h.Fire(id, "bump", sec); });
  EXPECT_TRUE(Eventually([&] { return h.engine->Stats().callers_polling == 1; }));
  std::thread b([&] { second = h.Fire(id, "bump", sec); });
  EXPECT_TRUE(Eventually([&] { return h.engine->Stats().answers_slept == 1; }))
      << "the second caller polls as well";
  EXPECT_EQ(h.engine->Stats().callers_polling, 1);
  held.Release();
  a.join();
  b.join();
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(h.Load(id).version, 3);
  EXPECT_EQ(h.engine->Stats().answers_polled, 1u);
}

TEST_F(EnginePolling, WithNoTurnsEveryCallerSleeps) {
  RestartPolling(kAMinuteUs, /*max_polling_callers=*/0);
  for (int64_t version : {2, 3}) {
    auto bumped = BumpFromASleepingCaller();
    ASSERT_TRUE(bumped.ok()) << bumped.status().ToString();
    EXPECT_EQ(bumped->instance.version, version);
  }
  EXPECT_EQ(h.engine->Stats().answers_polled, 0u);
  EXPECT_EQ(h.engine->Stats().answers_slept, 2u);
}

// After answering a polling caller the writer polls for the next command (here for a minute):
// a command submitted meanwhile is run, and Stop ends the poll instead of waiting it out.
TEST_F(EnginePolling, TheWriterPollingForWorkStillRunsItAndStopsAtOnce) {
  RestartPolling(kAMinuteUs, EngineOptions{}.max_polling_callers, /*writer_poll_us=*/kAMinuteUs);
  ASSERT_TRUE(h.Fire(id, "bump", sec).ok());  // answered while polling: the writer polls now
  Result<CommandResult> next = Status::Unavailable("not answered");
  std::atomic<bool> answered{false};
  std::thread caller([&] {
    next = h.Fire(id, "bump", sec);
    answered = true;
  });
  EXPECT_TRUE(Eventually([&] { return answered.load(); })) << "the writer's poll missed it";
  caller.join();
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->instance.version, 3);
  EXPECT_EQ(h.engine->Stats().answers_polled, 2u);
  EXPECT_EQ(h.engine->Stats().writer_polls_found, 1u) << "the writer slept instead of polling";
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    h.engine->Stop();
    stopped = true;
  });
  EXPECT_TRUE(Eventually([&] { return stopped.load(); })) << "Stop waited out the writer's poll";
  stopper.join();
}

}  // namespace
}  // namespace rsoflow::testing
