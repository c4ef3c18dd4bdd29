#include "db/sqlite_store.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "db/migrations.h"
#include "db/query.h"
#include "db/sql.h"
#include "db/wal_vfs.h"

namespace rsoflow::db {
namespace {

// The migrations that gave audit entries their salt column (0005_audit_salt.sql) and their
// token columns (0006_duties.sql).
constexpr int kAuditSaltSchema = 5;
constexpr int kAuditTokenSchema = 6;

Json ParseStoredJson(const std::string& text) {
  auto parsed = ParseJson(text, nullptr, 256);
  if (!parsed) return Json();
  return std::move(*parsed);  // not `parsed ? *parsed : ...`, which copies the whole tree
}

std::string StringsToJson(const std::vector<std::string>& v) {
  Json a = Json::MakeArray();
  for (const auto& s : v) a.Push(s);
  return a.Dump();
}

std::vector<std::string> StringsFromJson(const std::string& text) {
  std::vector<std::string> out;
  Json j = ParseStoredJson(text);
  if (j.is_array()) {
    for (const auto& e : j.AsArray()) {
      if (e.is_string()) out.push_back(e.AsString());
    }
  }
  return out;
}

int64_t ToId(const std::string& id) {
  try {
    size_t used = 0;
    int64_t v = std::stoll(id, &used);
    return used == id.size() ? v : -1;
  } catch (...) {
    return -1;
  }
}

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

AuditEntry ReadAudit(const Statement& s) {
  AuditEntry e;
  e.seq = s.Int(0);
  e.at = s.Int(1);
  e.instance_id = s.Int(2);
  e.workflow = s.Text(3);
  e.workflow_version = static_cast<int>(s.Int(4));
  e.event = s.Text(5);
  e.from_state = s.Text(6);
  e.to_state = s.Text(7);
  e.actor_user_id = s.Text(8);
  e.actor_username = s.Text(9);
  e.actor_role = s.Text(10);
  e.on_behalf_of = s.Text(11);
  e.comment = s.Text(12);
  e.data = ParseStoredJson(s.Text(13));
  e.request_id = s.Text(14);
  e.idempotency_key = s.Text(15);
  e.client_ip = s.Text(16);
  e.prev_hash = s.Text(17);
  e.hash = s.Text(18);
  e.salt = s.Text(19);
  e.token_id = s.Text(20);
  e.token_issued_by = s.Text(21);
  return e;
}

AuditHead ReadAuditHead(const Statement& s) { return AuditHead{s.Int(0), s.Text(1)}; }

UserRecord ReadUser(const Statement& s) {
  UserRecord u;
  u.id = std::to_string(s.Int(0));
  u.username = s.Text(1);
  u.display_name = s.Text(2);
  u.role = s.Text(3);
  u.rso_id = s.Text(4);
  u.affiliated_rso_ids = StringsFromJson(s.Text(5));
  u.password_hash = s.Text(6);
  u.disabled = s.Int(7) != 0;
  u.created_at = s.Int(8);
  u.email = s.Text(9);
  u.language = s.Text(10);
  return u;
}

TokenRecord ReadToken(const Statement& s) {
  TokenRecord t;
  t.id = std::to_string(s.Int(0));
  t.user_id = std::to_string(s.Int(1));
  t.name = s.Text(2);
  t.token_hash = s.Text(3);
  t.kind = s.Text(4);
  t.created_at = s.Int(5);
  t.expires_at = s.OptionalInt(6);
  t.revoked_at = s.OptionalInt(7);
  t.last_used_at = s.OptionalInt(8);
  t.created_by = s.Text(9);
  return t;
}

TimerRow ReadTimer(const Statement& s) {
  return TimerRow{s.Int(0), s.Text(1), s.Int(2), s.Text(3)};
}

// A record row of `kind` (the statements select id, kind, key, data, created_at, updated_at).
auto RecordReader(const std::string& kind) {
  return [&kind](const Statement& s) {
    return Record{kind, std::to_string(s.Int(0)), s.Text(2), ParseStoredJson(s.Text(3)),
                  s.Int(4), s.Int(5)};
  };
}

int64_t ReadInt(const Statement& s) { return s.Int(0); }
std::optional<int64_t> ReadOptionalInt(const Statement& s) { return s.OptionalInt(0); }

// Reads both sides share: the writer's on its connection inside the transaction, the
// readers' on a pooled one.

Result<Instance> QueryInstance(Connection& c, int64_t id) {
  auto found = Query(c, sql::kSelectInstance, "select instance").Bind(id).First(ReadInstance);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no instance " + std::to_string(id));
  return std::move(**found);
}

Result<std::vector<Instance>> QueryInstances(Connection& c, const InstanceQuery& q) {
  return Query(c, sql::kListInstances, "list instances")
      .Bind(q.after_id, q.workflow, q.state, q.rso_id,
            int64_t{q.active ? (*q.active ? 0 : 1) : -1}, q.limit)
      .All(ReadInstance);
}

Result<AuditHead> QueryAuditHead(Connection& c) {
  auto head = Query(c, sql::kAuditHead, "audit head").First(ReadAuditHead);
  if (!head.ok()) return head.status();
  return head->value_or(AuditHead{});
}

template <typename Key>
Result<UserRecord> QueryUser(Connection& c, const char* sql, const Key& key) {
  auto found = Query(c, sql, "select user").Bind(key).First(ReadUser);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no such user");
  return std::move(**found);
}

Result<Record> QueryRecord(Connection& c, const std::string& kind, const std::string& id) {
  auto found =
      Query(c, sql::kSelectRecord, "select record").Bind(kind, ToId(id)).First(RecordReader(kind));
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no " + kind + " " + id);
  return std::move(**found);
}

// The single integer a query answers; `bind` (if not empty) is bound to ?1. An error when the
// statement cannot be prepared (e.g. the file is not a database, a table is missing) or run.
Result<int64_t> QueryInt(Connection& c, const char* sql, const std::string& bind = "") {
  Query q(c, sql, sql);
  if (!bind.empty()) q.Bind(bind);
  return q.Single(ReadInt);
}

bool FileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

}  // namespace

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path,
                                                       SqliteOptions options) {
  std::unique_ptr<WriterLock> lock;
  if (path != ":memory:" && !path.empty()) {  // not a file: refused below for want of WAL
    auto acquired = WriterLock::Acquire(path);
    if (!acquired.ok()) return acquired.status();
    lock = std::move(acquired).value();
  }
  auto writer = Connection::Open(path, false, options.busy_timeout_ms,
                                 options.coalesce_wal_writes ? CoalescingWalVfs() : nullptr);
  if (!writer.ok()) return writer.status();
  std::unique_ptr<SqliteStore> store(
      new SqliteStore(path, options, std::move(lock), std::move(writer).value()));
  // temp_store=MEMORY keeps the savepoint sub-journal of a command that changes more than
  // 64 KiB of pages in memory; otherwise SQLite spills it to a file in /var/tmp, with copies
  // of database pages, and the command fails when that file system is full.
  const std::string pragmas =
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; "
      "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-" +
      std::to_string(options.writer_cache_kib) + ";";
  RSOFLOW_RETURN_IF_ERROR(store->writer_->ExecScript(pragmas));
  RSOFLOW_RETURN_IF_ERROR(store->CheckDurability());
  RSOFLOW_RETURN_IF_ERROR(store->Migrate());
  struct stat st;
  if (stat(path.c_str(), &st) == 0) {
    store->file_dev_ = st.st_dev;
    store->file_ino_ = st.st_ino;
  }
  return store;
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::OpenReadOnly(const std::string& path,
                                                               SqliteOptions options) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return Status::NotFound("no database at " + path);
  if (!S_ISREG(st.st_mode)) {
    return Status::InvalidRequest(path + " is not an rsoflow database (not a regular file)");
  }
  auto reader = Connection::Open(path, true, options.busy_timeout_ms);
  if (!reader.ok()) return reader.status();
  auto is_ours = QueryInt(**reader, sql::kTableExists, "schema_version");
  if (!is_ours.ok() || *is_ours == 0) {
    return Status::InvalidRequest(path + " is not an rsoflow database (" +
                                  (is_ours.ok() ? std::string("it has no schema_version table")
                                                : is_ours.status().message()) +
                                  ")");
  }
  auto version = QueryInt(**reader, sql::kSelectSchemaVersion);
  if (!version.ok()) return version.status();
  if (*version < 1) {
    return Status::InvalidRequest(path + " is not an rsoflow database (no migration applied)");
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(path, options, nullptr, nullptr));
  store->schema_version_ = static_cast<int>(*version);
  store->file_dev_ = st.st_dev;
  store->file_ino_ = st.st_ino;
  store->ReleaseReader(std::move(reader).value());
  return store;
}

