// Timers (DESIGN 3.5): written with their transition, fired as system commands when the fake
// clock reaches them, consumed once, cleared by terminal states, and fired at start-up when
// they fell due while the process was down.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <new>
#include <vector>

#include "db/wal_vfs.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr int64_t kHour = 3600000;

class TimerTest : public ::testing::Test {
 protected:
  void SetUp() override { sec = h.AddUser("sec", "secretariat"); }
  int64_t ArmedCounter(int64_t due_at) {
    auto r = h.Start("counter", sec, J("{}"));
    EXPECT_TRUE(r.ok());
    Json d = Json::MakeObject();
    d.Set("arm_at", due_at);
    EXPECT_TRUE(h.Fire(r->instance.id, "bump", sec, d).ok());
    return r->instance.id;
  }
  int FireDue() {
    TimerScheduler s(*h.engine, h.clock);
    return s.FireDue();
  }
  Harness h;
  Actor sec;
};

TEST_F(TimerTest, TimerIsStoredWithItsTransitionAndSetsDueAt) {
  const int64_t id = ArmedCounter(kT0 + kHour);
  EXPECT_EQ(h.Load(id).due_at, kT0 + kHour);
  EXPECT_EQ(h.QueryText("SELECT event FROM timers WHERE name = 'alarm'"), "ring");
}

TEST_F(TimerTest, NothingFiresBeforeTheDueTime) {
  const int64_t id = ArmedCounter(kT0 + kHour);
  h.clock.Advance(minutes(59));
  EXPECT_EQ(FireDue(), 0);
  EXPECT_EQ(h.Load(id).state, "counting");
}

TEST_F(TimerTest, DueTimerFiresItsEventAsSystemOnceAndIsConsumed) {
  const int64_t id = ArmedCounter(kT0 + kHour);
  h.clock.Advance(hours(1));
  EXPECT_EQ(FireDue(), 1);
  Instance i = h.Load(id);
  EXPECT_EQ(i.state, "rung");
  EXPECT_FALSE(i.due_at.has_value());
  auto last = h.History(id).back();
  EXPECT_EQ(last.event, "ring");
  EXPECT_EQ(last.actor_role, "system");
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM timers"), "0");
  EXPECT_EQ(FireDue(), 0);
}

TEST_F(TimerTest, ARefusedTimerIsConsumedAndChangesNothing) {
  auto r = h.Start("counter", sec, J("{}"));
  Json d = Json::MakeObject();
  d.Set("arm_at", kT0 + kHour);
  d.Set("arm2_at", kT0 + 2 * kHour);
  ASSERT_TRUE(h.Fire(r->instance.id, "bump", sec, d).ok());
  h.clock.Advance(hours(3));
  EXPECT_EQ(FireDue(), 1);  // the second ring finds the instance already rung
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM timers"), "0");
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM audit WHERE event = 'ring'"), "1");
  EXPECT_FALSE(h.Load(r->instance.id).due_at.has_value());
}

// A timer whose workflow cannot decide its event (it answers unavailable, as a machine that
// cannot restore its stored state does) is not consumed, which would lose the deadline: it is
// put off by Engine::kTimerRetryMs, again each time, and fires once the event can be decided.
// Put off, it is no longer due, so it is not tried every round (where 256 of them would fill
// each round and hold back the timers due after them). (A storage failure fails the whole batch
// instead: TimersThatCannotFireForAStorageFailureAreRetriedAfterAPause.)
TEST_F(TimerTest, ATimerItsWorkflowCannotDecideIsPutOffAndFiresOnceItCan) {
  using std::chrono::milliseconds;
  auto stuck = h.Start("counter", sec, J("{}"));
  const int64_t id = stuck->instance.id;
  Json d = Json::MakeObject();
  d.Set("arm_at", kT0 + kHour);
  d.Set("ring_unavailable", true);
  ASSERT_TRUE(h.Fire(id, "bump", sec, d).ok());
  const int64_t next = ArmedCounter(kT0 + 2 * kHour);
  h.clock.Advance(hours(3));
  int64_t due = kT0 + 3 * kHour + Engine::kTimerRetryMs;

  EXPECT_EQ(FireDue(), 1);  // the other instance's timer fires
  EXPECT_EQ(h.Load(next).state, "rung");
  EXPECT_EQ(h.Load(id).state, "counting");
  EXPECT_EQ(h.QueryText("SELECT due_at FROM timers WHERE name = 'alarm'"), std::to_string(due));
  EXPECT_EQ(h.Load(id).due_at, due);
  const std::string rings_of_stuck =
      "SELECT COUNT(*) FROM audit WHERE event = 'ring' AND instance_id = " + std::to_string(id);
  EXPECT_EQ(h.QueryText(rings_of_stuck), "0");
  h.clock.Advance(milliseconds(Engine::kTimerRetryMs - 1));
  EXPECT_EQ(FireDue(), 0);  // not due again yet
  EXPECT_EQ(h.Load(id).due_at, due);

  h.clock.Advance(milliseconds(1));  // due again, still undecidable: put off again
  EXPECT_EQ(FireDue(), 0);
  due += Engine::kTimerRetryMs;
  EXPECT_EQ(h.Load(id).due_at, due);

  // Once the event can be decided, the timer fires at its new time.
  ASSERT_TRUE(h.Fire(id, "bump", sec, J(R"({"ring_unavailable": false})")).ok());
  h.clock.Advance(milliseconds(Engine::kTimerRetryMs));
  EXPECT_EQ(FireDue(), 1);
  EXPECT_EQ(h.Load(id).state, "rung");
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM timers"), "0");
  EXPECT_EQ(h.QueryText(rings_of_stuck), "1");
}

