#include "db/connection.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <mutex>

#include "db/query.h"

namespace rsoflow::db {

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, const std::string& value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::BindOptional(int index, const std::optional<int64_t>& value) {
  return value ? Bind(index, *value) : BindNull(index);
}

Statement& Statement::BindTextOrNull(int index, const std::string& value) {
  return value.empty() ? BindNull(index) : Bind(index, value);
}

int Statement::Step() { return sqlite3_step(stmt_); }

int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string Statement::Text(int col) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

void Statement::TextInto(int col, std::string* out) const {
  const unsigned char* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) {
    out->clear();
    return;
  }
  out->assign(reinterpret_cast<const char*>(p),
              static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

std::optional<int64_t> Statement::OptionalInt(int col) const {
  if (IsNull(col)) return std::nullopt;
  return Int(col);
}

void ConfigureSqlite() {
  static std::once_flag once;
  std::call_once(once, [] {
    // SQLITE_MISUSE when something in this process initialized SQLite first (a test's own
    // connection, say): the statistics then stay on, which costs speed, nothing else.
    if (sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK) {
      spdlog::debug("SQLite was initialized before rsoflow configured it");
    }
  });
}

void MakePrivateDirectories(const std::string& dir) {
  if (dir.empty()) return;
  std::string path;
  size_t from = 0;
  while (from != std::string::npos) {
    const size_t slash = dir.find('/', from + 1);
    path = dir.substr(0, slash);
    from = slash;
    if (!path.empty() && path != "/") mkdir(path.c_str(), 0700);  // EEXIST is fine
  }
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, bool read_only,
                                                     int busy_timeout_ms, const char* vfs) {
  ConfigureSqlite();
  // Created 0600 before SQLite opens it: SQLite creates a new file 0644 (less the umask), and
  // gives its -wal and -shm files the database file's mode (issue 17, finding 7).
  if (!read_only && !path.empty() && path != ":memory:" && path.rfind("file:", 0) != 0) {
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) close(fd);  // on failure sqlite3_open_v2 reports why
  }
  sqlite3* db = nullptr;
  const int flags =
      (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
      SQLITE_OPEN_NOMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, vfs);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return Status::Unavailable("cannot open database " + path + ": " + msg);
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::unique_ptr<Connection>(new Connection(db));
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

sqlite3_stmt* Connection::Cached(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      return nullptr;
    }
    it = cache_.emplace(sql, stmt).first;
  }
  return it->second;
}

Status Connection::Exec(const char* sql) { return Query(*this, sql, sql).Run(); }

Status Connection::ExecScript(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    return Status::Unavailable("SQL failed: " + msg);
  }
  return Status::Ok();
}

Status Connection::Error(const std::string& what) const {
  const int code = sqlite3_extended_errcode(db_);
  std::string msg = what + ": " + sqlite3_errmsg(db_);
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Status::Duplicate(msg);
  }
  switch (code & 0xff) {
    // The storage's state of the moment: may pass when tried again (an operator frees the
    // disk, a lock is let go, memory is found).
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOMEM:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL:
    case SQLITE_INTERRUPT:
    case SQLITE_READONLY:
      return Status::Unavailable(msg);
    default:
      // A constraint, a corrupt page, a statement the schema refuses: the same statement on
      // the same data fails the same way every time.
      return Status::Undecidable(msg);
  }
}

}  // namespace rsoflow::db