Result<bool> SqliteStore::IsEmptyDatabase(const std::string& path) {
  if (!FileExists(path)) return true;
  auto conn = Connection::Open(path, true, SqliteOptions{}.busy_timeout_ms);
  if (!conn.ok()) return conn.status();
  // A table that does not exist yet (an unmigrated file) counts as empty.
  for (auto [table, any] :
       {std::pair{"users", sql::kAnyUser}, std::pair{"instances", sql::kAnyInstance},
        std::pair{"records", sql::kAnyRecord}}) {
    auto exists = QueryInt(**conn, sql::kTableExists, table);
    if (!exists.ok()) {
      return Status::InvalidRequest(path + " is not an rsoflow database (" +
                                    exists.status().message() + ")");
    }
    if (*exists == 0) continue;
    auto rows = QueryInt(**conn, any);
    if (!rows.ok()) return rows.status();
    if (*rows != 0) return false;
  }
  return true;
}

SqliteStore::~SqliteStore() = default;

Status SqliteStore::CheckDurability() {
  auto pragma = [this](const char* sql) -> std::string {
    auto value = Query(*writer_, sql, sql).Single([](const Statement& s) { return s.Text(0); });
    return value.ok() ? *value : std::string();
  };
  const std::string journal = pragma("PRAGMA journal_mode");
  const std::string sync = pragma("PRAGMA synchronous");
  const std::string fk = pragma("PRAGMA foreign_keys");
  if (journal != "wal" || sync != "2" || fk != "1") {
    return Status::Unavailable("refusing to run without durable settings: journal_mode=" + journal +
                               " (need wal), synchronous=" + sync +
                               " (need 2 = FULL), foreign_keys=" + fk + " (need 1) on " + path_);
  }
  return Status::Ok();
}