// A state the workflow does not have (stored by another version of the code, or edited by
// hand) decides nothing either: a user's event answers unavailable, not invalid_transition,
// and the instance's timer is put off, not consumed as a refusal would be.
TEST_F(TimerTest, AnInstanceInAStateItsWorkflowDoesNotHaveKeepsItsTimer) {
  const int64_t id = ArmedCounter(kT0 + kHour);
  h.engine->Stop();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(h.db_path.c_str(), &db), SQLITE_OK);
    const std::string sql =
        "UPDATE instances SET state = 'retired' WHERE id = " + std::to_string(id);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  h.Restart(false);
  auto bumped = h.Fire(id, "bump", sec);
  ASSERT_FALSE(bumped.ok());
  EXPECT_EQ(bumped.status().code(), Status::Code::kUnavailable);
  EXPECT_NE(bumped.status().message().find("'retired'"), std::string::npos)
      << bumped.status().message();

  h.clock.Advance(hours(1));
  EXPECT_EQ(FireDue(), 0);
  EXPECT_EQ(h.QueryText("SELECT due_at FROM timers WHERE name = 'alarm'"),
            std::to_string(kT0 + kHour + Engine::kTimerRetryMs));
  EXPECT_EQ(h.Load(id).due_at, kT0 + kHour + Engine::kTimerRetryMs);
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM audit WHERE event = 'ring'"), "0");
  EXPECT_EQ(h.Load(id).state, "retired");
}

// A passing storage failure inside a timer's event (a full disk, an I/O error, in the middle
// of the transition) decides nothing either, but unlike the cases above it may be gone at
// once: the timer is neither consumed nor put off. It stays due at its time, so the scheduler
// tries it again after its short pause, and fires as soon as the storage works.
TEST_F(TimerTest, APassingStorageFailureInsideATimersEventLeavesItDueAtItsTime) {
  auto started = h.Start("counter", sec, J("{}"));
  ASSERT_TRUE(started.ok());
  const int64_t id = started->instance.id;
  Json d = Json::MakeObject();
  d.Set("arm_at", kT0 + kHour);
  d.Set("ring_storage_failure", true);
  ASSERT_TRUE(h.Fire(id, "bump", sec, d).ok());
  h.clock.Advance(hours(2));

  EXPECT_EQ(FireDue(), 0);
  EXPECT_EQ(h.QueryText("SELECT due_at FROM timers WHERE name = 'alarm'"),
            std::to_string(kT0 + kHour));
  EXPECT_EQ(h.Load(id).due_at, kT0 + kHour);
  EXPECT_EQ(h.Load(id).state, "counting");
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM audit WHERE event = 'ring'"), "0");

  ASSERT_TRUE(h.Fire(id, "bump", sec, J(R"({"ring_storage_failure": false})")).ok());
  EXPECT_EQ(FireDue(), 1);  // no clock advance needed: it was due all along
  EXPECT_EQ(h.Load(id).state, "rung");
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM timers"), "0");
}

