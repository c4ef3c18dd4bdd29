// POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/me, POST /api/v1/me/password.
#include "accounts/accounts.h"
#include "accounts/auth.h"
#include "api/handlers.h"
#include "api/problem.h"
#include "engine/clock.h"

namespace rsoflow::api {
namespace {

// Verified against when the username is unknown, so that a failed login costs the same time
// whether or not the user exists.
const std::string& DecoyHash(int iterations) {
  static const std::string kHash = auth::HashPassword(auth::NewPassword(), iterations);
  return kHash;
}

// Ends an attempt LoginThrottle::Begin let through as abandoned unless a verdict ended it: an
// attempt left in flight (an early return, an exception) would count against the limits for
// ever.
class AttemptInFlight {
 public:
  AttemptInFlight(accounts::LoginThrottle& throttle, const std::string& username, const std::string& address)
      : throttle_(throttle), username_(username), address_(address) {}
  ~AttemptInFlight() {
    if (!ended_) throttle_.Abandoned(username_, address_);
  }
  AttemptInFlight(const AttemptInFlight&) = delete;
  AttemptInFlight& operator=(const AttemptInFlight&) = delete;
  void Failed() {
    ended_ = true;
    throttle_.Failed(username_, address_);
  }
  void Succeeded() {
    ended_ = true;
    throttle_.Succeeded(username_, address_);
  }

 private:
  accounts::LoginThrottle& throttle_;
  const std::string& username_;
  const std::string& address_;
  bool ended_ = false;
};

// The Set-Cookie value of a browser session (API.md 1.1): HttpOnly, so no script reads it;
// SameSite=Strict, so no other site's page sends it. Max-Age=0 clears it.
std::string SessionCookie(const std::string& token, bool secure, bool clear) {
  std::string cookie =
      std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict";
  if (clear) cookie += "; Max-Age=0";
  if (secure) cookie += "; Secure";
  return cookie;
}

}  // namespace

Result<Reply> Login(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(
      CheckFields(req.body, {"username", "password", "session"}, {"username", "password"}));
  auto session_kind = StringField(req.body, "session", 16, false);
  if (!session_kind.ok()) return session_kind.status();
  const bool cookie = *session_kind == "cookie";
  if (const Json* given = req.body.Get("session"); given && !given->is_null() && !cookie) {
    return Status::InvalidRequest("session must be \"cookie\" (or absent for a bearer token)",
                                  {"session"});
  }
  auto username = StringField(req.body, "username", 64, true);
  if (!username.ok()) return username.status();
  auto password = StringField(req.body, "password", 1024, true);
  if (!password.ok()) return password.status();

  if (const int64_t wait = ctx.throttle.Begin(*username, req.client_ip); wait > 0) {
    Reply r = ProblemReply(Status::RateLimited("too many failed logins; try again later"));
    r.Header("Retry-After", std::to_string(wait));
    return r;
  }
  AttemptInFlight attempt(ctx.throttle, *username, req.client_ip);
  auto user = ctx.store().GetUserByName(*username);
  if (!user.ok() && user.status().code() != Status::Code::kNotFound) return user.status();
  bool verified = false;
  if (user.ok()) {
    verified = auth::VerifyPassword(*password, user->password_hash);
  } else {
    auth::VerifyPassword(*password, DecoyHash(ctx.options.pbkdf2_iterations));
  }
  if (!verified || user->disabled) {
    attempt.Failed();
    return Status::Unauthenticated("unknown username or wrong password");
  }
  attempt.Succeeded();
  // A hash made at a lower cost than the server's (an older setting, or `user add` run with
  // another RSOFLOW_PBKDF2_ITERATIONS) is made again at the server's, so a raised setting
  // reaches every account that logs in and its refusals then take as long as an unknown
  // username's decoy. Never downwards (a low test setting must not weaken stored hashes), and
  // only over the hash just verified, so it cannot undo a later password change. Not awaited:
  // the old hash verifies until it is replaced.
  if (auth::IterationsOf(user->password_hash).value_or(0) < ctx.options.pbkdf2_iterations) {
    const std::string id = user->id;
    const std::string verified_hash = user->password_hash;
    const std::string rehashed = auth::HashPassword(*password, ctx.options.pbkdf2_iterations);
    ctx.engine().SubmitJob([id, verified_hash, rehashed](Store& store) -> Result<Json> {
      RSOFLOW_RETURN_IF_ERROR(store.SetPasswordHash(id, verified_hash, rehashed));
      return Json();
    });
  }
  auto session = ctx.authenticator.StartSession(*user);
  if (!session.ok()) return session.status();
  Json body = Json::MakeObject();
  if (cookie) {
    // The token travels only in the HttpOnly cookie, never where a script could read it.
    body.Set("user", accounts::UserToJson(*user));
    body.Set("expires_at", TimeOrNull(session->expires_at));
    body.Set("csrf_token", auth::CsrfTokenFor(session->token));
    return JsonReply(200, std::move(body))
        .Header("Set-Cookie", SessionCookie(session->token, ctx.options.cookie_secure, false));
  }
  body.Set("token", session->token);
  body.Set("expires_at", TimeOrNull(session->expires_at));
  body.Set("user", accounts::UserToJson(*user));
  return JsonReply(200, std::move(body));
}

Result<Reply> Logout(ApiContext& ctx, const Request& req) {
  if (!req.body.is_null()) RSOFLOW_RETURN_IF_ERROR(CheckFields(req.body, {}));
  RSOFLOW_RETURN_IF_ERROR(ctx.authenticator.Revoke(req.token_id, nullptr));
  // Cleared whatever the token came in: a browser that held the cookie forgets it.
  return NoContent().Header("Set-Cookie", SessionCookie("", ctx.options.cookie_secure, true));
}

Result<Reply> Me(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  auto user = ctx.store().GetUser(req.actor.user_id);
  if (!user.ok()) return user.status();
  Json body = accounts::UserToJson(*user);
  // A page opened in a new tab has the cookie but not the login's answer: it learns the
  // session's CSRF token here. Only a page of this origin can read the answer.
  if (!req.csrf_token.empty()) body.Set("csrf_token", req.csrf_token);
  return JsonReply(200, std::move(body));
}

// Throttled like a login: a stolen session must not become a way to guess the password.
Result<Reply> ChangeMyPassword(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckFields(req.body, {"current_password", "new_password"},
                                      {"current_password", "new_password"}));
  auto current = StringField(req.body, "current_password", 1024, true);
  if (!current.ok()) return current.status();
  auto fresh = StringField(req.body, "new_password", 1024, true);
  if (!fresh.ok()) return fresh.status();
  if (const int64_t wait = ctx.throttle.Begin(req.actor.username, req.client_ip); wait > 0) {
    Reply r = ProblemReply(Status::RateLimited("too many wrong passwords; try again later"));
    r.Header("Retry-After", std::to_string(wait));
    return r;
  }
  AttemptInFlight attempt(ctx.throttle, req.actor.username, req.client_ip);
  Status changed =
      accounts::ChangePassword(ctx.engine(), req.actor.user_id, *current, *fresh, req.token_id,
                               ctx.options.pbkdf2_iterations, ActingFor(req));
  if (changed.code() == Status::Code::kGuardFailed) attempt.Failed();
  if (!changed.ok()) return changed;
  attempt.Succeeded();
  // The other sessions were revoked in the store; their cached entries go too.
  ctx.authenticator.ForgetUser(req.actor.user_id);
  return NoContent();
}

}  // namespace rsoflow::api
