#include "db/sqlite_store.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "db/migrations.h"
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

int64_t ToId(const std::string& id) {
  try {
    size_t used = 0;
    int64_t v = std::stoll(id, &used);
    return used == id.size() ? v : -1;
  } catch (...) {
    return -1;
  }
}

Result<Instance> QueryInstance(Connection& c, int64_t id) {
  auto s = c.Prepare(sql::kSelectInstance);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, id);
  const int rc = (*s)->Step();
  if (rc == SQLITE_ROW) return ReadInstance(**s);
  if (rc == SQLITE_DONE) return Status::NotFound("no instance " + std::to_string(id));
  return c.Error("select instance");
}

Result<AuditHead> QueryAuditHead(Connection& c) {
  auto s = c.Prepare(sql::kAuditHead);
  if (!s.ok()) return s.status();
  const int rc = (*s)->Step();
  if (rc == SQLITE_ROW) return AuditHead{(*s)->Int(0), (*s)->Text(1)};
  if (rc == SQLITE_DONE) return AuditHead{};
  return c.Error("audit head");
}

Result<UserRecord> QueryUser(Connection& c, const char* sql, const std::string& key, bool by_id) {
  auto s = c.Prepare(sql);
  if (!s.ok()) return s.status();
  if (by_id) {
    (*s)->Bind(1, ToId(key));
  } else {
    (*s)->Bind(1, key);
  }
  const int rc = (*s)->Step();
  if (rc == SQLITE_ROW) return ReadUser(**s);
  if (rc == SQLITE_DONE) return Status::NotFound("no such user");
  return c.Error("select user");
}

Result<std::vector<Instance>> QueryInstances(Connection& c, const InstanceQuery& q) {
  auto s = c.Prepare(sql::kListInstances);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, q.after_id)
      .Bind(2, q.workflow)
      .Bind(3, q.state)
      .Bind(4, q.rso_id)
      .Bind(5, int64_t{q.active ? (*q.active ? 0 : 1) : -1})
      .Bind(6, int64_t{q.limit});
  std::vector<Instance> out;
  int rc;
  while ((rc = (*s)->Step()) == SQLITE_ROW) out.push_back(ReadInstance(**s));
  if (rc != SQLITE_DONE) return c.Error("list instances");
  return out;
}

Result<Record> QueryRecord(Connection& c, const std::string& kind, const std::string& id) {
  auto s = c.Prepare(sql::kSelectRecord);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, kind).Bind(2, ToId(id));
  const int rc = (*s)->Step();
  if (rc == SQLITE_DONE) return Status::NotFound("no " + kind + " " + id);
  if (rc != SQLITE_ROW) return c.Error("select record");
  return Record{kind,          std::to_string((*s)->Int(0)),
                (*s)->Text(2), ParseStoredJson((*s)->Text(3)),
                (*s)->Int(4),  (*s)->Int(5)};
}

Status StepDone(Connection& c, Statement& s, const char* what) {
  const int rc = s.Step();
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) return c.Error(what);
  return Status::Ok();
}

// The single integer a query answers; `bind` (if not empty) is bound to ?1. An error when the
// statement cannot be prepared (e.g. the file is not a database, a table is missing) or run.
Result<int64_t> QueryInt(Connection& c, const char* sql, const std::string& bind = "") {
  auto s = c.Prepare(sql);
  if (!s.ok()) return s.status();
  if (!bind.empty()) (*s)->Bind(1, bind);
  if ((*s)->Step() != SQLITE_ROW) return c.Error(sql);
  return (*s)->Int(0);
}

bool FileExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

}  // namespace

// Borrows a read-only connection and returns it to the pool when done.
class SqliteStore::Lease {
 public:
  explicit Lease(SqliteStore& store) : store_(store) {
    auto c = store_.AcquireReader();
    if (c.ok())
      conn_ = std::move(c).value();
    else
      status_ = c.status();
  }
  ~Lease() {
    if (conn_) store_.ReleaseReader(std::move(conn_));
  }
  bool ok() const { return conn_ != nullptr; }
  const Status& status() const { return status_; }
  Connection& operator*() { return *conn_; }

