// Durable Council votes per second through the engine's single writer (group commit), on a
// real SQLite file with journal_mode=WAL and synchronous=FULL.
//
// Each iteration is one `vote` command on a council_ballot of 20 reviewers; the votes go
// ballot by ballot, so every 20th is a ballot's last and closes it (with its resolution
// number) in the same transaction, as in production (counter `closed`). BM_DurableVote: each
// thread waits for every acknowledgement (= its commit) before the next vote.
// BM_DurableVoteInFlight: each thread keeps up to 32 votes in flight, as many waiting API
// clients would, so group commit can form large batches.
//
//   build-perf/bench/writer_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <atomic>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <optional>

#include "app/runtime.h"
#include "engine/clock.h"

namespace rsoflow {
namespace {

constexpr int kVoters = 20;
constexpr int kBallots = 6400;  // 128 000 votes available

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
    UserRecord u{"", name, name, role, "", {}, "x", false, 0, "", "en"};
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

// The next prepared vote, or nullopt when all are used.
std::optional<Command> NextVote(World& w) {
  const int64_t i = w.next.fetch_add(1);
  if (i >= static_cast<int64_t>(kBallots) * kVoters) return std::nullopt;
  Command c;
  // Ballot by ballot: every kVoters-th vote is a ballot's last and closes it.
  c.instance_id = w.ballots[static_cast<size_t>(i / kVoters)];
  c.event = "vote";
  c.actor = w.voters[static_cast<size_t>(i % kVoters)];
  c.data.Set("choice", i % 3 == 0 ? "reject" : "approve");
  return c;
}

void Tally(const Result<CommandResult>& r, int64_t* failed, int64_t* closed) {
  if (!r.ok())
    ++*failed;
  else if (r->instance.state != "open")
    ++*closed;
}

void ReportBatches(benchmark::State& state, const EngineStats& before, const Engine& engine) {
  if (state.thread_index() != 0) return;
  const EngineStats after = engine.Stats();
  const double batches = static_cast<double>(after.batches - before.batches);
  state.counters["mean_batch"] =
      batches > 0 ? static_cast<double>(after.batched_items - before.batched_items) / batches : 0;
}

// Each thread waits for every vote's acknowledgement before it submits the next.
void BM_DurableVote(benchmark::State& state) {
  World& w = TheWorld();
  Engine& engine = w.runtime->engine();
  const EngineStats before = engine.Stats();
  int64_t failed = 0, closed = 0;
  for (auto _ : state) {
    auto c = NextVote(w);
    if (!c) {
      state.SkipWithError("out of prepared votes");
      break;
    }
    Tally(engine.Execute(std::move(*c)), &failed, &closed);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["failed"] = static_cast<double>(failed);
  state.counters["closed"] = static_cast<double>(closed);
  ReportBatches(state, before, engine);
}

// Each thread keeps up to state.range(0) votes in flight (as that many waiting API clients
// would), waiting for the oldest acknowledgement when its window is full; every vote is
// acknowledged (committed) before the benchmark's clock stops.
void BM_DurableVoteInFlight(benchmark::State& state) {
  World& w = TheWorld();
  Engine& engine = w.runtime->engine();
  const EngineStats before = engine.Stats();
  const size_t window = static_cast<size_t>(state.range(0));
  std::deque<std::future<Result<CommandResult>>> in_flight;
  int64_t failed = 0, closed = 0;
  auto settle_oldest = [&] {
    Tally(in_flight.front().get(), &failed, &closed);
    in_flight.pop_front();
  };
  for (auto _ : state) {
    auto c = NextVote(w);
    if (!c) {
      state.SkipWithError("out of prepared votes");
      break;
    }
    if (in_flight.size() >= window) settle_oldest();
    in_flight.push_back(engine.Submit(std::move(*c)));
  }
  while (!in_flight.empty()) settle_oldest();
  state.SetItemsProcessed(state.iterations());
  state.counters["failed"] = static_cast<double>(failed);
  state.counters["closed"] = static_cast<double>(closed);
  ReportBatches(state, before, engine);
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
BENCHMARK(BM_DurableVoteInFlight)
    ->Arg(32)
    ->Threads(8)
    ->Iterations(6000)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace rsoflow

BENCHMARK_MAIN();
