// Power loss at every write and sync (issue 20, docs/RELIABILITY.md): a workload of commands
// through the engine (tests/db/power_loss_workload.h) runs over the power-loss VFS
// (tests/support/power_loss_vfs.h), which sits under the writer's coalescing WAL VFS, and the
// power goes at one write or sync, losing, keeping or tearing what was not synced. The files
// are then opened with the default VFS, as after a reboot, and must pass integrity_check, hold
// an audit chain that verifies, every command acknowledged before the cut exactly once (with
// the seq and hash it was answered with), every document upload answered once with its bytes
// (hashing to what its audit entry says) and every timer acknowledged fired once; then the
// engine starts, the command in flight sent again with its Idempotency-Key is applied once,
// and a new command is accepted.
//
// The short workload (one round) is cut at every point with each of the four kinds of loss;
// the long one (eight rounds, a server restart after the second: a checkpoint, the WAL
// deleted and made again; later SQLite's own checkpoint) at a seeded random sample of points,
// each with a random kind of loss.
//   RSOFLOW_POWER_LOSS_POINTS=N   how many points of the long workload (default 300)
//   RSOFLOW_POWER_LOSS_POINTS=all every point of the long workload, with each kind of loss
//   RSOFLOW_POWER_LOSS_SEED=S     the sample's seed (default 20261206)
// Its own binary: the VFS must be registered before the coalescing VFS first is.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <set>

#include "engine/documents.h"
#include "tests/db/power_loss_workload.h"
#include "tests/support/harness.h"
#include "tests/support/partnership_world.h"
#include "tests/support/power_loss_vfs.h"
#include "workflows/registry.h"

namespace rsoflow::testing {
namespace {

namespace pl = power_loss;

constexpr int kShortRounds = 1;
// Long enough for SQLite's own checkpoint (at 1 000 WAL pages) after the restart's.
constexpr int kLongRounds = 8;
constexpr int kLongRestartAfter = 1;  // after the second round

// A directory on tmpfs when there is one: the syncs are simulated, the disk's are not needed.
class PointDir {
 public:
  PointDir() {
    const std::string base = std::filesystem::exists("/dev/shm")
                                 ? std::string("/dev/shm")
                                 : std::filesystem::temp_directory_path().string();
    std::string templ = base + "/rsoflow-power-loss-XXXXXX";
    if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = templ;
  }
  ~PointDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

struct Expected {
  std::vector<Acknowledged> acknowledged;
  std::vector<FiredTimer> timers;
  std::vector<AttachedDocument> documents;
};

class Db {
 public:
  explicit Db(const std::string& path) {
    // The platform's VFS, by name: what a reboot opens the file with.
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, "unix") != SQLITE_OK) {
      sqlite3_close(db_);
      db_ = nullptr;
    }
  }
  ~Db() { sqlite3_close(db_); }
  bool ok() const { return db_ != nullptr; }
  // Each row's columns as text.
  std::vector<std::vector<std::string>> Rows(const std::string& sql) const {
    std::vector<std::vector<std::string>> rows;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      rows.push_back({"error: " + std::string(sqlite3_errmsg(db_))});
      return rows;
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(s); ++c) {
        const unsigned char* t = sqlite3_column_text(s, c);
        row.push_back(t ? reinterpret_cast<const char*>(t) : "");
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(s);
    return rows;
  }