 private:
  SqliteStore& store_;
  std::unique_ptr<Connection> conn_;
  Status status_;
};

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
  sqlite3* db = writer_->handle();
  auto pragma = [db](const char* sql) -> std::string {
    sqlite3_stmt* s = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK &&
        sqlite3_step(s) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(s, 0);
      out = t ? reinterpret_cast<const char*>(t) : "";
    }
    sqlite3_finalize(s);
    return out;
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
  auto current = writer_->Prepare(sql::kSelectSchemaVersion);
  if (!current.ok()) return current.status();
  if ((*current)->Step() != SQLITE_ROW) return writer_->Error("schema version");
  schema_version_ = static_cast<int>((*current)->Int(0));
  current->reset();
  for (const Migration& m : Migrations()) {
    if (m.version <= schema_version_) continue;
    RSOFLOW_RETURN_IF_ERROR(writer_->ExecScript("BEGIN IMMEDIATE"));
    Status st = writer_->ExecScript(m.sql);
    if (st.ok()) {
      auto ins = writer_->Prepare(sql::kInsertSchemaVersion);
      st = ins.ok() ? StepDone(*writer_, (*ins)->Bind(1, int64_t{m.version}), "schema version")
                    : ins.status();
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

// ---- writer side ----

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

Result<std::unique_ptr<Statement>> SqliteStore::PrepareWrite(const char* sql) {
  // SQLite rolls a transaction back by itself after an I/O error; what the batch writes after
  // that would each commit on its own, outside the batch and before its callers know it
  // failed. Refused instead: the batch's COMMIT then fails and every caller is answered so.
  if (in_batch_ && sqlite3_get_autocommit(writer_->handle()) != 0) {
    return Status::Unavailable("storage failure: the batch's transaction was rolled back");
  }
  return writer_->Prepare(sql);
}

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
  auto s = PrepareWrite(sql::kInsertInstance);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, i.workflow)
      .Bind(2, int64_t{i.workflow_version})
      .Bind(3, i.state)
      .Bind(4, i.version)
      .BindTextOrNull(5, i.rso_id)
      .BindOptional(6, i.subject_id ? std::optional<int64_t>(i.subject_id) : std::nullopt)
      .Bind(7, i.title)
      .Bind(8, i.data.Dump())
      .Bind(9, i.created_at)
      .Bind(10, i.created_by)
      .Bind(11, i.updated_at)
      .BindOptional(12, i.due_at)
      .Bind(13, int64_t{i.terminal ? 1 : 0});
  RSOFLOW_RETURN_IF_ERROR(StepDone(*writer_, **s, "insert instance"));
  return static_cast<int64_t>(sqlite3_last_insert_rowid(writer_->handle()));
}

Status SqliteStore::UpdateInstance(const Instance& i) {
  auto s = PrepareWrite(sql::kUpdateInstance);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, i.id)
      .Bind(2, i.state)
      .Bind(3, i.version)
      .BindTextOrNull(4, i.rso_id)
      .Bind(5, i.title)
      .Bind(6, i.data.Dump())
      .Bind(7, i.updated_at)
      .BindOptional(8, i.due_at)
      .Bind(9, int64_t{i.terminal ? 1 : 0});
  RSOFLOW_RETURN_IF_ERROR(StepDone(*writer_, **s, "update instance"));
  if (sqlite3_changes(writer_->handle()) > 0) CacheWritten(i);
  return Status::Ok();
}

Status SqliteStore::UpdateInstanceData(const Instance& i) {
  auto s = PrepareWrite(sql::kUpdateInstanceData);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, i.id).Bind(2, i.version).Bind(3, i.data.Dump()).Bind(4, i.updated_at);
  RSOFLOW_RETURN_IF_ERROR(StepDone(*writer_, **s, "update instance data"));
  if (sqlite3_changes(writer_->handle()) > 0) CacheWritten(i);
  return Status::Ok();
}