Status SqliteStore::Migrate() {
  RSOFLOW_RETURN_IF_ERROR(writer_->ExecScript(sql::kCreateSchemaVersion));
  {
    // In its own scope: the statement is reset (its read ended) before the migrations run.
    auto current =
        Query(*writer_, sql::kSelectSchemaVersion, "schema version").Single(ReadInt);
    if (!current.ok()) return current.status();
    schema_version_ = static_cast<int>(*current);
  }
  for (const Migration& m : Migrations()) {
    if (m.version <= schema_version_) continue;
    RSOFLOW_RETURN_IF_ERROR(writer_->ExecScript("BEGIN IMMEDIATE"));
    Status st = writer_->ExecScript(m.sql);
    if (st.ok()) {
      st = Query(*writer_, sql::kInsertSchemaVersion, "schema version").Bind(m.version).Run();
    }
    if (!st.ok()) {
      writer_->ExecScript("ROLLBACK");
      return Status::Unavailable(std::string("migration ") + m.name + " failed: " + st.message());
    }
    RSOFLOW_RETURN_IF_ERROR(writer_->ExecScript("COMMIT"));
    schema_version_ = m.version;
    spdlog::info("applied migration {}", m.name);
  }
  return Status::Ok();
}

Result<std::unique_ptr<Connection>> SqliteStore::AcquireReader() {
  {
    std::lock_guard<std::mutex> lock(pool_mu_);
    if (!readers_.empty()) {
      auto c = std::move(readers_.back());
      readers_.pop_back();
      return c;
    }
  }
  return Connection::Open(path_, true, options_.busy_timeout_ms);
}

void SqliteStore::ReleaseReader(std::unique_ptr<Connection> conn) {
  std::lock_guard<std::mutex> lock(pool_mu_);
  readers_.push_back(std::move(conn));
}

bool SqliteStore::Ping() {
  // A file removed or replaced under a running server: its connections still read (and the
  // writer still writes) the old, unlinked file, which is lost when the process exits.
  struct stat st;
  if (stat(path_.c_str(), &st) != 0 || st.st_dev != file_dev_ || st.st_ino != file_ino_) {
    return false;
  }
  auto version = OnReader([](Connection& c) { return QueryInt(c, sql::kPing); });
  return version.ok() && *version >= 1;
}

// ---- transactions (writer side) ----

Status SqliteStore::Begin() {
  written_.clear();
  marks_.clear();
  Status st = writer_->Exec(sql::kBegin);
  in_batch_ = st.ok();
  return st;
}

Status SqliteStore::Commit() {
  Status st = writer_->Exec(sql::kCommit);
  if (!st.ok()) return st;  // the caller rolls back, which forgets this transaction's writes
  in_batch_ = false;
  written_.clear();
  marks_.clear();
  if (cache_.size() > options_.instance_cache_capacity) cache_.clear();
  return st;
}

