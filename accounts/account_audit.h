// Audit entries of changes to users and tokens (issue 17, finding 2): who created a user,
// changed one (role, disabled, profile, password), issued or revoked a token, with which token
// or session, and who had issued that. Not tied to an instance, they are entries of the chain
// like any other with instance_id 0 and workflow "accounts"; from_state and to_state are the
// subject's: a user "enabled" or "disabled", a token "live" or "revoked". Their data names the
// subject user ({"user_id","username","role"}) and, for a token, the token ("token_id",
// "kind", "name", "expires_at", "created_by").
//
// Thread-safety: AppendAccountEntry runs inside a job (the engine's writer thread).
#pragma once

#include <string>

#include "engine/engine.h"

namespace rsoflow::accounts {

inline constexpr const char* kAccountsWorkflow = "accounts";

// Who makes a change to users or tokens, as its audit entry names them: a user through the
// API (with its token or session and that token's issuer), or the command line (actor
// system: whoever runs rsoflow on the server; no token).
struct Acting {
  Actor actor = Actor::System();
  std::string token_id;
  std::string token_issued_by;
  std::string request_id;
  std::string client_ip;

  // A token's created_by when this caller issues one: its user id, or "system".
  std::string IssuerId() const { return actor.is_system() ? role::kSystem : actor.user_id; }
};

// {"user_id","username","role"} of the subject user, the start of every entry's data.
Json SubjectData(const UserRecord& user);

// Appends the entry (from inside a job: a failure of the job takes it back).
Status AppendAccountEntry(Engine& engine, const Acting& by, const std::string& event,
                          const std::string& from_state, const std::string& to_state, Json data);

}  // namespace rsoflow::accounts
