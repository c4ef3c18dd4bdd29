#include "db/query.h"

namespace rsoflow::db {

Query::Query(Connection& conn, const char* sql, const char* what) : conn_(&conn), what_(what) {
  sqlite3_stmt* stmt = conn.Cached(sql);
  if (stmt == nullptr) {
    status_ = conn.Error("prepare");
  } else {
    stmt_.emplace(stmt);
  }
}

Status Query::Failed() const { return conn_->Error(what_); }

Result<bool> Query::Next() {
  if (!stmt_) return status_;
  const int rc = stmt_->Step();
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Failed();
}

Status Query::Run() {
  auto has = Next();
  return has.ok() ? Status::Ok() : has.status();
}

}  // namespace rsoflow::db