Status SqliteStore::Rollback() {
  in_batch_ = false;
  ForgetWrittenSince(0);
  marks_.clear();
  return writer_->Exec(sql::kRollback);
}

Status SqliteStore::Savepoint() {
  // Outside a transaction SAVEPOINT would open one that its RELEASE commits on its own.
  if (sqlite3_get_autocommit(writer_->handle()) != 0) {
    return Status::Unavailable("storage failure: no transaction is open for the savepoint");
  }
  Status st = writer_->Exec(sql::kSavepoint);
  if (st.ok()) marks_.push_back(written_.size());
  return st;
}

Status SqliteStore::ReleaseSavepoint() {
  // Released writes stay recorded: the enclosing savepoint or the transaction may still roll
  // them back.
  if (!marks_.empty()) marks_.pop_back();
  Status st = writer_->Exec(sql::kRelease);
  if (!st.ok()) cache_.clear();
  return st;
}

Status SqliteStore::RollbackToSavepoint() {
  // ROLLBACK TO keeps the savepoint open: its mark stays until ReleaseSavepoint.
  ForgetWrittenSince(marks_.empty() ? 0 : marks_.back());
  Status st = writer_->Exec(sql::kRollbackTo);
  if (!st.ok()) cache_.clear();
  return st;
}

Query SqliteStore::Write(const char* sql, const char* what) {
  // SQLite rolls a transaction back by itself after an I/O error; what the batch writes after
  // that would each commit on its own, outside the batch and before its callers know it
  // failed. Refused instead: the batch's COMMIT then fails and every caller is answered so.
  if (in_batch_ && sqlite3_get_autocommit(writer_->handle()) != 0) {
    return Query(Status::Unavailable("storage failure: the batch's transaction was rolled back"));
  }
  return Query(*writer_, sql, what);
}

