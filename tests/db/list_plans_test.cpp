// Issue 21: every list is a range read of an index in its key order, so a page costs the same
// at a million instances as at ten. SQLite's EXPLAIN QUERY PLAN of each list statement, on the
// migrated schema, shows a SEARCH (a range of an index or of the rowid), never a SCAN of the
// table nor a sort of its rows (but the read of the due instances of a state, which sorts only
// those).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "db/sql.h"
#include "db/sql_reports.h"
#include "db/sqlite_store.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

// The plan's lines, as SQLite describes each step.
std::vector<std::string> Plan(const std::string& db, const char* statement) {
  sqlite3* conn = nullptr;
  sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* stmt = nullptr;
  std::vector<std::string> lines;
  const std::string sql = std::string("EXPLAIN QUERY PLAN ") + statement;
  if (sqlite3_prepare_v2(conn, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    lines.push_back(std::string("cannot prepare: ") + sqlite3_errmsg(conn));
  }
  while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
    lines.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3)));
  }
  sqlite3_finalize(stmt);
  sqlite3_close(conn);
  return lines;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

struct ListStatement {
  const char* name;
  const char* sql;
  const char* index;   // what the plan must search: an index's name, or the rowid
  bool sorts = false;  // sorts what it found (the due instances of a state: only those)
};

// Each statement's plan begins with a SEARCH of its index, and no step scans a table (nor sorts,
// unless it is one that sorts what it found).
void ExpectRangeReads(const std::string& path, const std::vector<ListStatement>& statements) {
  for (const ListStatement& list : statements) {
    const std::vector<std::string> plan = Plan(path, list.sql);
    SCOPED_TRACE(std::string(list.name) + ":\n" + Joined(plan));
    ASSERT_FALSE(plan.empty());
    EXPECT_EQ(plan.front().rfind("SEARCH ", 0), 0u);
    EXPECT_NE(plan.front().find(list.index), std::string::npos);
    for (const std::string& line : plan) {
      EXPECT_EQ(line.rfind("SCAN ", 0), std::string::npos);
      if (!list.sorts) {
        EXPECT_EQ(line.find("TEMP B-TREE"), std::string::npos);
      }
    }
  }
}

TEST(ListPlans, EveryListIsARangeOfAnIndexInKeyOrder) {
  TempDir dir;
  const std::string path = dir.File("plans.db");
  { ASSERT_TRUE(db::SqliteStore::Open(path).ok()); }
  const std::vector<ListStatement> lists = {
      {"instances", db::sql::kListInstances, "INTEGER PRIMARY KEY"},
      {"instances by RSO and workflow", db::sql::kListInstancesByRsoWorkflow,
       "instances_by_rso_workflow"},
      {"instances by RSO", db::sql::kListInstancesByRso, "instances_by_rso"},
      {"active instances by RSO", db::sql::kListActiveInstancesByRso, "instances_active_by_rso"},
      {"instances by workflow and state", db::sql::kListInstancesByWorkflowState,
       "instances_by_workflow_state"},
      {"instances by state", db::sql::kListInstancesByState, "instances_by_state"},
      {"active instances by workflow", db::sql::kListActiveInstancesByWorkflow,
       "instances_active_by_workflow"},
      {"instances by workflow", db::sql::kListInstancesByWorkflow, "instances_by_workflow"},
      {"active instances", db::sql::kListActiveInstances, "instances_active"},
      {"due instances of a state", db::sql::kListDueInstancesOfState,
       "instances_active_by_state_due", true},
      {"audit", db::sql::kListAudit, "INTEGER PRIMARY KEY"},
      {"audit of an instance", db::sql::kListAuditOfInstance, "audit_by_instance"},
      {"history", db::sql::kSelectAuditOfInstance, "audit_by_instance"},
      {"users", db::sql::kSelectUsers, "INTEGER PRIMARY KEY"},
      {"RSOs by region", db::sql::kListRecordsByRegion, "records_by_region"},
      {"RSOs by kind", db::sql::kListRecordsByKindField, "records_by_kind_field"},
      {"RSOs", db::sql::kListRecordsFiltered, "records_by_kind"},
      {"RSOs by status", db::sql::kListRecordsByStatus, "rso_latest_by_state"},
      // The instance by its id, which one search of rso_latest's key gives (the plan's
      // subquery: no SCAN).
      {"the latest instance of an RSO", db::sql::kSelectLatestOfRso,
       "INTEGER PRIMARY KEY (rowid=?)"},
      {"inbox: the dated of a state", db::sql::kListActiveByDueDated,
       "instances_active_by_state_due"},
      {"inbox: the undated of a state", db::sql::kListActiveByDueUndated,
       "instances_active_by_state_due"},
  };
  ExpectRangeReads(path, lists);
}

// The summary report (migration 0013's counters): a period is a range of days of the per-day
// counters, the RSOs' status one look-up each, the overdue candidates a range of the due index.
TEST(ListPlans, TheSummaryReadsRangesOfItsCountersAndTheDueIndex) {
  TempDir dir;
  const std::string path = dir.File("plans.db");
  { ASSERT_TRUE(db::SqliteStore::Open(path).ok()); }
  const std::vector<ListStatement> reads = {
      {"active counts", db::sql::kReportActiveByRso, "PRIMARY KEY (terminal=?)", true},
      {"state times of days", db::sql::kReportStateTimesOfDays, "PRIMARY KEY (day>? AND day<?)",
       true},
      {"cycle times of days", db::sql::kReportCycleTimesOfDays, "PRIMARY KEY (day>? AND day<?)",
       true},
      {"due active instances", db::sql::kListDueActiveInstances, "instances_active_by_due", true},
  };
  ExpectRangeReads(path, reads);
  // Every RSO is listed: the RSO directory (migration 0015, a row per RSO) is read whole in id
  // order, without a sort, and the status of each is one search of rso_latest (migration 0014).
  const std::vector<std::string> rsos = Plan(path, db::sql::kReportRsos);
  SCOPED_TRACE(Joined(rsos));
  ASSERT_EQ(rsos.size(), 2u);
  EXPECT_EQ(rsos[0], "SCAN d");
  EXPECT_EQ(rsos[1].rfind("SEARCH l USING PRIMARY KEY", 0), 0u);
}

}  // namespace
}  // namespace rsoflow::testing
