// The password check of a login (DESIGN 5): the user a username and password name, at the
// same cost whether or not the username exists, with an old hash made again at today's cost.
// The HTTP route (api/auth_routes.cpp) throttles the attempts (login_throttle.h) and starts
// the session (authenticator.h).
//
// Thread-safety: thread-safe (the rehash is a write job of the engine's writer).
#pragma once

#include <optional>
#include <string>

#include "engine/engine.h"

namespace rsoflow::accounts {

// The user `username` names when `password` is its password and it is not disabled; nullopt
// when not (wrong password, disabled, or no such user, which costs the same time: a decoy hash
// made with `pbkdf2_iterations` is verified). A store failure is an error, a verdict on the
// password neither way.
Result<std::optional<UserRecord>> CheckPassword(Store& store, const std::string& username,
                                                const std::string& password, int pbkdf2_iterations);

// After CheckPassword found `user`: a stored hash made with fewer than `pbkdf2_iterations`
// iterations is made again at that cost (not awaited: the old hash verifies until the new one
// replaces it).
void UpgradePasswordHash(Engine& engine, const UserRecord& user, const std::string& password,
                         int pbkdf2_iterations);

}  // namespace rsoflow::accounts
