// Accounts: creating users and issuing tokens, as write jobs through the engine's writer (so
// they share its single connection and its group commit). Used by the CLI and the HTTP API.
//
// Thread-safety: thread-safe (the engine serializes the writes).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "accounts/account_audit.h"
#include "engine/engine.h"

namespace rsoflow::accounts {

struct NewUser {
  std::string username;
  std::string display_name;
  std::string role;
  std::string password;
  std::string rso_id;
  std::vector<std::string> affiliated_rso_ids;
  std::string email;            // empty: none
  std::string language = "en";  // "en" or "ru"
};

// Validates (username 3-64 of [a-z0-9._-], role one of the five user roles, rso_id required
// for and only for rso_liaison, password >= 12 characters; rso_id and every affiliated id a
// registered RSO, checked in the transaction that stores the user; email empty or of the shape
// local@domain.tld, language en or ru) and stores the user.
// InvalidRequest naming the bad fields otherwise. Audited as "user_created" by `by`.
Result<UserRecord> AddUser(Engine& engine, const NewUser& user, int pbkdf2_iterations,
                           const Acting& by);

// The id of the registered RSO that `ref` names: its id, or its acronym (in any case), as the
// command line accepts. InvalidRequest naming `field` when no registered RSO matches.
Result<std::string> ResolveRso(Store& store, const std::string& ref, const std::string& field);

struct IssuedToken {
  std::string id;
  std::string token;  // shown once, never stored
  std::optional<int64_t> expires_at;
};

// kind "api" (optional expiry) or "session", issued by `by` (its created_by: by.IssuerId()).
// An API token's issue is audited as "token_created"; a session's is not (only a login issues
// one, to the user itself, and every entry made with it names it).
Result<IssuedToken> IssueToken(Engine& engine, const std::string& user_id, const std::string& name,
                               const std::string& kind, std::optional<int64_t> expires_at,
                               const Acting& by);

// Revokes the token (NotFound if none or already revoked), audited as "token_revoked" by
// `*audited_as` unless it is null (a logout: the user ending its own session).
Status RevokeToken(Engine& engine, const std::string& token_id, const Acting* audited_as);

// A change of some of a user's fields; an absent member leaves its field as it is. An empty
// rso_id or email clears it.
struct UserPatch {
  std::optional<std::string> display_name;
  std::optional<std::string> role;
  std::optional<bool> disabled;
  std::optional<std::string> rso_id;
  std::optional<std::vector<std::string>> affiliated_rso_ids;
  std::optional<std::string> email;
  std::optional<std::string> language;
};

// Applies `patch` to user `user_id` in one transaction. The patched user is validated as
// AddUser validates a new one (InvalidRequest naming the bad fields; a role other than
// rso_liaison drops the rso_id when the patch does not set one). Disabling a user revokes all
// of its tokens in the same transaction (the caller must also forget them in its
// Authenticator). GuardFailed when `by` (a user; not the command line) would disable itself or
// give up its own admin role, or when the change would leave no active admin. NotFound when
// there is no such user. A change is audited as "user_changed" by `by`, its data naming each
// changed field ("changes": {field: {"from","to"}}) and the tokens a disabling revoked; a
// patch that changes nothing writes nothing.
Result<UserRecord> UpdateUser(Engine& engine, const std::string& user_id, const UserPatch& patch,
                              const Acting& by);

// Replaces the user's password after checking the current one (GuardFailed, reason code
// current_password_wrong, when it does not match; InvalidRequest naming new_password when the
// new one has fewer than 12 characters) and revokes every session of the user but
// `keep_token_id`, in one transaction. API tokens stay valid. Audited as "password_changed"
// by `by` (never a password or a hash).
Status ChangePassword(Engine& engine, const std::string& user_id,
                      const std::string& current_password, const std::string& new_password,
                      const std::string& keep_token_id, int pbkdf2_iterations, const Acting& by);

// Labels (English, Russian) of the reason codes UpdateUser and ChangePassword give.
const LabelMap& ReasonLabels();

// Whether `email` has the shape local@domain.tld (no spaces, at most 254 characters).
bool ValidEmail(const std::string& email);

Json UserToJson(const UserRecord& user);  // the API form: never a hash

}  // namespace rsoflow::accounts