Result<std::vector<int64_t>> SqliteStore::ActiveInstancesWithSubject(const std::string& workflow,
                                                                     int64_t subject_id) {
  auto s = writer_->Prepare(sql::kActiveInstancesWithSubject);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, subject_id).Bind(2, workflow);
  std::vector<int64_t> ids;
  int rc;
  while ((rc = (*s)->Step()) == SQLITE_ROW) ids.push_back((*s)->Int(0));
  if (rc != SQLITE_DONE) return writer_->Error("instances with subject");
  return ids;
}

Result<AuditHead> SqliteStore::ReadAuditHead() { return QueryAuditHead(*writer_); }

Status SqliteStore::AppendAudit(const AuditEntry& e) {
  auto s = PrepareWrite(sql::kInsertAudit);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, e.seq)
      .Bind(2, e.at)
      .Bind(3, e.instance_id)
      .Bind(4, e.workflow)
      .Bind(5, int64_t{e.workflow_version})
      .Bind(6, e.event)
      .BindTextOrNull(7, e.from_state)
      .Bind(8, e.to_state)
      .BindTextOrNull(9, e.actor_user_id)
      .Bind(10, e.actor_username)
      .Bind(11, e.actor_role)
      .BindTextOrNull(12, e.on_behalf_of)
      .BindTextOrNull(13, e.comment)
      .Bind(14, e.data.Dump())
      .BindTextOrNull(15, e.request_id)
      .BindTextOrNull(16, e.idempotency_key)
      .BindTextOrNull(17, e.client_ip)
      .Bind(18, e.prev_hash)
      .Bind(19, e.hash)
      .BindTextOrNull(20, e.salt)
      .BindTextOrNull(21, e.token_id)
      .BindTextOrNull(22, e.token_issued_by);
  return StepDone(*writer_, **s, "append audit");
}

Status SqliteStore::PutTimer(const TimerRow& t) {
  auto s = PrepareWrite(sql::kUpsertTimer);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, t.instance_id).Bind(2, t.name).Bind(3, t.due_at).Bind(4, t.event);
  return StepDone(*writer_, **s, "put timer");
}

Status SqliteStore::DeleteTimer(int64_t instance_id, const std::string& name) {
  auto s = PrepareWrite(sql::kDeleteTimer);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, instance_id).Bind(2, name);
  return StepDone(*writer_, **s, "delete timer");
}

Status SqliteStore::DeleteTimers(int64_t instance_id) {
  auto s = PrepareWrite(sql::kDeleteTimers);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, instance_id);
  return StepDone(*writer_, **s, "delete timers");
}

Result<std::optional<TimerRow>> SqliteStore::FindTimerForWrite(int64_t instance_id,
                                                               const std::string& name) {
  auto s = writer_->Prepare(sql::kSelectTimer);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, instance_id).Bind(2, name);
  const int rc = (*s)->Step();
  if (rc == SQLITE_ROW) return std::optional<TimerRow>(ReadTimer(**s));
  if (rc == SQLITE_DONE) return std::optional<TimerRow>();
  return writer_->Error("select timer");
}

Result<std::optional<int64_t>> SqliteStore::EarliestTimerOf(int64_t instance_id) {
  auto s = writer_->Prepare(sql::kEarliestTimerOf);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, instance_id);
  if ((*s)->Step() != SQLITE_ROW) return writer_->Error("earliest timer");
  return (*s)->OptionalInt(0);
}

Result<std::optional<IdempotencyRecord>> SqliteStore::FindIdempotency(const std::string& actor,
                                                                      const std::string& key) {
  auto s = writer_->Prepare(sql::kSelectIdempotency);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, actor).Bind(2, key);
  const int rc = (*s)->Step();
  if (rc == SQLITE_DONE) return std::optional<IdempotencyRecord>();
  if (rc != SQLITE_ROW) return writer_->Error("select idempotency");
  IdempotencyRecord r{actor, key, (*s)->Text(0), ParseStoredJson((*s)->Text(1)), (*s)->Int(2)};
  return std::optional<IdempotencyRecord>(std::move(r));
}

