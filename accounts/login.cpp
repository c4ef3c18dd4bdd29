#include "accounts/login.h"

#include "accounts/auth.h"

namespace rsoflow::accounts {
namespace {

// Verified against when the username is unknown, so that a failed login costs the same time
// whether or not the user exists.
const std::string& DecoyHash(int iterations) {
  static const std::string kHash = auth::HashPassword(auth::NewPassword(), iterations);
  return kHash;
}

}  // namespace

Result<std::optional<UserRecord>> CheckPassword(Store& store, const std::string& username,
                                                const std::string& password,
                                                int pbkdf2_iterations) {
  auto user = store.GetUserByName(username);
  if (!user.ok() && user.status().code() != Status::Code::kNotFound) return user.status();
  bool verified = false;
  if (user.ok()) {
    verified = auth::VerifyPassword(password, user->password_hash);
  } else {
    auth::VerifyPassword(password, DecoyHash(pbkdf2_iterations));
  }
  if (!verified || user->disabled) return std::optional<UserRecord>();
  return std::optional<UserRecord>(std::move(user).value());
}

void UpgradePasswordHash(Engine& engine, const UserRecord& user, const std::string& password,
                         int pbkdf2_iterations) {
  // A hash made at a lower cost than the server's (an older setting, or `user add` run with
  // another RSOFLOW_PBKDF2_ITERATIONS) is made again at the server's, so a raised setting
  // reaches every account that logs in and its refusals then take as long as an unknown
  // username's decoy. Never downwards (a low test setting must not weaken stored hashes), and
  // only over the hash just verified, so it cannot undo a later password change.
  if (auth::IterationsOf(user.password_hash).value_or(0) < pbkdf2_iterations) {
    const std::string id = user.id;
    const std::string verified_hash = user.password_hash;
    const std::string rehashed = auth::HashPassword(password, pbkdf2_iterations);
    engine.SubmitJob([id, verified_hash, rehashed](Store& store) -> Result<Json> {
      RSOFLOW_RETURN_IF_ERROR(store.SetPasswordHash(id, verified_hash, rehashed));
      return Json();
    });
  }
}

}  // namespace rsoflow::accounts
