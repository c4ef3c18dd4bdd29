// Authenticator: turns a presented bearer token into the calling user (DESIGN 5).
//
// Tokens are looked up by SHA-256 (never stored in clear) through a cache keyed by that hash,
// so the hot path costs no query. Sessions (from login) expire 8 h after they were issued
// and after 30 min without use; API tokens at their optional expiry. Last use is kept in
// memory and written through the engine's writer at most once a minute per token, so the idle
// expiry survives a restart without a write per request. Revoke() invalidates the cache
// entry before it returns; ForgetUser() every entry of one user (disabled, changed role or
// password), so the next request with any of its tokens reads the store again.
//
// Thread-safety: thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>

#include "accounts/accounts.h"
#include "engine/engine.h"

namespace rsoflow::accounts {

struct SessionPolicy {
  int64_t absolute_ms = 8 * 3600 * 1000;
  int64_t idle_ms = 30 * 60 * 1000;
  int64_t touch_interval_ms = 60 * 1000;  // how stale the stored last use may be
  size_t cache_capacity = 10000;
};

struct Principal {
  Actor actor;
  UserRecord user;
  std::string token_id;
  // Who issued the token (TokenRecord::created_by): the user itself for a session or a token
  // it obtained itself; another user id, "system" (command line) or empty (unknown) otherwise.
  std::string token_issued_by;
};

class Authenticator {
 public:
  Authenticator(Engine& engine, SessionPolicy policy = {});

  // Unauthenticated for an unknown, expired, idle, revoked token or a disabled user.
  Result<Principal> Authenticate(const std::string& token);
  // Issues a session token for a user who just proved their password.
  Result<accounts::IssuedToken> StartSession(const UserRecord& user);
  // Revokes the token (NotFound if none or already revoked) and forgets it; audited as
  // accounts::RevokeToken does, unless `audited_as` is null (a logout).
  Status Revoke(const std::string& token_id, const accounts::Acting* audited_as);
  // Forgets every cached token of the user: call it after changing the user or revoking its
  // tokens in the store. A lookup that read the store before the change and finishes after
  // this call does not put what it read into the cache.
  void ForgetUser(const std::string& user_id);

  const SessionPolicy& policy() const { return policy_; }

 private:
  struct Entry {
    TokenRecord token;
    UserRecord user;
    int64_t last_used = 0;
    int64_t stored_last_used = 0;
  };

  Engine& engine_;
  const SessionPolicy policy_;
  std::mutex mu_;
  std::unordered_map<std::string, Entry> cache_;  // by token hash
  std::set<std::string> revoked_;                 // token ids revoked by this process
  uint64_t forgotten_ = 0;                        // ForgetUser calls so far
};

Actor ActorOf(const UserRecord& user);

}  // namespace rsoflow::accounts