// ---- instances ----

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
  RSOFLOW_RETURN_IF_ERROR(q.Bind(i.id, i.state, i.version, OrNull{i.rso_id}, i.title,
                                 i.data.Dump(), i.updated_at, i.due_at, i.terminal)
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

Result<std::vector<StateCount>> SqliteStore::CountInstancesByState() {
  return OnReader([](Connection& c) {
    return Query(c, sql::kCountInstancesByState, "count instances").All([](const Statement& s) {
      return StateCount{s.Text(0), s.Text(1), s.Int(2)};
    });
  });
}

// ---- audit log ----

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

Status SqliteStore::ForEachAudit(int64_t after_seq,
                                 const std::function<bool(const AuditEntry&)>& fn) {
  // A database opened read-only is not migrated: one from before 0005 has no salt column,
  // one from before 0006 no token columns.
  const char* sql = schema_version_ >= kAuditTokenSchema  ? sql::kSelectAuditAfter
                    : schema_version_ >= kAuditSaltSchema ? sql::kSelectAuditAfterWithoutTokens
                                                          : sql::kSelectAuditAfterUnsalted;
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

Result<std::vector<AuditEntry>> SqliteStore::ListAudit(const AuditQuery& q) {
  return OnReader([&](Connection& c) {
    return Query(c, sql::kListAudit, "list audit")
        .Bind(q.after_seq, q.instance_id, q.actor, q.limit)
        .All(ReadAudit);
  });
}

// ---- timers ----

Status SqliteStore::PutTimer(const TimerRow& t) {
  return Write(sql::kUpsertTimer, "put timer").Bind(t.instance_id, t.name, t.due_at, t.event).Run();
}

Status SqliteStore::DeleteTimer(int64_t instance_id, const std::string& name) {
  return Write(sql::kDeleteTimer, "delete timer").Bind(instance_id, name).Run();
}

Status SqliteStore::DeleteTimers(int64_t instance_id) {
  return Write(sql::kDeleteTimers, "delete timers").Bind(instance_id).Run();
}

Result<std::optional<TimerRow>> SqliteStore::FindTimerForWrite(int64_t instance_id,
                                                               const std::string& name) {
  return Query(*writer_, sql::kSelectTimer, "select timer").Bind(instance_id, name).First(ReadTimer);
}

Result<std::optional<int64_t>> SqliteStore::EarliestTimerOf(int64_t instance_id) {
  return Query(*writer_, sql::kEarliestTimerOf, "earliest timer")
      .Bind(instance_id)
      .Single(ReadOptionalInt);
}

Result<std::vector<TimerRow>> SqliteStore::DueTimers(int64_t now, int limit) {
  return OnReader([&](Connection& c) {
    return Query(c, sql::kDueTimers, "due timers").Bind(now, limit).All(ReadTimer);
  });
}

Result<std::optional<int64_t>> SqliteStore::NextTimerDue() {
  return OnReader([](Connection& c) {
    return Query(c, sql::kNextTimerDue, "next timer").Single(ReadOptionalInt);
  });
}

// ---- accounts ----

Result<std::vector<UserRef>> SqliteStore::ActiveUsersWithRole(const std::string& role) {
  return Query(*writer_, sql::kSelectActiveUsersWithRole, "active users")
      .Bind(role)
      .All([](const Statement& s) {
        return UserRef{std::to_string(s.Int(0)), s.Text(1), StringsFromJson(s.Text(2))};
      });
}

Result<std::string> SqliteStore::InsertUser(const UserRecord& u) {
  Query q = Write(sql::kInsertUser, "insert user");
  Status st = q.Bind(u.username, u.display_name, u.role, OrNull{u.rso_id},
                     StringsToJson(u.affiliated_rso_ids), u.password_hash, u.disabled,
                     u.created_at, OrNull{u.email}, u.language)
                  .Run();
  if (st.code() == Status::Code::kDuplicate) {
    return Status::Duplicate("username '" + u.username + "' is taken");
  }
  RSOFLOW_RETURN_IF_ERROR(st);
  return std::to_string(q.LastInsertId());
}

Result<UserRecord> SqliteStore::GetUserForWrite(const std::string& id) {
  return QueryUser(*writer_, sql::kSelectUserById, ToId(id));
}

Status SqliteStore::UpdateUser(const UserRecord& u) {
  Query q = Write(sql::kUpdateUser, "update user");
  RSOFLOW_RETURN_IF_ERROR(q.Bind(ToId(u.id), u.display_name, u.role, OrNull{u.rso_id},
                                 StringsToJson(u.affiliated_rso_ids), u.disabled, OrNull{u.email},
                                 u.language)
                              .Run());
  if (q.Changes() == 0) return Status::NotFound("no such user");
  return Status::Ok();
}

Status SqliteStore::SetPasswordHash(const std::string& user_id, const std::string& old_hash,
                                    const std::string& new_hash) {
  Query q = Write(sql::kSetPasswordHash, "set password hash");
  RSOFLOW_RETURN_IF_ERROR(q.Bind(ToId(user_id), old_hash, new_hash).Run());
  if (q.Changes() == 0) return Status::NotFound("no user " + user_id + " with that password hash");
  return Status::Ok();
}

Result<std::string> SqliteStore::InsertToken(const TokenRecord& t) {
  Query q = Write(sql::kInsertToken, "insert token");
  RSOFLOW_RETURN_IF_ERROR(q.Bind(ToId(t.user_id), t.name, t.token_hash, t.kind, t.created_at,
                                 t.expires_at, OrNull{t.created_by})
                              .Run());
  return std::to_string(q.LastInsertId());
}

Result<TokenRecord> SqliteStore::GetTokenForWrite(const std::string& token_id) {
  auto found = Write(sql::kSelectTokenById, "select token").Bind(ToId(token_id)).First(ReadToken);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no such token");
  return std::move(**found);
}

Status SqliteStore::RevokeToken(const std::string& token_id, int64_t at) {
  Query q = Write(sql::kRevokeToken, "revoke token");
  RSOFLOW_RETURN_IF_ERROR(q.Bind(ToId(token_id), at).Run());
  if (q.Changes() == 0) return Status::NotFound("no such token");
  return Status::Ok();
}

Result<int> SqliteStore::RevokeTokensOfUser(const std::string& user_id, int64_t at,
                                            const std::string& keep_token_id, bool sessions_only) {
  Query q = Write(sql::kRevokeTokensOfUser, "revoke tokens of user");
  RSOFLOW_RETURN_IF_ERROR(
      q.Bind(ToId(user_id), at, keep_token_id.empty() ? int64_t{-1} : ToId(keep_token_id),
             sessions_only)
          .Run());
  return q.Changes();
}

Status SqliteStore::TouchToken(const std::string& token_id, int64_t at) {
  return Write(sql::kTouchToken, "touch token").Bind(ToId(token_id), at).Run();
}

Result<UserRecord> SqliteStore::GetUserByName(const std::string& username) {
  return OnReader([&](Connection& c) { return QueryUser(c, sql::kSelectUserByName, username); });
}

Result<UserRecord> SqliteStore::GetUser(const std::string& id) {
  return OnReader([&](Connection& c) { return QueryUser(c, sql::kSelectUserById, ToId(id)); });
}

Result<std::vector<UserRecord>> SqliteStore::ListUsers(int64_t after_id, int limit) {
  return OnReader([&](Connection& c) {
    return Query(c, sql::kSelectUsers, "list users").Bind(after_id, limit).All(ReadUser);
  });
}

Result<TokenRecord> SqliteStore::GetTokenByHash(const std::string& token_hash) {
  return OnReader([&](Connection& c) -> Result<TokenRecord> {
    auto found = Query(c, sql::kSelectTokenByHash, "select token").Bind(token_hash).First(ReadToken);
    if (!found.ok()) return found.status();
    if (!*found) return Status::NotFound("no such token");
    return std::move(**found);
  });
}

Result<std::vector<TokenRecord>> SqliteStore::ListLiveTokensOfUser(const std::string& user_id) {
  return OnReader([&](Connection& c) {
    return Query(c, sql::kSelectLiveTokensOfUser, "list tokens of user")
        .Bind(ToId(user_id))
        .All(ReadToken);
  });
}

// ---- records and counters ----

Result<std::string> SqliteStore::InsertRecord(const Record& r) {
  Query q = Write(sql::kInsertRecord, "insert record");
  Status st = q.Bind(r.kind, r.key, r.data.Dump(), r.created_at, r.updated_at).Run();
  if (st.code() == Status::Code::kDuplicate) {
    return Status::Duplicate(r.kind + " '" + r.key + "' already exists");
  }
  RSOFLOW_RETURN_IF_ERROR(st);
  return std::to_string(q.LastInsertId());
}

Status SqliteStore::UpdateRecord(const Record& r) {
  Query q = Write(sql::kUpdateRecord, "update record");
  Status st = q.Bind(r.kind, ToId(r.id), r.key, r.data.Dump(), r.updated_at).Run();
  if (st.code() == Status::Code::kDuplicate) {
    return Status::Duplicate(r.kind + " '" + r.key + "' already exists");
  }
  RSOFLOW_RETURN_IF_ERROR(st);
  if (q.Changes() == 0) return Status::NotFound("no " + r.kind + " " + r.id);
  return Status::Ok();
}

Result<Record> SqliteStore::GetRecordForWrite(const std::string& kind, const std::string& id) {
  return QueryRecord(*writer_, kind, id);
}

Result<Record> SqliteStore::GetRecord(const std::string& kind, const std::string& id) {
  return OnReader([&](Connection& c) { return QueryRecord(c, kind, id); });
}

Result<std::vector<Record>> SqliteStore::ListRecords(const std::string& kind, int64_t after_id,
                                                     int limit) {
  return OnReader([&](Connection& c) {
    return Query(c, sql::kListRecords, "list records")
        .Bind(kind, after_id, limit)
        .All(RecordReader(kind));
  });
}

Result<int64_t> SqliteStore::NextCounter(const std::string& name) {
  Query q = Write(sql::kNextCounter, "next counter");
  auto value = q.Bind(name).Single(ReadInt);
  if (!value.ok()) return value.status();
  RSOFLOW_RETURN_IF_ERROR(q.Run());  // the statement's end: the upsert is done
  return value;
}

Status SqliteStore::RaiseCounter(const std::string& name, int64_t value) {
  return Write(sql::kRaiseCounter, "raise counter").Bind(name, value).Run();
}

// ---- idempotency ----

Result<std::optional<IdempotencyRecord>> SqliteStore::FindIdempotency(const std::string& actor,
                                                                      const std::string& key) {
  return Query(*writer_, sql::kSelectIdempotency, "select idempotency")
      .Bind(actor, key)
      .First([&](const Statement& s) {
        return IdempotencyRecord{actor, key, s.Text(0), ParseStoredJson(s.Text(1)), s.Int(2)};
      });
}

Status SqliteStore::PutIdempotency(const IdempotencyRecord& r) {
  return Write(sql::kInsertIdempotency, "insert idempotency")
      .Bind(r.actor_user_id, r.key, r.request_hash, r.response.Dump(), r.created_at)
      .Run();
}

}  // namespace rsoflow::db