Status SqliteStore::PutIdempotency(const IdempotencyRecord& r) {
  auto s = PrepareWrite(sql::kInsertIdempotency);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, r.actor_user_id)
      .Bind(2, r.key)
      .Bind(3, r.request_hash)
      .Bind(4, r.response.Dump())
      .Bind(5, r.created_at);
  return StepDone(*writer_, **s, "insert idempotency");
}

Result<std::vector<UserRef>> SqliteStore::ActiveUsersWithRole(const std::string& role) {
  auto s = writer_->Prepare(sql::kSelectActiveUsersWithRole);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, role);
  std::vector<UserRef> out;
  int rc;
  while ((rc = (*s)->Step()) == SQLITE_ROW) {
    out.push_back(
        UserRef{std::to_string((*s)->Int(0)), (*s)->Text(1), StringsFromJson((*s)->Text(2))});
  }
  if (rc != SQLITE_DONE) return writer_->Error("active users");
  return out;
}

Result<int64_t> SqliteStore::NextCounter(const std::string& name) {
  auto s = PrepareWrite(sql::kNextCounter);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, name);
  if ((*s)->Step() != SQLITE_ROW) return writer_->Error("next counter");
  const int64_t v = (*s)->Int(0);
  if ((*s)->Step() != SQLITE_DONE) return writer_->Error("next counter");
  return v;
}

Status SqliteStore::RaiseCounter(const std::string& name, int64_t value) {
  auto s = PrepareWrite(sql::kRaiseCounter);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, name).Bind(2, value);
  return StepDone(*writer_, **s, "raise counter");
}

Result<std::vector<Instance>> SqliteStore::FindInstancesForWrite(const InstanceQuery& q) {
  return QueryInstances(*writer_, q);
}

Result<std::string> SqliteStore::InsertRecord(const Record& r) {
  auto s = PrepareWrite(sql::kInsertRecord);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, r.kind)
      .Bind(2, r.key)
      .Bind(3, r.data.Dump())
      .Bind(4, r.created_at)
      .Bind(5, r.updated_at);
  Status st = StepDone(*writer_, **s, "insert record");
  if (st.code() == Status::Code::kDuplicate) {
    return Status::Duplicate(r.kind + " '" + r.key + "' already exists");
  }
  RSOFLOW_RETURN_IF_ERROR(st);
  return std::to_string(sqlite3_last_insert_rowid(writer_->handle()));
}

Status SqliteStore::UpdateRecord(const Record& r) {
  auto s = PrepareWrite(sql::kUpdateRecord);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, r.kind)
      .Bind(2, ToId(r.id))
      .Bind(3, r.key)
      .Bind(4, r.data.Dump())
      .Bind(5, r.updated_at);
  Status st = StepDone(*writer_, **s, "update record");
  if (st.code() == Status::Code::kDuplicate) {
    return Status::Duplicate(r.kind + " '" + r.key + "' already exists");
  }
  RSOFLOW_RETURN_IF_ERROR(st);
  if (sqlite3_changes(writer_->handle()) == 0) return Status::NotFound("no " + r.kind + " " + r.id);
  return Status::Ok();
}

Result<Record> SqliteStore::GetRecordForWrite(const std::string& kind, const std::string& id) {
  return QueryRecord(*writer_, kind, id);
}

Result<std::string> SqliteStore::InsertUser(const UserRecord& u) {
  auto s = PrepareWrite(sql::kInsertUser);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, u.username)
      .Bind(2, u.display_name)
      .Bind(3, u.role)
      .BindTextOrNull(4, u.rso_id)
      .Bind(5, StringsToJson(u.affiliated_rso_ids))
      .Bind(6, u.password_hash)
      .Bind(7, int64_t{u.disabled ? 1 : 0})
      .Bind(8, u.created_at)
      .BindTextOrNull(9, u.email)
      .Bind(10, u.language);
  Status st = StepDone(*writer_, **s, "insert user");
  if (st.code() == Status::Code::kDuplicate) {
    return Status::Duplicate("username '" + u.username + "' is taken");
  }
  RSOFLOW_RETURN_IF_ERROR(st);
  return std::to_string(sqlite3_last_insert_rowid(writer_->handle()));
}

