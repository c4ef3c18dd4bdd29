// AccountStore: users and their tokens (sessions and API tokens), one part of the Store
// (engine/store.h).
//
// The writer side (Insert/Update/Set/Revoke/Touch, *ForWrite, ActiveUsersWithRole) is called
// only by the engine's writer thread inside a transaction: accounts are written only through
// the writer. The reader side is thread-safe and sees the last committed state. A storage
// failure is Code::kUnavailable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/instance.h"
#include "engine/status.h"

namespace rsoflow {

struct UserRecord {
  std::string id;
  std::string username;
  std::string display_name;
  std::string role;
  std::string rso_id;
  std::vector<std::string> affiliated_rso_ids;
  std::string password_hash;
  bool disabled = false;
  int64_t created_at = 0;
  std::string email;            // empty: none
  std::string language = "en";  // "en" or "ru"
};

struct TokenRecord {
  std::string id;
  std::string user_id;
  std::string name;
  std::string token_hash;  // SHA-256 hex of the token; the token itself is never stored
  std::string kind;        // "session" or "api"
  int64_t created_at = 0;
  std::optional<int64_t> expires_at;
  std::optional<int64_t> revoked_at;
  std::optional<int64_t> last_used_at;  // sessions: for the idle expiry (coarse, see TouchToken)
  // Who issued it: a user id (the user itself for every session), "system" for the command
  // line; empty for tokens from before migration 0006 (sessions excepted), issuer unknown.
  std::string created_by;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // ---- writer side ----
  // The enabled users holding `role`, as the workflows' assignees (engine/instance.h UserRef).
  virtual Result<std::vector<UserRef>> ActiveUsersWithRole(const std::string& role) = 0;
  virtual Result<std::string> InsertUser(const UserRecord& user) = 0;  // returns the id
  // Replaces a user's password hash `old_hash` by `new_hash` (the same password at another
  // cost); kNotFound, and nothing changed, when the user's hash is no longer `old_hash`.
  virtual Status SetPasswordHash(const std::string& user_id, const std::string& old_hash,
                                 const std::string& new_hash) = 0;
  // The user as the writer's transaction sees it; kNotFound when there is none.
  virtual Result<UserRecord> GetUserForWrite(const std::string& id) = 0;
  // Writes every field of `user` but username, password hash and created_at; kNotFound when
  // there is no such user.
  virtual Status UpdateUser(const UserRecord& user) = 0;
  virtual Result<std::string> InsertToken(const TokenRecord& token) = 0;
  // The token as the writer's transaction sees it; kNotFound when there is none.
  virtual Result<TokenRecord> GetTokenForWrite(const std::string& token_id) = 0;
  virtual Status RevokeToken(const std::string& token_id, int64_t at) = 0;
  // Revokes the user's live tokens at `at` except the one with id `keep_token_id` (empty:
  // none kept); with `sessions_only`, only tokens of kind "session". Returns how many.
  virtual Result<int> RevokeTokensOfUser(const std::string& user_id, int64_t at,
                                         const std::string& keep_token_id, bool sessions_only) = 0;
  // Records that a token was used at `at` (never moves last_used_at backwards).
  virtual Status TouchToken(const std::string& token_id, int64_t at) = 0;

  // ---- reader side (thread-safe) ----
  virtual Result<UserRecord> GetUserByName(const std::string& username) = 0;
  virtual Result<UserRecord> GetUser(const std::string& id) = 0;
  // Users whose id is above `after_id`, in id order, at most `limit` of them.
  virtual Result<std::vector<UserRecord>> ListUsers(int64_t after_id, int limit) = 0;
  virtual Result<TokenRecord> GetTokenByHash(const std::string& token_hash) = 0;
  // The user's tokens that are not revoked (expired ones included), oldest first.
  virtual Result<std::vector<TokenRecord>> ListLiveTokensOfUser(const std::string& user_id) = 0;
};

}  // namespace rsoflow