// A storage error that repeats (here a trigger on the audit table refuses the ring's entry,
// as a constraint the event's writes break would) is not retried every second, where 256 such
// timers would fill every round and hold back the timers due after them: it is put off like
// an undecidable event, and fires once the cause is gone.
TEST_F(TimerTest, AStorageErrorThatRepeatsInsideATimersEventPutsItOff) {
  const int64_t id = ArmedCounter(kT0 + kHour);
  auto exec = [&](const char* sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(h.db_path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
  };
  exec(
      "CREATE TRIGGER failing_ring BEFORE INSERT ON audit WHEN NEW.event = 'ring' "
      "BEGIN SELECT RAISE(ABORT, 'refused (test)'); END");
  h.clock.Advance(hours(2));
  const int64_t put_off = kT0 + 2 * kHour + Engine::kTimerRetryMs;

  EXPECT_EQ(FireDue(), 0);
  EXPECT_EQ(h.QueryText("SELECT due_at FROM timers WHERE name = 'alarm'"), std::to_string(put_off));
  EXPECT_EQ(h.Load(id).due_at, put_off);
  EXPECT_EQ(h.Load(id).state, "counting");
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM audit WHERE event = 'ring'"), "0");

  exec("DROP TRIGGER failing_ring");
  h.clock.Advance(std::chrono::milliseconds(Engine::kTimerRetryMs));
  EXPECT_EQ(FireDue(), 1);
  EXPECT_EQ(h.Load(id).state, "rung");
}

TEST_F(TimerTest, SettingATimerAgainReplacesIt) {
  const int64_t id = ArmedCounter(kT0 + kHour);
  Json d = Json::MakeObject();
  d.Set("arm_at", kT0 + 5 * kHour);
  ASSERT_TRUE(h.Fire(id, "bump", sec, d).ok());
  EXPECT_EQ(h.Load(id).due_at, kT0 + 5 * kHour);
  h.clock.Advance(hours(2));
  EXPECT_EQ(FireDue(), 0);
}

TEST_F(TimerTest, TerminalStateClearsTheInstancesTimers) {
  const int64_t id = ArmedCounter(kT0 + kHour);
  ASSERT_TRUE(h.Fire(id, "finish", sec).ok());
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM timers"), "0");
  EXPECT_FALSE(h.Load(id).due_at.has_value());
  h.clock.Advance(hours(2));
  EXPECT_EQ(FireDue(), 0);
  EXPECT_EQ(h.Load(id).state, "done");
}

TEST_F(TimerTest, SchedulerThreadWakesWhenTheFakeClockAdvances) {
  h.Restart(true);
  const int64_t id = ArmedCounter(kT0 + kHour);
  h.clock.Advance(hours(1));
  ASSERT_TRUE(h.scheduler->WaitForFired(1, std::chrono::seconds(30)));
  EXPECT_EQ(h.Load(id).state, "rung");
}

// The thread sleeps until the earliest timer it read; a commit wakes it only for a timer due
// before that. The clock never moves here, so nothing but that wake-up can fire the second.
TEST_F(TimerTest, ATimerDueBeforeTheOneTheSchedulerSleepsForWakesIt) {
  h.Restart(true);
  const int64_t late = ArmedCounter(kT0 + 10 * kHour);
  const int64_t now = ArmedCounter(kT0);
  ASSERT_TRUE(h.scheduler->WaitForFired(1, std::chrono::seconds(30)));
  EXPECT_EQ(h.Load(now).state, "rung");
  EXPECT_NE(h.Load(late).state, "rung");
}

// The listener runs on the writer thread before the batch's callers are answered: held inside
// the call, the writer has not answered the command that set the timer.
TEST_F(TimerTest, TheEngineTellsTheEarliestTimerABatchSetBeforeAnsweringItsCallers) {
  auto started = h.Start("counter", sec, J("{}"));
  ASSERT_TRUE(started.ok());
  std::mutex mu;
  std::condition_variable cv;
  bool told = false, release = false;
  int64_t earliest = 0;
  h.engine->SetTimerListener([&](int64_t due) {
    std::unique_lock<std::mutex> lock(mu);
    told = true;
    earliest = due;
    cv.notify_all();
    cv.wait(lock, [&] { return release; });
  });
  Command c;
  c.instance_id = started->instance.id;
  c.event = "bump";
  c.actor = sec;
  c.data = J("{}");
  c.data.Set("arm_at", kT0 + kHour);
  auto answer = h.engine->Submit(std::move(c));
  bool was_told = false, answered_first = false;
  {
    std::unique_lock<std::mutex> lock(mu);
    was_told = cv.wait_for(lock, std::chrono::seconds(30), [&] { return told; });
    answered_first = answer.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    release = true;
  }
  cv.notify_all();
  const bool fired = answer.get().ok();
  h.engine->SetTimerListener(nullptr);
  ASSERT_TRUE(was_told);
  EXPECT_FALSE(answered_first) << "the caller was answered before the scheduler was told";
  EXPECT_TRUE(fired);
  EXPECT_EQ(earliest, kT0 + kHour);
}

// A commit that sets a timer due after the one the thread sleeps for leaves it asleep; one due
// before wakes it. wake_ups() counts a wake-up asked for and not yet taken, so each commit's
// effect shows as soon as the command returns.
TEST_F(TimerTest, OnlyATimerDueBeforeTheOneTheSchedulerSleepsForWakesIt) {
  h.Restart(true);
  ArmedCounter(kT0 + 5 * kHour);
  ASSERT_TRUE(h.scheduler->WaitUntilAsleep(std::chrono::seconds(30)));
  const uint64_t asleep = h.scheduler->wake_ups();
  ArmedCounter(kT0 + 10 * kHour);
  EXPECT_EQ(h.scheduler->wake_ups(), asleep) << "a later timer woke the thread";
  ArmedCounter(kT0 + kHour);
  EXPECT_EQ(h.scheduler->wake_ups(), asleep + 1) << "an earlier timer did not wake the thread";
}

// Fake time that waits like a real clock: a due time already passed means "wait 0 ms".
class PastDueIsNowClock final : public Clock {
 public:
  explicit PastDueIsNowClock(int64_t now) : now_(now) {}
  int64_t NowMs() const override { return now_; }
  std::optional<std::chrono::milliseconds> RealWaitUntil(int64_t due) const override {
    return std::chrono::milliseconds(due > now_ ? 3600000 : 0);
  }

 private:
  int64_t now_;
};

// The disk is full: a due timer's command is answered unavailable, so the timer stays due.
// With a real clock its wait is 0 ms; the thread pauses before trying again instead of
// spinning through failing commits.
TEST_F(TimerTest, TimersThatCannotFireForAStorageFailureAreRetriedAfterAPause) {
  ArmedCounter(kT0 + kHour);
  h.clock.Advance(hours(2));
  PastDueIsNowClock real_like(kT0 + 2 * kHour);
  TimerScheduler scheduler(*h.engine, real_like);
  db::testing::FailingWalWrites full_disk(1 << 30);  // reset on any return
  scheduler.Start();
  const bool asleep = scheduler.WaitUntilAsleep(std::chrono::seconds(30));
  const auto wait = scheduler.last_wait();
  scheduler.Stop();
  db::testing::FailWalWrites(0);
  ASSERT_TRUE(asleep);
  ASSERT_TRUE(wait.has_value());
  EXPECT_GE(*wait, TimerScheduler::kRetryAfterStorageFailure);
  EXPECT_EQ(scheduler.fired(), 0u);
}

TEST_F(TimerTest, TimersThatFellDueWhileDownFireAtStartUp) {
  const int64_t id = ArmedCounter(kT0 + kHour);
  h.engine->Stop();
  h.clock.Advance(hours(6));  // the server is down
  h.Restart(true);            // Start() fires overdue timers before returning
  EXPECT_EQ(h.Load(id).state, "rung");
  EXPECT_EQ(h.History(id).back().at, kT0 + 6 * kHour);
}

// Regression: FakeClock kept calling Wake() on a destroyed scheduler (heap-use-after-free
// under ASan). The scheduler lives in storage the test owns; after destruction the storage is
// zeroed, and any call into it would write to it.
TEST_F(TimerTest, DestroyedSchedulerIsNeverCalledByTheClock) {
  alignas(TimerScheduler) unsigned char storage[sizeof(TimerScheduler)];
  TimerScheduler* scheduler = new (storage) TimerScheduler(*h.engine, h.clock);
  scheduler->~TimerScheduler();
  std::memset(storage, 0, sizeof storage);
  h.clock.Advance(hours(1));
  const bool untouched =
      std::all_of(std::begin(storage), std::end(storage), [](unsigned char b) { return b == 0; });
  EXPECT_TRUE(untouched) << "the clock still calls a destroyed TimerScheduler";
}

}  // namespace
}  // namespace rsoflow::testing