 private:
  sqlite3* db_ = nullptr;
};

// What is wrong with the file after the reboot, in words; empty when nothing is.
std::vector<std::string> Inspect(const std::string& path, const Expected& expected) {
  std::vector<std::string> problems;
  {
    Db db(path);
    if (!db.ok()) return {"the database does not open"};
    const auto integrity = db.Rows("PRAGMA integrity_check");
    if (integrity.empty() || integrity[0].empty() || integrity[0][0] != "ok") {
      problems.push_back("integrity_check: " +
                         (integrity.empty() || integrity[0].empty() ? "" : integrity[0][0]));
    }
    std::map<std::string, std::vector<std::string>> by_key;  // key -> count, seq, hash
    for (auto& row : db.Rows("SELECT idempotency_key, COUNT(*), MIN(seq), MIN(hash) FROM audit "
                             "WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key")) {
      if (row.size() < 4) return {"audit: " + row[0]};
      if (row[1] != "1") problems.push_back("applied " + row[1] + " times: " + row[0]);
      by_key[row[0]] = {row[1], row[2], row[3]};
    }
    std::set<std::string> remembered;
    for (auto& row : db.Rows("SELECT key FROM idempotency")) remembered.insert(row[0]);
    for (const Acknowledged& a : expected.acknowledged) {
      auto it = by_key.find(a.key);
      if (it == by_key.end()) {
        problems.push_back("acknowledged but lost: " + a.key);
      } else if (it->second[1] != std::to_string(a.seq) || it->second[2] != a.hash) {
        problems.push_back("acknowledged as seq " + std::to_string(a.seq) + ", found as seq " +
                           it->second[1] + " with another hash: " + a.key);
      }
      if (remembered.count(a.key) == 0) problems.push_back("idempotency record lost: " + a.key);
    }
    // Timers and follow-ups (actor system) act at most once on an instance in this workload.
    for (auto& row : db.Rows("SELECT instance_id, event, COUNT(*) FROM audit WHERE actor_role = "
                             "'system' GROUP BY instance_id, event HAVING COUNT(*) > 1")) {
      problems.push_back("system event applied " + row.back() + " times: " + row[0]);
    }
    for (const FiredTimer& t : expected.timers) {
      const auto n = db.Rows(
          "SELECT COUNT(*) FROM audit WHERE actor_role = 'system' AND "
          "instance_id = " +
          std::to_string(t.instance_id) + " AND event = '" + t.event + "'");
      if (n.empty() || n[0][0] != "1") {
        problems.push_back("timer " + t.event + " of instance " + std::to_string(t.instance_id) +
                           " fired " + (n.empty() ? "?" : n[0][0]) + " times");
      }
    }
    // Every upload answered is there once, with the hash it was answered with, its audit
    // entry, and the mark on the document it replaced.
    for (const AttachedDocument& d : expected.documents) {
      const std::string id = std::to_string(d.id);
      const auto row = db.Rows(
          "SELECT instance_id, sha256, (SELECT COUNT(*) FROM audit WHERE "
          "event = 'attach_document' AND json_extract(data, "
          "'$.document_id') = '" +
          id + "') FROM documents WHERE id = " + id);
      if (row.empty() || row[0].size() < 3) {
        problems.push_back("uploaded but lost: document " + id);
        continue;
      }
      if (row[0][0] != std::to_string(d.instance_id) || row[0][1] != d.sha256) {
        problems.push_back("document " + id + " is not the one uploaded");
      }
      if (row[0][2] != "1") {
        problems.push_back("document " + id + " has " + row[0][2] + " audit entries");
      }
      if (d.supersedes != 0) {
        const auto old = db.Rows("SELECT superseded_by FROM documents WHERE id = " +
                                 std::to_string(d.supersedes));
        if (old.empty() || old[0][0] != id) {
          problems.push_back("document " + std::to_string(d.supersedes) +
                             " is not marked superseded by " + id);
        }
      }
    }
    // Each instance as its audit trail says: as many versions as entries, the last state.
    for (auto& row :
         db.Rows("SELECT i.id FROM instances i WHERE i.version != (SELECT COUNT(*) FROM audit a "
                 "WHERE a.instance_id = i.id) OR i.state IS NOT (SELECT to_state FROM audit a "
                 "WHERE a.instance_id = i.id ORDER BY seq DESC LIMIT 1)")) {
      problems.push_back("instance differs from its audit trail: " + row[0]);
    }
  }
  auto store = db::SqliteStore::OpenReadOnly(path);
  if (!store.ok()) return {"audit verify cannot open the file: " + store.status().ToString()};
  AuditVerifier verifier;
  const Status read =
      (*store)->ForEachAudit(0, [&](const AuditEntry& e) { return verifier.Add(e); });
  const AuditVerifyResult verdict = verifier.Finish();
  if (!read.ok()) problems.push_back("reading the audit chain: " + read.ToString());
  if (!verdict.ok) {
    problems.push_back("audit chain broken at seq " +
                       std::to_string(verdict.first_bad_seq.value_or(0)) + ": " + verdict.problem);
  }
  // Every stored document's bytes still hash to what its audit entry recorded.
  auto documents = VerifyDocuments(**store);
  if (!documents.ok()) {
    problems.push_back("verifying the documents: " + documents.status().ToString());
  } else if (!documents->ok) {
    problems.push_back("document " + std::to_string(documents->first_bad_document.value_or(0)) +
                       ": " + documents->problem);
  }
  return problems;
}

struct Point {
  int64_t cut_at = -1;  // -1: a run without a cut, counting the operations
  pl::Loss loss = pl::Loss::kDiscard;
  uint32_t seed = 0;
  bool syncs_lie = false;
};

struct Outcome {
  pl::Report report;
  int commands = 0;
  size_t documents = 0;  // uploads answered
  bool workload_finished = false;
  bool retried = false;
  bool retry_replayed = false;  // the command in flight had reached the disk
  std::vector<std::string> problems;
};

class PowerLoss : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    spdlog::set_level(spdlog::level::off);  // every command after a cut logs its failure
    pl::Install();
    RegisterWorkflows(registry_);
    // The database every point starts from: users, a recognized RSO and an ended ISO event.
    base_ = new PointDir();
    Harness h;
    PartnershipWorld w(h);
    cast_.sec = w.sec;
    cast_.council = w.council;
    cast_.rso = w.RecognizedRso("BASE");
    cast_.iso_event = w.AddIsoEvent("Regional workshop", "2026-02-10", "2026-02-12", {cast_.rso});
    h.engine->Stop();
    h.engine.reset();
    h.store.reset();  // the last connection: the WAL is checkpointed into the file
    std::filesystem::copy_file(h.db_path, base_->File("base.db"));
    for (const char* side : {"-wal", "-shm"}) {
      if (std::filesystem::exists(h.db_path + side)) {
        std::filesystem::copy_file(h.db_path + side, base_->File(std::string("base.db") + side));
      }
    }
  }
  static void TearDownTestSuite() {
    delete base_;
    base_ = nullptr;
  }

  // Runs the workload from the base database with the power cut as `point` says, reboots, and
  // checks.
  static Outcome Run(int rounds, int restart_after, const Point& point) {
    Outcome out;
    PointDir dir;
    const std::string path = dir.File("rsoflow.db");
    for (const char* side : {"", "-wal", "-shm"}) {
      const std::string from = base_->File(std::string("base.db") + side);
      if (std::filesystem::exists(from)) std::filesystem::copy_file(from, path + side);
    }
    FakeClock clock(kT0);
    Node before;
    Workload workload(before, clock, registry_, path, cast_);
    pl::Arm(point.cut_at, point.loss, point.seed, point.syncs_lie);
    if (before.Open(path, clock, registry_).ok()) workload.Run(rounds, restart_after);
    before.Close();
    out.report = pl::Observed();
    pl::Restore();
    out.commands = workload.commands();
    out.documents = workload.documents.size();
    out.workload_finished = !workload.stopped();
    if (point.cut_at < 0 && !point.syncs_lie) return out;

    Expected expected{workload.acknowledged, workload.timers_fired, workload.documents};
    out.problems = Inspect(path, expected);
    if (point.syncs_lie) return out;
    // The reboot: the engine starts, fires what fell due, and takes the command in flight
    // again (its Idempotency-Key makes it once at most) and a new one.
    Node node;
    const Status started = node.Open(path, clock, registry_);
    if (!started.ok()) {
      out.problems.push_back("the engine does not start: " + started.ToString());
      return out;
    }
    node.timers->FireDue();
    if (workload.in_flight_timer) expected.timers.push_back(*workload.in_flight_timer);
    if (workload.in_flight) {
      out.retried = true;
      auto r = node.engine->Execute(*workload.in_flight);
      if (r.ok()) {
        out.retry_replayed = r->replayed;
        expected.acknowledged.push_back({workload.in_flight->idempotency_key, r->seq, r->hash});
      } else {
        out.problems.push_back("the command in flight, sent again, is refused: " +
                               r.status().ToString());
      }
    }
    Command fresh;
    fresh.start_workflow = "council_ballot";
    fresh.event = "create";
    fresh.actor = cast_.sec;
    fresh.idempotency_key = "after-the-power-came-back";
    fresh.data = J(R"({"title": "After the power cut", "question": "Go on?"})");
    fresh.data.Set("deadline", FormatTime(clock.NowMs() + 4 * kMsPerDay));
    auto r = node.engine->Execute(fresh);
    if (r.ok()) {
      expected.acknowledged.push_back({fresh.idempotency_key, r->seq, r->hash});
    } else {
      out.problems.push_back("a new command is refused: " + r.status().ToString());
    }
    node.Close();
    for (const std::string& p : Inspect(path, expected)) out.problems.push_back("later: " + p);
    return out;
  }

  // Cuts at each point, failing for each point with a problem (the first few in detail).
  static void CutAt(const std::vector<Point>& points, int rounds, int restart_after,
                    const std::string& name) {
    int failed = 0, replayed = 0, retried = 0;
    std::map<std::string, int> pages;
    for (const Point& p : points) {
      const Outcome o = Run(rounds, restart_after, p);
      pages["kept"] += o.report.pages_kept;
      pages["lost"] += o.report.pages_lost;
      pages["torn"] += o.report.pages_torn;
      retried += o.retried ? 1 : 0;
      replayed += o.retry_replayed ? 1 : 0;
      EXPECT_TRUE(o.report.cut) << "no operation " << p.cut_at;
      if (!o.problems.empty() && ++failed <= 5) {
        std::string all;
        for (size_t i = 0; i < o.problems.size() && i < 8; ++i) all += "\n  " + o.problems[i];
        ADD_FAILURE() << "power cut at operation " << p.cut_at << " (" << o.report.cut_during
                      << "), loss " << pl::LossName(p.loss) << ", seed " << p.seed << ", after "
                      << o.commands << " commands:" << all;
      }
    }
    EXPECT_EQ(failed, 0) << "of " << points.size() << " points";
    std::cout << "[power-loss] " << name << ": " << points.size() << " cuts, " << failed
              << " with a problem; pages kept " << pages["kept"] << ", lost " << pages["lost"]
              << ", torn " << pages["torn"] << "; the command in flight sent again " << retried
              << " times, answered from the idempotency store " << replayed << " times\n";
  }

  static pl::Report DryRun(int rounds, int restart_after) {
    const Outcome o = Run(rounds, restart_after, Point{});
    EXPECT_TRUE(o.workload_finished) << "the workload fails without a power cut";
    // Two uploads a round (a document and the copy that supersedes it) are among the writes.
    EXPECT_EQ(o.documents, static_cast<size_t>(2 * rounds));
    return o.report;
  }

  static WorkflowRegistry registry_;
  static Cast cast_;
  static PointDir* base_;
};

