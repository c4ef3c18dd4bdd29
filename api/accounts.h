// Accounts: creating users and issuing tokens, as write jobs through the engine's writer (so
// they share its single connection and its group commit). Used by the CLI and the HTTP API.
//
// Thread-safety: thread-safe (the engine serializes the writes).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/engine.h"

namespace rsoflow::accounts {

struct NewUser {
  std::string username;
  std::string display_name;
  std::string role;
  std::string password;
  std::string rso_id;
  std::vector<std::string> affiliated_rso_ids;
};

// Validates (username 3-64 of [a-z0-9._-], role one of the five user roles, rso_id required
// for and only for rso_liaison, password >= 12 characters; rso_id and every affiliated id a
// registered RSO, checked in the transaction that stores the user) and stores the user.
// InvalidRequest naming the bad fields otherwise.
Result<UserRecord> AddUser(Engine& engine, const NewUser& user, int pbkdf2_iterations);

// The id of the registered RSO that `ref` names: its id, or its acronym (in any case), as the
// command line accepts. InvalidRequest naming `field` when no registered RSO matches.
Result<std::string> ResolveRso(Store& store, const std::string& ref, const std::string& field);

struct IssuedToken {
  std::string id;
  std::string token;  // shown once, never stored
  std::optional<int64_t> expires_at;
};

// kind "api" (optional expiry in days, >= 1) or "session".
Result<IssuedToken> IssueToken(Engine& engine, const std::string& user_id, const std::string& name,
                               const std::string& kind, std::optional<int64_t> expires_at);

Json UserToJson(const UserRecord& user);  // the API form: never a hash

}  // namespace rsoflow::accounts
