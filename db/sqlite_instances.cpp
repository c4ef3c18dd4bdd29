// SqliteStore's InstanceStore (engine/store/instance_store.h), with the writer's instance
// cache (db/sqlite_store.h).

#include "db/query.h"
#include "db/sql.h"
#include "db/sqlite_rows.h"
#include "db/sqlite_store.h"

namespace rsoflow::db {
namespace {

Instance ReadInstance(const Statement& s) {
  Instance i;
  i.id = s.Int(0);
  i.workflow = s.Text(1);
  i.workflow_version = static_cast<int>(s.Int(2));
  i.state = s.Text(3);
  i.version = s.Int(4);
  i.rso_id = s.Text(5);
  i.subject_id = s.IsNull(6) ? 0 : s.Int(6);
  i.title = s.Text(7);
  i.data = ParseStoredJson(s.Text(8));
  i.created_at = s.Int(9);
  i.created_by = s.Text(10);
  i.updated_at = s.Int(11);
  i.due_at = s.OptionalInt(12);
  i.terminal = s.Int(13) != 0;
  return i;
}

Result<Instance> QueryInstance(Connection& c, int64_t id) {
  auto found = Query(c, sql::kSelectInstance, "select instance").Bind(id).First(ReadInstance);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no instance " + std::to_string(id));
  return std::move(**found);
}

// The statement whose index makes the page a range read (sql.h). Active instances are few: a
// state of active ones (?active=true&state=) reads its (workflow, state) range. Then an RSO's
// instances (a liaison's every list is scoped to its RSO), then the most selective of the other
// filters.
const char* ListStatement(const InstanceQuery& q) {
  const bool active_only = q.active && *q.active;
  if (active_only && q.due_by && !q.workflow.empty() && !q.state.empty()) {
    return sql::kListDueInstancesOfState;
  }
  if (!q.state.empty() && (active_only || q.rso_id.empty())) {
    return q.workflow.empty() ? sql::kListInstancesByState : sql::kListInstancesByWorkflowState;
  }
  if (!q.rso_id.empty()) {
    if (!q.workflow.empty()) return sql::kListInstancesByRsoWorkflow;
    return active_only ? sql::kListActiveInstancesByRso : sql::kListInstancesByRso;
  }
  if (!q.workflow.empty()) {
    return active_only ? sql::kListActiveInstancesByWorkflow : sql::kListInstancesByWorkflow;
  }
  return active_only ? sql::kListActiveInstances : sql::kListInstances;
}

Result<std::vector<Instance>> QueryInstances(Connection& c, const InstanceQuery& q) {
  return Query(c, ListStatement(q), "list instances")
      .Bind(q.after_id, q.workflow, q.state, q.rso_id, int64_t{q.active ? (*q.active ? 0 : 1) : -1},
            q.limit, q.due_by)
      .All(ReadInstance);
}

}  // namespace

Instance ReadInstanceRow(const Statement& s) { return ReadInstance(s); }

void SqliteStore::CacheWritten(const Instance& instance) {
  cache_.insert_or_assign(instance.id, instance);
  written_.push_back(instance.id);
}

void SqliteStore::ForgetWrittenSince(size_t mark) {
  while (written_.size() > mark) {
    cache_.erase(written_.back());
    written_.pop_back();
  }
}

Result<Instance> SqliteStore::LoadInstanceForWrite(int64_t id) {
  if (auto it = cache_.find(id); it != cache_.end()) {
    Instance taken = std::move(it->second);
    cache_.erase(it);
    return taken;
  }
  return QueryInstance(*writer_, id);
}

Result<int64_t> SqliteStore::InsertInstance(const Instance& i) {
  Query q = Write(sql::kInsertInstance, "insert instance");
  RSOFLOW_RETURN_IF_ERROR(
      q.Bind(i.workflow, i.workflow_version, i.state, i.version, OrNull{i.rso_id},
             i.subject_id ? std::optional<int64_t>(i.subject_id) : std::nullopt, i.title,
             i.data.Dump(), i.created_at, i.created_by, i.updated_at, i.due_at, i.terminal)
          .Run());
  return q.LastInsertId();
}

Status SqliteStore::UpdateInstance(const Instance& i) {
  Query q = Write(sql::kUpdateInstance, "update instance");
  RSOFLOW_RETURN_IF_ERROR(q.Bind(i.id, i.state, i.version, OrNull{i.rso_id}, i.title, i.data.Dump(),
                                 i.updated_at, i.due_at, i.terminal)
                              .Run());
  if (q.Changes() > 0) CacheWritten(i);
  return Status::Ok();
}

Status SqliteStore::UpdateInstanceData(const Instance& i) {
  Query q = Write(sql::kUpdateInstanceData, "update instance data");
  RSOFLOW_RETURN_IF_ERROR(q.Bind(i.id, i.version, i.data.Dump(), i.updated_at).Run());
  if (q.Changes() > 0) CacheWritten(i);
  return Status::Ok();
}

Result<std::vector<int64_t>> SqliteStore::ActiveInstancesWithSubject(const std::string& workflow,
                                                                     int64_t subject_id) {
  return Query(*writer_, sql::kActiveInstancesWithSubject, "instances with subject")
      .Bind(subject_id, workflow)
      .All(ReadInt);
}

Result<std::vector<Instance>> SqliteStore::FindInstancesForWrite(const InstanceQuery& q) {
  return QueryInstances(*writer_, q);
}

Result<Instance> SqliteStore::GetInstance(int64_t id) {
  return OnReader([&](Connection& c) { return QueryInstance(c, id); });
}

Result<std::vector<Instance>> SqliteStore::ListInstances(const InstanceQuery& q) {
  return OnReader([&](Connection& c) { return QueryInstances(c, q); });
}

Result<std::optional<Instance>> SqliteStore::LatestInstanceOfRso(const std::string& workflow,
                                                                 const std::string& rso_id) {
  return OnReader([&](Connection& c) {
    return Query(c, sql::kSelectLatestOfRso, "latest instance of an RSO")
        .Bind(workflow, rso_id)
        .First(ReadInstance);
  });
}

Result<std::vector<Instance>> SqliteStore::ListActiveByDue(const DueOrderQuery& q) {
  return OnReader([&](Connection& c) -> Result<std::vector<Instance>> {
    std::vector<Instance> page;
    if (q.after_due != INT64_MAX) {
      auto dated = Query(c, sql::kListActiveByDueDated, "list active by due")
                       .Bind(q.after_id, q.workflow, q.state, q.after_due, q.due_by, q.limit)
                       .All(ReadInstance);
      if (!dated.ok()) return dated.status();
      page = std::move(*dated);
    }
    // The undated come after every dated one, and are never due.
    const int room = q.limit - static_cast<int>(page.size());
    if (room <= 0 || q.due_by) return page;
    const int64_t after_id = q.after_due == INT64_MAX ? q.after_id : 0;
    auto undated = Query(c, sql::kListActiveByDueUndated, "list active undated")
                       .Bind(after_id, q.workflow, q.state, room)
                       .All(ReadInstance);
    if (!undated.ok()) return undated.status();
    for (Instance& i : *undated) page.push_back(std::move(i));
    return page;
  });
}

Result<std::vector<StateCount>> SqliteStore::CountInstancesByState() {
  return OnReader([](Connection& c) {
    return Query(c, sql::kCountInstancesByState, "count instances").All([](const Statement& s) {
      return StateCount{s.Text(0), s.Text(1), s.Int(2)};
    });
  });
}

}  // namespace rsoflow::db
