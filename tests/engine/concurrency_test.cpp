// Many threads submitting at once: every command applied exactly once, seq gap-free, chain
// intact; a refused command in a batch rolls back alone.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

TEST(Concurrency, EightThreadsOfFiveHundredCommandsLoseNothingAndApplyNothingTwice) {
  Harness h;
  Actor sec = h.AddUser("sec", "secretariat");
  constexpr int kThreads = 8, kPerThread = 500;
  std::vector<int64_t> counters;
  for (int t = 0; t < kThreads; ++t) {
    auto r = h.Start("counter", sec, J("{}"));
    ASSERT_TRUE(r.ok());
    counters.push_back(r->instance.id);
  }
  const int64_t before = h.AuditCount();
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kPerThread; ++n) {
        Command c;
        // Threads share instances pairwise so commands on one instance interleave.
        c.instance_id = counters[static_cast<size_t>(t / 2 * 2)];
        c.event = "bump";
        c.actor = sec;
        c.idempotency_key = "t" + std::to_string(t) + "-" + std::to_string(n);
        if (!h.engine->Execute(std::move(c)).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(h.AuditCount() - before, kThreads * kPerThread);
  for (int t = 0; t < kThreads; t += 2) {
    EXPECT_EQ(h.Load(counters[static_cast<size_t>(t)]).data.GetInt("count"), 2 * kPerThread);
  }
  EXPECT_EQ(h.QueryText("SELECT MAX(seq) - MIN(seq) + 1 = COUNT(*) AND MIN(seq) = 1 FROM audit"),
            "1");
  EXPECT_EQ(
      h.QueryText("SELECT COUNT(*) FROM (SELECT idempotency_key FROM audit WHERE "
                  "idempotency_key IS NOT NULL GROUP BY idempotency_key HAVING COUNT(*) > 1)"),
      "0");
  auto verdict = h.VerifyAudit();
  EXPECT_TRUE(verdict.ok) << verdict.problem;
  EXPECT_EQ(verdict.entries, h.AuditCount());
}

TEST(Concurrency, RefusedCommandInABatchRollsBackAloneAndOthersCommit) {
  Harness h;
  Actor sec = h.AddUser("sec", "secretariat");
  auto r = h.Start("counter", sec, J("{}"));
  ASSERT_TRUE(r.ok());
  std::vector<std::future<Result<CommandResult>>> futures;
  for (int i = 0; i < 30; ++i) {
    Command c;
    c.instance_id = r->instance.id;
    c.event = "bump";
    c.actor = sec;
    if (i % 3 == 1) c.data = J(R"({"fail": true})");
    futures.push_back(h.engine->Submit(std::move(c)));
  }
  int ok = 0, refused = 0;
  for (auto& f : futures) {
    auto res = f.get();
    if (res.ok()) {
      ++ok;
    } else {
      ++refused;
      EXPECT_EQ(res.status().code(), Status::Code::kGuardFailed);
    }
  }
  EXPECT_EQ(ok, 20);
  EXPECT_EQ(refused, 10);
  EXPECT_EQ(h.Load(r->instance.id).data.GetInt("count"), 20);
  EXPECT_EQ(h.AuditCount(), 21);
  EXPECT_TRUE(h.VerifyAudit().ok);
}

}  // namespace
}  // namespace rsoflow::testing
