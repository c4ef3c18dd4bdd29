// SqliteStore's AccountStore (engine/store/account_store.h): users and tokens.

#include "db/query.h"
#include "db/sql.h"
#include "db/sqlite_rows.h"
#include "db/sqlite_store.h"

namespace rsoflow::db {
namespace {

std::string StringsToJson(const std::vector<std::string>& v) {
  Json a = Json::MakeArray();
  for (const auto& s : v) a.Push(s);
  return a.Dump();
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

template <typename Key>
Result<UserRecord> QueryUser(Connection& c, const char* sql, const Key& key) {
  auto found = Query(c, sql, "select user").Bind(key).First(ReadUser);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no such user");
  return std::move(**found);
}

}  // namespace

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
                     StringsToJson(u.affiliated_rso_ids), u.password_hash, u.disabled, u.created_at,
                     OrNull{u.email}, u.language)
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
  RSOFLOW_RETURN_IF_ERROR(q.Bind(ToId(user_id), at,
                                 keep_token_id.empty() ? int64_t{-1} : ToId(keep_token_id),
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
    auto found =
        Query(c, sql::kSelectTokenByHash, "select token").Bind(token_hash).First(ReadToken);
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

}  // namespace rsoflow::db