Result<UserRecord> SqliteStore::GetUserForWrite(const std::string& id) {
  return QueryUser(*writer_, sql::kSelectUserById, id, true);
}

Status SqliteStore::UpdateUser(const UserRecord& u) {
  auto s = PrepareWrite(sql::kUpdateUser);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, ToId(u.id))
      .Bind(2, u.display_name)
      .Bind(3, u.role)
      .BindTextOrNull(4, u.rso_id)
      .Bind(5, StringsToJson(u.affiliated_rso_ids))
      .Bind(6, int64_t{u.disabled ? 1 : 0})
      .BindTextOrNull(7, u.email)
      .Bind(8, u.language);
  RSOFLOW_RETURN_IF_ERROR(StepDone(*writer_, **s, "update user"));
  if (sqlite3_changes(writer_->handle()) == 0) return Status::NotFound("no such user");
  return Status::Ok();
}

Result<int> SqliteStore::RevokeTokensOfUser(const std::string& user_id, int64_t at,
                                            const std::string& keep_token_id, bool sessions_only) {
  auto s = PrepareWrite(sql::kRevokeTokensOfUser);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, ToId(user_id))
      .Bind(2, at)
      .Bind(3, keep_token_id.empty() ? int64_t{-1} : ToId(keep_token_id))
      .Bind(4, int64_t{sessions_only ? 1 : 0});
  RSOFLOW_RETURN_IF_ERROR(StepDone(*writer_, **s, "revoke tokens of user"));
  return sqlite3_changes(writer_->handle());
}

Result<std::string> SqliteStore::InsertToken(const TokenRecord& t) {
  auto s = PrepareWrite(sql::kInsertToken);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, ToId(t.user_id))
      .Bind(2, t.name)
      .Bind(3, t.token_hash)
      .Bind(4, t.kind)
      .Bind(5, t.created_at)
      .BindOptional(6, t.expires_at)
      .BindTextOrNull(7, t.created_by);
  RSOFLOW_RETURN_IF_ERROR(StepDone(*writer_, **s, "insert token"));
  return std::to_string(sqlite3_last_insert_rowid(writer_->handle()));
}

Result<TokenRecord> SqliteStore::GetTokenForWrite(const std::string& token_id) {
  auto s = PrepareWrite(sql::kSelectTokenById);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, ToId(token_id));
  const int rc = (*s)->Step();
  if (rc == SQLITE_DONE) return Status::NotFound("no such token");
  if (rc != SQLITE_ROW) return writer_->Error("select token");
  TokenRecord t = ReadToken(**s);
  return t;
}

Status SqliteStore::RevokeToken(const std::string& token_id, int64_t at) {
  auto s = PrepareWrite(sql::kRevokeToken);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, ToId(token_id)).Bind(2, at);
  RSOFLOW_RETURN_IF_ERROR(StepDone(*writer_, **s, "revoke token"));
  if (sqlite3_changes(writer_->handle()) == 0) return Status::NotFound("no such token");
  return Status::Ok();
}

Status SqliteStore::TouchToken(const std::string& token_id, int64_t at) {
  auto s = PrepareWrite(sql::kTouchToken);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, ToId(token_id)).Bind(2, at);
  return StepDone(*writer_, **s, "touch token");
}

Status SqliteStore::SetPasswordHash(const std::string& user_id, const std::string& old_hash,
                                    const std::string& new_hash) {
  auto s = PrepareWrite(sql::kSetPasswordHash);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, ToId(user_id)).Bind(2, old_hash).Bind(3, new_hash);
  RSOFLOW_RETURN_IF_ERROR(StepDone(*writer_, **s, "set password hash"));
  if (sqlite3_changes(writer_->handle()) == 0) {
    return Status::NotFound("no user " + user_id + " with that password hash");
  }
  return Status::Ok();
}

// ---- reader side ----

