// POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/me, POST /api/v1/me/password.
#include "accounts/accounts.h"
#include "accounts/auth.h"
#include "accounts/login.h"
#include "api/handlers.h"
#include "api/problem.h"
#include "engine/clock.h"

namespace rsoflow::api {
namespace {

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
  accounts::AttemptInFlight attempt(ctx.throttle, *username, req.client_ip);
  auto user =
      accounts::CheckPassword(ctx.store(), *username, *password, ctx.options.pbkdf2_iterations);
  if (!user.ok()) return user.status();
  if (!*user) {
    attempt.Failed();
    return Status::Unauthenticated("unknown username or wrong password");
  }
  attempt.Succeeded();
  accounts::UpgradePasswordHash(ctx.engine(), **user, *password, ctx.options.pbkdf2_iterations);
  auto session = ctx.authenticator.StartSession(**user);
  if (!session.ok()) return session.status();
  Json body = Json::MakeObject();
  if (cookie) {
    // The token travels only in the HttpOnly cookie, never where a script could read it.
    body.Set("user", accounts::UserToJson(**user));
    body.Set("expires_at", TimeOrNull(session->expires_at));
    body.Set("csrf_token", auth::CsrfTokenFor(session->token));
    return JsonReply(200, std::move(body))
        .Header("Set-Cookie", SessionCookie(session->token, ctx.options.cookie_secure, false));
  }
  body.Set("token", session->token);
  body.Set("expires_at", TimeOrNull(session->expires_at));
  body.Set("user", accounts::UserToJson(**user));
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
  accounts::AttemptInFlight attempt(ctx.throttle, req.actor.username, req.client_ip);
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
