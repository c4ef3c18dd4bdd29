// The SQL statements GET /reports/summary reads through (db/sqlite_reports.cpp): the counters
// migration 0013's triggers keep, named constants as every statement of db/sql.h. Each reads
// few rows: the counters have one row per key (workflow, state, RSO, bucket), not per instance.
#pragma once

namespace rsoflow::db::sql {

inline constexpr const char* kReportStateCounts =
    "SELECT workflow, state, n FROM report_state_counts WHERE n != 0 ORDER BY workflow, state";
// The active range only (few rows: active instances are few), summed by RSO.
inline constexpr const char* kReportActiveByRso =
    "SELECT rso_id, SUM(n) FROM report_counts WHERE terminal = 0 AND n != 0 GROUP BY rso_id";
// ?1 the status workflow: each RSO (rso_directory, migration 0015: its acronym and region as
// columns, where json_extract would parse each record's data twice) with the state of its
// latest instance of it (rso_latest, migration 0014: one look-up in a table of a row per RSO
// and workflow, which stays in the page cache).
inline constexpr const char* kReportRsos =
    "SELECT d.id, d.acronym, d.region, l.state FROM rso_directory d LEFT JOIN rso_latest l "
    "ON l.workflow = ?1 AND l.rso_id = d.id ORDER BY d.id";
inline constexpr const char* kReportStateTimes =
    "SELECT workflow, state, bucket, n, sum_ms FROM report_flows "
    "ORDER BY workflow, state, bucket";
// ?1, ?2: the first and last day (days since 1970-01-01 UTC) the periods ended on.
inline constexpr const char* kReportStateTimesOfDays =
    "SELECT workflow, state, bucket, SUM(n), SUM(sum_ms) FROM report_flow_days "
    "WHERE day BETWEEN ?1 AND ?2 GROUP BY workflow, state, bucket "
    "ORDER BY workflow, state, bucket";
inline constexpr const char* kReportCycleTimes =
    "SELECT workflow, rso_id, n, sum_ms FROM report_cycles ORDER BY workflow, rso_id";
inline constexpr const char* kReportCycleTimesOfDays =
    "SELECT workflow, rso_id, SUM(n), SUM(sum_ms) FROM report_cycle_days "
    "WHERE day BETWEEN ?1 AND ?2 GROUP BY workflow, rso_id ORDER BY workflow, rso_id";
// Active instances due at or before ?1 (the overdue list's candidates), by id, their data
// left out (read as an empty object).
inline constexpr const char* kListDueActiveInstances =
    "SELECT id, workflow, workflow_version, state, version, rso_id, subject_id, title, '{}', "
    "created_at, created_by, updated_at, due_at, terminal FROM instances "
    "INDEXED BY instances_active_by_due WHERE terminal = 0 AND due_at <= ?1 ORDER BY id";

}  // namespace rsoflow::db::sql