Result<Instance> SqliteStore::GetInstance(int64_t id) {
  Lease c(*this);
  if (!c.ok()) return c.status();
  return QueryInstance(*c, id);
}

Result<std::vector<Instance>> SqliteStore::ListInstances(const InstanceQuery& q) {
  Lease c(*this);
  if (!c.ok()) return c.status();
  return QueryInstances(*c, q);
}

Result<std::vector<TimerRow>> SqliteStore::DueTimers(int64_t now, int limit) {
  Lease c(*this);
  if (!c.ok()) return c.status();
  auto s = (*c).Prepare(sql::kDueTimers);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, now).Bind(2, int64_t{limit});
  std::vector<TimerRow> out;
  int rc;
  while ((rc = (*s)->Step()) == SQLITE_ROW) out.push_back(ReadTimer(**s));
  if (rc != SQLITE_DONE) return (*c).Error("due timers");
  return out;
}

Result<std::optional<int64_t>> SqliteStore::NextTimerDue() {
  Lease c(*this);
  if (!c.ok()) return c.status();
  auto s = (*c).Prepare(sql::kNextTimerDue);
  if (!s.ok()) return s.status();
  if ((*s)->Step() != SQLITE_ROW) return (*c).Error("next timer");
  return (*s)->OptionalInt(0);
}

Status SqliteStore::ForEachAudit(int64_t after_seq,
                                 const std::function<bool(const AuditEntry&)>& fn) {
  Lease c(*this);
  if (!c.ok()) return c.status();
  // Pages of 1000 keep memory flat while the read transaction of each page stays short.
  for (;;) {
    // A database opened read-only is not migrated: one from before 0005 has no salt column,
    // one from before 0006 no token columns.
    auto s =
        (*c).Prepare(schema_version_ >= kAuditTokenSchema  ? sql::kSelectAuditAfter
                     : schema_version_ >= kAuditSaltSchema ? sql::kSelectAuditAfterWithoutTokens
                                                           : sql::kSelectAuditAfterUnsalted);
    if (!s.ok()) return s.status();
    (*s)->Bind(1, after_seq).Bind(2, int64_t{1000});
    int rc, n = 0;
    while ((rc = (*s)->Step()) == SQLITE_ROW) {
      AuditEntry e = ReadAudit(**s);
      after_seq = e.seq;
      ++n;
      if (!fn(e)) return Status::Ok();
    }
    if (rc != SQLITE_DONE) return (*c).Error("read audit");
    if (n < 1000) return Status::Ok();
  }
}

Result<std::vector<AuditEntry>> SqliteStore::InstanceHistory(int64_t instance_id, int64_t after_seq,
                                                             int limit) {
  Lease c(*this);
  if (!c.ok()) return c.status();
  auto s = (*c).Prepare(sql::kSelectAuditOfInstance);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, instance_id).Bind(2, after_seq).Bind(3, int64_t{limit});
  std::vector<AuditEntry> out;
  int rc;
  while ((rc = (*s)->Step()) == SQLITE_ROW) out.push_back(ReadAudit(**s));
  if (rc != SQLITE_DONE) return (*c).Error("instance history");
  return out;
}

Result<AuditHead> SqliteStore::GetAuditHead() {
  Lease c(*this);
  if (!c.ok()) return c.status();
  return QueryAuditHead(*c);
}

Result<std::vector<AuditEntry>> SqliteStore::ListAudit(const AuditQuery& q) {
  Lease c(*this);
  if (!c.ok()) return c.status();
  auto s = (*c).Prepare(sql::kListAudit);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, q.after_seq).Bind(2, q.instance_id).Bind(3, q.actor).Bind(4, int64_t{q.limit});
  std::vector<AuditEntry> out;
  int rc;
  while ((rc = (*s)->Step()) == SQLITE_ROW) out.push_back(ReadAudit(**s));
  if (rc != SQLITE_DONE) return (*c).Error("list audit");
  return out;
}

