// Durable Council votes per second through the engine's single writer (group commit), on a
// real SQLite file with journal_mode=WAL and synchronous=FULL.
//
// Each iteration is one `vote` command on a council_ballot, submitted by a thread that waits
// for its acknowledgement (= its commit). Commands spread over many ballots of 20 reviewers,
// so the last vote on a ballot also closes it (with its resolution number) in the same
// transaction, as in production.
//
//   build/bench/writer_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <atomic>
#include <filesystem>
#include <future>
#include <mutex>

#include "api/runtime.h"
#include "engine/clock.h"

namespace rsoflow {
namespace {

constexpr int kVoters = 20;
constexpr int kBallots = 4000;  // 80 000 votes available

struct World {
  SystemClock clock;
  std::string dir;
  std::unique_ptr<Runtime> runtime;
  std::vector<Actor> voters;
  std::vector<int64_t> ballots;
  std::atomic<int64_t> next{0};
};

World* Setup() {
  auto* w = new World;
  w->dir = (std::filesystem::temp_directory_path() / "rsoflow-bench").string();
  std::filesystem::remove_all(w->dir);
  std::filesystem::create_directories(w->dir);
  auto rt = Runtime::Open(w->dir + "/bench.db", w->clock, false);
  if (!rt.ok()) std::abort();
  w->runtime = std::move(rt).value();
  Engine& engine = w->runtime->engine();
  auto add_user = [&](const std::string& name, const std::string& role) {
    UserRecord u{"", name, name, role, "", {}, "x", false, 0};
    auto id = engine
                  .SubmitJob([u](Store& s) -> Result<Json> {
                    auto r = s.InsertUser(u);
                    if (!r.ok()) return r.status();
                    return Json(*r);
                  })
                  .get();
    return Actor{id->AsString(), name, role, "", {}};
  };
  Actor sec = add_user("sec", "secretariat");
  for (int i = 0; i < kVoters; ++i)
    w->voters.push_back(add_user("c" + std::to_string(i), "council"));
  std::vector<std::future<Result<CommandResult>>> created;
  for (int i = 0; i < kBallots; ++i) {
    Command c;
    c.start_workflow = "council_ballot";
    c.actor = sec;
    c.data.Set("title", "Ballot " + std::to_string(i));
    c.data.Set("question", "Approve?");
    c.data.Set("deadline", FormatTime(w->clock.NowMs() + 14 * kMsPerDay));
    created.push_back(engine.Submit(std::move(c)));
  }
  for (auto& f : created) w->ballots.push_back(f.get()->instance.id);
  return w;
}

World& TheWorld() {
  static World* w = Setup();
  return *w;
}

void BM_DurableVote(benchmark::State& state) {
  World& w = TheWorld();
  Engine& engine = w.runtime->engine();
  const EngineStats before = engine.Stats();
  int64_t failed = 0;
  for (auto _ : state) {
    const int64_t i = w.next.fetch_add(1);
    if (i >= static_cast<int64_t>(kBallots) * kVoters) {
      state.SkipWithError("out of prepared votes");
      break;
    }
    Command c;
    c.instance_id = w.ballots[static_cast<size_t>(i % kBallots)];
    c.event = "vote";
    c.actor = w.voters[static_cast<size_t>(i / kBallots)];
    c.data.Set("choice", i % 3 == 0 ? "reject" : "approve");
    if (!engine.Execute(std::move(c)).ok()) ++failed;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["failed"] = static_cast<double>(failed);
  if (state.thread_index() == 0) {
    const EngineStats after = engine.Stats();
    const double batches = static_cast<double>(after.batches - before.batches);
    state.counters["mean_batch"] =
        batches > 0 ? static_cast<double>(after.batched_items - before.batched_items) / batches : 0;
  }
}

BENCHMARK(BM_DurableVote)
    ->Threads(1)
    ->Iterations(8000)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DurableVote)
    ->Threads(8)
    ->Iterations(8000)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace rsoflow

BENCHMARK_MAIN();