WorkflowRegistry PowerLoss::registry_;
Cast PowerLoss::cast_;
PointDir* PowerLoss::base_ = nullptr;

TEST_F(PowerLoss, TheSimulatedDiskSitsUnderTheWritersCoalescingVfs) {
  const pl::Report r = DryRun(kShortRounds, -1);
  EXPECT_FALSE(r.cut);
  EXPECT_GT(r.operations, 20);
  // The writer's WAL writes reach the simulated disk: it is under the coalescing VFS.
  EXPECT_GT(r.wal_writes, 0u);
}

TEST_F(PowerLoss, TheLongWorkloadCheckpointsOnItsOwnBesidesAtTheRestart) {
  // Syncs of the database file: the first round's commits sync only the WAL; the restart
  // checkpoints (a sync), and so does SQLite once the WAL reaches 1 000 pages.
  EXPECT_GE(DryRun(kLongRounds, kLongRestartAfter).db_syncs, 3u);
}

TEST_F(PowerLoss, TheChecksNoticeADiskThatIgnoresSyncs) {
  const int64_t ops = DryRun(kShortRounds, -1).operations;
  Point p;
  p.cut_at = ops - 1;
  p.syncs_lie = true;
  const Outcome o = Run(kShortRounds, -1, p);
  ASSERT_TRUE(o.report.cut);
  ASSERT_FALSE(o.problems.empty());
  EXPECT_NE(o.problems[0].find("acknowledged but lost"), std::string::npos) << o.problems[0];
}