Result<std::vector<StateCount>> SqliteStore::CountInstancesByState() {
  Lease c(*this);
  if (!c.ok()) return c.status();
  auto s = (*c).Prepare(sql::kCountInstancesByState);
  if (!s.ok()) return s.status();
  std::vector<StateCount> out;
  int rc;
  while ((rc = (*s)->Step()) == SQLITE_ROW) {
    out.push_back(StateCount{(*s)->Text(0), (*s)->Text(1), (*s)->Int(2)});
  }
  if (rc != SQLITE_DONE) return (*c).Error("count instances");
  return out;
}

Result<Record> SqliteStore::GetRecord(const std::string& kind, const std::string& id) {
  Lease c(*this);
  if (!c.ok()) return c.status();
  return QueryRecord(*c, kind, id);
}

Result<std::vector<Record>> SqliteStore::ListRecords(const std::string& kind, int64_t after_id,
                                                     int limit) {
  Lease c(*this);
  if (!c.ok()) return c.status();
  auto s = (*c).Prepare(sql::kListRecords);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, kind).Bind(2, after_id).Bind(3, int64_t{limit});
  std::vector<Record> out;
  int rc;
  while ((rc = (*s)->Step()) == SQLITE_ROW) {
    out.push_back(Record{kind, std::to_string((*s)->Int(0)), (*s)->Text(2),
                         ParseStoredJson((*s)->Text(3)), (*s)->Int(4), (*s)->Int(5)});
  }
  if (rc != SQLITE_DONE) return (*c).Error("list records");
  return out;
}

Result<UserRecord> SqliteStore::GetUserByName(const std::string& username) {
  Lease c(*this);
  if (!c.ok()) return c.status();
  return QueryUser(*c, sql::kSelectUserByName, username, false);
}

Result<UserRecord> SqliteStore::GetUser(const std::string& id) {
  Lease c(*this);
  if (!c.ok()) return c.status();
  return QueryUser(*c, sql::kSelectUserById, id, true);
}

Result<std::vector<UserRecord>> SqliteStore::ListUsers(int64_t after_id, int limit) {
  Lease c(*this);
  if (!c.ok()) return c.status();
  auto s = (*c).Prepare(sql::kSelectUsers);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, after_id).Bind(2, int64_t{limit});
  std::vector<UserRecord> out;
  int rc;
  while ((rc = (*s)->Step()) == SQLITE_ROW) out.push_back(ReadUser(**s));
  if (rc != SQLITE_DONE) return (*c).Error("list users");
  return out;
}

Result<TokenRecord> SqliteStore::GetTokenByHash(const std::string& token_hash) {
  Lease c(*this);
  if (!c.ok()) return c.status();
  auto s = (*c).Prepare(sql::kSelectTokenByHash);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, token_hash);
  const int rc = (*s)->Step();
  if (rc == SQLITE_DONE) return Status::NotFound("no such token");
  if (rc != SQLITE_ROW) return (*c).Error("select token");
  return ReadToken(**s);
}

Result<std::vector<TokenRecord>> SqliteStore::ListLiveTokensOfUser(const std::string& user_id) {
  Lease c(*this);
  if (!c.ok()) return c.status();
  auto s = (*c).Prepare(sql::kSelectLiveTokensOfUser);
  if (!s.ok()) return s.status();
  (*s)->Bind(1, ToId(user_id));
  std::vector<TokenRecord> out;
  int rc;
  while ((rc = (*s)->Step()) == SQLITE_ROW) out.push_back(ReadToken(**s));
  if (rc != SQLITE_DONE) return (*c).Error("list tokens of user");
  return out;
}

bool SqliteStore::Ping() {
  // A file removed or replaced under a running server: its connections still read (and the
  // writer still writes) the old, unlinked file, which is lost when the process exits.
  struct stat st;
  if (stat(path_.c_str(), &st) != 0 || st.st_dev != file_dev_ || st.st_ino != file_ino_) {
    return false;
  }
  Lease c(*this);
  if (!c.ok()) return false;
  auto version = QueryInt(*c, sql::kPing);
  return version.ok() && *version >= 1;
}

}  // namespace rsoflow::db
