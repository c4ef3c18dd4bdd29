// SqliteStore's AuditStore (engine/store/audit_store.h): the audit log's rows.

#include "db/query.h"
#include "db/sql.h"
#include "db/sqlite_rows.h"
#include "db/sqlite_store.h"

namespace rsoflow::db {
namespace {

// The migrations that gave audit entries their salt column (0005_audit_salt.sql) and their
// token columns (0006_duties.sql).
constexpr int kAuditSaltSchema = 5;
constexpr int kAuditTokenSchema = 6;
constexpr int kAuditCheckpointSchema = 12;  // 0012_list_indexes.sql

// Into an entry read before, its strings' storage reused (ReadAuditPage).
void ReadAuditInto(const Statement& s, AuditEntry* to, std::string* data_text) {
  AuditEntry& e = *to;
  e.seq = s.Int(0);
  e.at = s.Int(1);
  e.instance_id = s.Int(2);
  s.TextInto(3, &e.workflow);
  e.workflow_version = static_cast<int>(s.Int(4));
  s.TextInto(5, &e.event);
  s.TextInto(6, &e.from_state);
  s.TextInto(7, &e.to_state);
  s.TextInto(8, &e.actor_user_id);
  s.TextInto(9, &e.actor_username);
  s.TextInto(10, &e.actor_role);
  s.TextInto(11, &e.on_behalf_of);
  s.TextInto(12, &e.comment);
  s.TextInto(13, data_text);
  e.data = ParseStoredJson(*data_text);
  s.TextInto(14, &e.request_id);
  s.TextInto(15, &e.idempotency_key);
  s.TextInto(16, &e.client_ip);
  s.TextInto(17, &e.prev_hash);
  s.TextInto(18, &e.hash);
  s.TextInto(19, &e.salt);
  s.TextInto(20, &e.token_id);
  s.TextInto(21, &e.token_issued_by);
}

AuditEntry ReadAudit(const Statement& s) {
  AuditEntry e;
  std::string data_text;
  ReadAuditInto(s, &e, &data_text);
  return e;
}

AuditHead ReadAuditHead(const Statement& s) { return AuditHead{s.Int(0), s.Text(1)}; }

Result<AuditHead> QueryAuditHead(Connection& c) {
  auto head = Query(c, sql::kAuditHead, "audit head").First(ReadAuditHead);
  if (!head.ok()) return head.status();
  return head->value_or(AuditHead{});
}

}  // namespace

Result<AuditHead> SqliteStore::ReadAuditHead() { return QueryAuditHead(*writer_); }

Status SqliteStore::AppendAudit(const AuditEntry& e) {
  return Write(sql::kInsertAudit, "append audit")
      .Bind(e.seq, e.at, e.instance_id, e.workflow, e.workflow_version, e.event,
            OrNull{e.from_state}, e.to_state, OrNull{e.actor_user_id}, e.actor_username,
            e.actor_role, OrNull{e.on_behalf_of}, OrNull{e.comment}, e.data.Dump(),
            OrNull{e.request_id}, OrNull{e.idempotency_key}, OrNull{e.client_ip}, e.prev_hash,
            e.hash, OrNull{e.salt}, OrNull{e.token_id}, OrNull{e.token_issued_by})
      .Run();
}

// A database opened read-only is not migrated: one from before 0005 has no salt column,
// one from before 0006 no token columns.
const char* SqliteStore::SelectAuditAfter() const {
  return schema_version_ >= kAuditTokenSchema  ? sql::kSelectAuditAfter
         : schema_version_ >= kAuditSaltSchema ? sql::kSelectAuditAfterWithoutTokens
                                               : sql::kSelectAuditAfterUnsalted;
}

Status SqliteStore::ReadAuditPage(int64_t after_seq, int limit, std::vector<AuditEntry>* page) {
  const char* sql = SelectAuditAfter();
  return OnReader([&](Connection& c) -> Status {
    Query q(c, sql, "read audit");
    q.Bind(after_seq, int64_t{limit});
    std::string data_text;
    size_t n = 0;
    for (;;) {
      auto row = q.Next();
      if (!row.ok()) return row.status();
      if (!*row) break;
      if (n == page->size()) page->emplace_back();
      ReadAuditInto(q.row(), &(*page)[n++], &data_text);
    }
    page->resize(n);
    return Status::Ok();
  });
}

Status SqliteStore::ForEachAudit(int64_t after_seq,
                                 const std::function<bool(const AuditEntry&)>& fn) {
  const char* sql = SelectAuditAfter();
  return OnReader([&](Connection& c) -> Status {
    // Pages of 1000 keep memory flat while the read transaction of each page stays short.
    for (;;) {
      Query q(c, sql, "read audit");
      q.Bind(after_seq, int64_t{1000});
      int n = 0;
      for (;;) {
        auto row = q.Next();
        if (!row.ok()) return row.status();
        if (!*row) break;
        AuditEntry e = ReadAudit(q.row());
        after_seq = e.seq;
        ++n;
        if (!fn(e)) return Status::Ok();
      }
      if (n < 1000) return Status::Ok();
    }
  });
}

Result<std::vector<AuditEntry>> SqliteStore::InstanceHistory(int64_t instance_id, int64_t after_seq,
                                                             int limit) {
  return OnReader([&](Connection& c) {
    return Query(c, sql::kSelectAuditOfInstance, "instance history")
        .Bind(instance_id, after_seq, limit)
        .All(ReadAudit);
  });
}

Result<AuditHead> SqliteStore::GetAuditHead() { return OnReader(QueryAuditHead); }

Status SqliteStore::SaveAuditCheckpoint(const AuditHead& head, int64_t verified_at) {
  return Write(sql::kSaveAuditCheckpoint, "save audit checkpoint")
      .Bind(head.seq, head.hash, verified_at)
      .Run();
}

Result<std::optional<AuditHead>> SqliteStore::GetAuditCheckpoint() {
  // A database opened read-only from before 0012 has none.
  if (schema_version_ < kAuditCheckpointSchema) return std::optional<AuditHead>();
  return OnReader([](Connection& c) {
    return Query(c, sql::kSelectAuditCheckpoint, "audit checkpoint").First([](const Statement& s) {
      return AuditHead{s.Int(0), s.Text(1)};
    });
  });
}

Result<std::vector<AuditEntry>> SqliteStore::ListAudit(const AuditQuery& q) {
  return OnReader([&](Connection& c) {
    const char* list = q.instance_id != 0 ? sql::kListAuditOfInstance : sql::kListAudit;
    return Query(c, list, "list audit")
        .Bind(q.after_seq, q.instance_id, q.actor, q.limit)
        .All(ReadAudit);
  });
}

}  // namespace rsoflow::db
