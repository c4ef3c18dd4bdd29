// SqliteStore's plumbing: opening (lock, pragmas, durability check, migrations), the reader
// pool, Ping, and the writer's transaction and savepoints. Each concern's statements are in
// its own file: db/sqlite_instances.cpp, sqlite_audit.cpp, sqlite_timers.cpp,
// sqlite_accounts.cpp, sqlite_records.cpp, sqlite_idempotency.cpp.

#include "db/sqlite_store.h"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include "db/migrations.h"
#include "db/query.h"
#include "db/sql.h"
#include "db/sqlite_rows.h"
#include "db/wal_vfs.h"

namespace rsoflow::db {
namespace {

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
    auto current = Query(*writer_, sql::kSelectSchemaVersion, "schema version").Single(ReadInt);
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

}  // namespace rsoflow::db
