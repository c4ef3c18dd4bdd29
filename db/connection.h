// Connection: one sqlite3 handle with its cache of prepared statements, and Statement, a
// borrowed cached statement that resets itself when it goes out of scope. Statements are run
// through db/query.h.
//
// Thread-safety: a Connection is used by one thread at a time (the writer owns one; readers
// borrow pooled ones).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/status.h"

namespace rsoflow::db {

// Sets SQLite's process-wide options, once, before SQLite initializes: called first by
// Connection::Open and by the WAL VFS's registration. Memory statistics are off: kept, they
// take a global mutex around every allocation and free SQLite makes, in every thread.
void ConfigureSqlite();

class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, const std::string& value);
  Statement& BindNull(int index);
  Statement& BindOptional(int index, const std::optional<int64_t>& value);
  // An empty string binds NULL.
  Statement& BindTextOrNull(int index, const std::string& value);

  // SQLITE_ROW, SQLITE_DONE, or an error code.
  int Step();
  int64_t Int(int col) const;
  std::string Text(int col) const;
  // Text(col) assigned to *out, reusing its storage (a long scan allocates nothing per row).
  void TextInto(int col, std::string* out) const;
  bool IsNull(int col) const;
  std::optional<int64_t> OptionalInt(int col) const;

 private:
  sqlite3_stmt* stmt_;
};

// Creates `dir` and every missing parent with mode 0700 (the database directory holds
// password hashes and open ballots' votes); an existing directory is left as it is.
void MakePrivateDirectories(const std::string& dir);

class Connection {
 public:
  // vfs: a registered VFS's name, or nullptr for the default.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, bool read_only,
                                                  int busy_timeout_ms, const char* vfs = nullptr);
  ~Connection();

  sqlite3* handle() const { return db_; }
  // The cached prepared statement for this constant (keyed by its address), prepared on first
  // use; nullptr when it cannot be prepared (Error says why). Borrowed by db/query.h.
  sqlite3_stmt* Cached(const char* sql);
  // Runs a statement with no result rows (through the cache).
  Status Exec(const char* sql);
  // Runs arbitrary SQL text (migrations, pragmas), uncached.
  Status ExecScript(const std::string& sql);
  // The error of the last failed call, as a Status: Duplicate for unique violations,
  // Unavailable for what may pass (full disk, I/O error, lock), Undecidable for what repeats.
  Status Error(const std::string& what) const;

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

}  // namespace rsoflow::db
