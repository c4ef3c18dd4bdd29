// Migration 0014: the state of each RSO's latest instance of each workflow (an RSO's status, read
// by GET /rsos?status= as a range), kept by triggers. After any mix of new instances, state
// changes and instances moved between RSOs, the table is what a recount of the instances gives,
// and the store's look-up of an RSO's latest instance through it finds that instance.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <random>
#include <string>
#include <vector>

#include "db/sqlite_store.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

// The rows of `sql`, each as one text.
std::vector<std::string> Rows(const std::string& db, const char* sql) {
  sqlite3* conn = nullptr;
  sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  std::vector<std::string> rows;
  if (sqlite3_prepare_v2(conn, sql, -1, &stmt, nullptr) != SQLITE_OK) {
    rows.push_back(std::string("cannot prepare: ") + sqlite3_errmsg(conn));
  }
  while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
    std::string row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const unsigned char* text = sqlite3_column_text(stmt, i);
      row += (i ? "|" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "NULL");
    }
    rows.push_back(row);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(conn);
  return rows;
}

constexpr const char* kKept =
    "SELECT workflow, rso_id, instance_id, state FROM rso_latest ORDER BY workflow, rso_id";
constexpr const char* kRecounted =
    "SELECT workflow, CAST(rso_id AS INTEGER), MAX(id), state FROM instances WHERE rso_id IS NOT "
    "NULL AND rso_id <> '' GROUP BY workflow, CAST(rso_id AS INTEGER) ORDER BY 1, 2";

TEST(RsoLatest, IsTheRecountOfTheInstancesAfterEveryKindOfWrite) {
  TempDir dir;
  const std::string path = dir.File("latest.db");
  auto opened = db::SqliteStore::Open(path);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  db::SqliteStore& store = **opened;
  std::mt19937 rng(21);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const std::vector<std::string> rsos = {"", "1", "2", "3", "17"};
  const std::vector<std::string> workflows = {"rso_recognition", "partnership_initiative"};
  const std::vector<std::string> states = {"draft", "submitted", "recognized", "suspended"};
  std::vector<Instance> written;
  for (int round = 0; round < 40; ++round) {
    ASSERT_TRUE(store.Begin().ok());
    for (int op = 0; op < 6; ++op) {
      const int kind = written.empty() ? 0 : pick(3);
      if (kind == 0) {  // a new instance, perhaps of no RSO
        Instance inst;
        inst.workflow = workflows[pick(2)];
        inst.state = states[pick(4)];
        inst.version = 1;
        inst.rso_id = rsos[pick(5)];
        inst.title = "t";
        inst.created_by = "system";
        auto id = store.InsertInstance(inst);
        ASSERT_TRUE(id.ok()) << id.status().ToString();
        inst.id = *id;
        written.push_back(inst);
      } else {
        Instance& inst = written[pick(static_cast<int>(written.size()))];
        if (kind == 1) {
          inst.state = states[pick(4)];  // a transition (or an edit in the same state)
        } else {
          inst.rso_id = rsos[pick(5)];  // given to another RSO, or to none
        }
        inst.version += 1;
        ASSERT_TRUE(store.UpdateInstance(inst).ok());
      }
    }
    ASSERT_TRUE(store.Commit().ok());
    ASSERT_EQ(Rows(path, kKept), Rows(path, kRecounted)) << "after round " << round;
    // The store's look-up of an RSO's latest instance (the status GET /rsos shows) agrees.
    for (const std::string& workflow : workflows) {
      for (const std::string rso : {"1", "2", "3", "17", "99"}) {
        const Instance* latest = nullptr;
        for (const Instance& inst : written) {
          if (inst.workflow == workflow && inst.rso_id == rso) latest = &inst;
        }
        auto got = store.LatestInstanceOfRso(workflow, rso);
        ASSERT_TRUE(got.ok()) << got.status().ToString();
        ASSERT_EQ(got->has_value(), latest != nullptr) << workflow << " of RSO " << rso;
        if (latest == nullptr) continue;
        EXPECT_EQ((*got)->id, latest->id) << workflow << " of RSO " << rso;
        EXPECT_EQ((*got)->state, latest->state) << workflow << " of RSO " << rso;
      }
    }
  }
  EXPECT_GT(Rows(path, kKept).size(), 5u);
}

TEST(RsoLatest, AnRsosStatusIsItsLatestRecognitionsState) {
  Harness h;
  Actor sec = h.AddUser("sec", "secretariat");
  // Two instances of the "counter" workflow for RSO 5: the newer one's state is the status.
  auto first = h.Start("counter", sec, J("{}"), "5");
  ASSERT_TRUE(first.ok());
  auto second = h.Start("counter", sec, J("{}"), "5");
  ASSERT_TRUE(second.ok());
  const auto rows = Rows(h.db_path,
                         "SELECT rso_id, instance_id FROM rso_latest WHERE "
                         "workflow = 'counter'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], "5|" + std::to_string(second->instance.id));
}

}  // namespace
}  // namespace rsoflow::testing
