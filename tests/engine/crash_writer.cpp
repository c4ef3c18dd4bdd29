// Child process for crash_test: writes commands through the engine from four threads and
// prints each command's idempotency key on stdout only after the engine acknowledged it (so
// after its commit). The parent kills this process with SIGKILL at random moments.
//
// usage: crash_writer DB_PATH KEY_PREFIX
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "db/sqlite_store.h"
#include "engine/clock.h"
#include "engine/engine.h"
#include "tests/support/test_workflow.h"
#include "workflows/registry.h"

int main(int argc, char** argv) {
  using namespace rsoflow;
  if (argc != 3) {
    std::fprintf(stderr, "usage: crash_writer DB_PATH KEY_PREFIX\n");
    return 2;
  }
  auto store = db::SqliteStore::Open(argv[1]);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 2;
  }
  WorkflowRegistry registry;
  RegisterWorkflows(registry);
  registry.Add(std::make_unique<testing::CounterWorkflow>());
  SystemClock clock;
  Engine engine(**store, clock, registry);
  if (!engine.Start().ok()) return 2;
  Actor sec{"1", "sec", "secretariat", "", {}};

  int64_t counter = 1;
  if (!(*store)->GetInstance(counter).ok()) {
    Command c;
    c.start_workflow = "counter";
    c.actor = sec;
    auto r = engine.Execute(c);
    if (!r.ok()) return 2;
    counter = r->instance.id;
  }
  std::mutex out_mu;
  const std::string prefix = argv[2];
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < 100000; ++n) {
        Command c;
        c.instance_id = counter;
        c.event = "bump";
        c.actor = sec;
        c.idempotency_key = prefix + "-" + std::to_string(t) + "-" + std::to_string(n);
        auto r = engine.Execute(c);
        if (!r.ok()) {
          std::fprintf(stderr, "refused: %s\n", r.status().ToString().c_str());
          continue;
        }
        std::string line = c.idempotency_key + "\n";
        std::lock_guard<std::mutex> lock(out_mu);
        if (write(STDOUT_FILENO, line.data(), line.size()) < 0) return;
      }
    });
  }
  for (auto& th : threads) th.join();
  return 0;
}
