// Query: one cached prepared statement (Connection's cache) run from bind to its last step,
// the prepare/bind/step/error pattern every store method follows, written once.
//
//   Query q(conn, sql::kSelectTimer, "select timer");
//   return q.Bind(instance_id, name).First(ReadTimer);
//
// A failure anywhere (the statement not prepared, a step that fails) becomes a Status in one
// place: Connection::Error(what), which says Duplicate, Unavailable or Undecidable by SQLite's
// error code. A Query made from a Status (refused before it was prepared) answers that Status
// from every call. The statement is reset and its bindings cleared when the Query goes out of
// scope, so its cache entry is ready for the next one; nothing is prepared twice.
//
// Thread-safety: as its Connection (one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "db/connection.h"
#include "engine/status.h"

namespace rsoflow::db {

// Text that binds NULL when it is empty (the columns that hold NULL for "none").
struct OrNull {
  const std::string& text;
};

class Query {
 public:
  // `what` names the statement in an error's message ("select timer: disk I/O error").
  Query(Connection& conn, const char* sql, const char* what);
  explicit Query(Status refused) : status_(std::move(refused)) {}
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // Binds the values to ?1, ?2, ... in order: integers and bools as integers, strings as text,
  // an empty optional or an empty OrNull as NULL.
  template <typename... Values>
  Query& Bind(const Values&... values) {
    if (stmt_) {
      int index = 0;
      (BindOne(++index, values), ...);
    }
    return *this;
  }

  // Steps once: for a statement without result rows (a row, if any, is left unread).
  Status Run();
  // Steps once: true with a row ready in row(), false when the statement is done.
  Result<bool> Next();
  const Statement& row() const { return *stmt_; }

  // The first row as `read(row())` makes it; nullopt when there is none.
  template <typename Read>
  auto First(Read read) -> Result<std::optional<std::decay_t<decltype(read(row()))>>> {
    using Row = std::decay_t<decltype(read(row()))>;
    auto has = Next();
    if (!has.ok()) return has.status();
    if (!*has) return std::optional<Row>();
    return std::optional<Row>(read(row()));
  }
  // The row a statement always answers (an aggregate, RETURNING): none is an error.
  template <typename Read>
  auto Single(Read read) -> Result<std::decay_t<decltype(read(row()))>> {
    auto has = Next();
    if (!has.ok()) return has.status();
    if (!*has) return Failed();
    return read(row());
  }
  // Every row, in order.
  template <typename Read>
  auto All(Read read) -> Result<std::vector<std::decay_t<decltype(read(row()))>>> {
    std::vector<std::decay_t<decltype(read(row()))>> out;
    for (;;) {
      auto has = Next();
      if (!has.ok()) return has.status();
      if (!*has) return out;
      out.push_back(read(row()));
    }
  }

  // Of the last Run on this connection: rows changed, and the rowid it inserted.
  int Changes() const { return sqlite3_changes(conn_->handle()); }
  int64_t LastInsertId() const { return sqlite3_last_insert_rowid(conn_->handle()); }

 private:
  Status Failed() const;

  void BindOne(int index, int64_t value) { stmt_->Bind(index, value); }
  void BindOne(int index, int value) { stmt_->Bind(index, int64_t{value}); }
  void BindOne(int index, bool value) { stmt_->Bind(index, int64_t{value ? 1 : 0}); }
  void BindOne(int index, const std::string& value) { stmt_->Bind(index, value); }
  void BindOne(int index, const char* value) { stmt_->Bind(index, std::string(value)); }
  void BindOne(int index, const std::optional<int64_t>& value) {
    stmt_->BindOptional(index, value);
  }
  void BindOne(int index, const OrNull& value) { stmt_->BindTextOrNull(index, value.text); }

  Connection* conn_ = nullptr;
  const char* what_ = "";
  Status status_;  // not ok: the statement was refused or could not be prepared
  std::optional<Statement> stmt_;
};

}  // namespace rsoflow::db