TEST_F(PowerLoss, AtEveryWriteAndSyncOfAShortWorkloadNothingAcknowledgedIsLostOrDoubled) {
  const int64_t ops = DryRun(kShortRounds, -1).operations;
  std::vector<Point> points;
  for (int64_t at = 0; at < ops; ++at) {
    for (pl::Loss loss :
         {pl::Loss::kDiscard, pl::Loss::kKeepAll, pl::Loss::kOutOfOrder, pl::Loss::kTorn}) {
      points.push_back(
          Point{at, loss, static_cast<uint32_t>(at * 4 + static_cast<int>(loss)), false});
    }
  }
  CutAt(points, kShortRounds, -1,
        "short workload, every one of " + std::to_string(ops) +
            " writes and syncs x 4 kinds of loss");
}

TEST_F(PowerLoss, AtASampleOfPointsOfALongWorkloadNothingAcknowledgedIsLostOrDoubled) {
  const int64_t ops = DryRun(kLongRounds, kLongRestartAfter).operations;
  const char* env_points = getenv("RSOFLOW_POWER_LOSS_POINTS");
  const char* env_seed = getenv("RSOFLOW_POWER_LOSS_SEED");
  const std::string wanted = env_points ? env_points : "300";
  const uint32_t seed = env_seed ? static_cast<uint32_t>(std::stoul(env_seed)) : 20261206u;
  std::vector<int64_t> ats(static_cast<size_t>(ops));
  for (int64_t i = 0; i < ops; ++i) ats[static_cast<size_t>(i)] = i;
  std::mt19937 rng(seed);
  if (wanted != "all") {
    std::shuffle(ats.begin(), ats.end(), rng);
    ats.resize(std::min(ats.size(), static_cast<size_t>(std::stoul(wanted))));
    std::sort(ats.begin(), ats.end());
  }
  std::vector<Point> points;
  for (int64_t at : ats) {
    if (wanted == "all") {
      for (int loss = 0; loss < 4; ++loss) {
        points.push_back(
            Point{at, static_cast<pl::Loss>(loss), static_cast<uint32_t>(rng()), false});
      }
    } else {
      const auto loss = static_cast<pl::Loss>(std::uniform_int_distribution<int>(0, 3)(rng));
      points.push_back(Point{at, loss, static_cast<uint32_t>(rng()), false});
    }
  }
  CutAt(points, kLongRounds, kLongRestartAfter,
        "long workload, " + std::to_string(ats.size()) + " of " + std::to_string(ops) +
            " writes and syncs (seed " + std::to_string(seed) + ")");
}

}  // namespace
}  // namespace rsoflow::testing
