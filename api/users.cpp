// GET/POST /api/v1/users, PATCH /api/v1/users/{id}, GET/POST /api/v1/users/{id}/tokens,
// DELETE /api/v1/tokens/{id}, PATCH /api/v1/me.
#include "accounts/accounts.h"
#include "api/handlers.h"

namespace rsoflow::api {
namespace {

Result<std::vector<std::string>> RsoIdList(const Json& body) {
  std::vector<std::string> ids;
  const Json* aff = body.Get("affiliated_rso_ids");
  if (aff == nullptr || aff->is_null()) return ids;
  bool ok = aff->is_array() && aff->size() <= 100;
  for (size_t i = 0; ok && i < aff->size(); ++i) {
    const Json& e = aff->AsArray()[i];
    ok = e.is_string() && e.AsString().size() <= 20;
    if (ok) ids.push_back(e.AsString());
  }
  if (!ok) {
    return Status::InvalidRequest("affiliated_rso_ids is a list of registered RSO ids",
                                  {"affiliated_rso_ids"});
  }
  return ids;
}

// The members of a PATCH body (already checked by CheckFields) as a UserPatch: a string member
// sets its field, null clears rso_id and email (and is refused for the others), disabled is
// true or false.
Result<accounts::UserPatch> ReadPatch(const Json& body) {
  accounts::UserPatch p;
  for (auto [field, target, max, nullable] :
       {std::tuple{"display_name", &p.display_name, size_t{200}, false},
        std::tuple{"role", &p.role, size_t{32}, false},
        std::tuple{"rso_id", &p.rso_id, size_t{20}, true},
        std::tuple{"email", &p.email, size_t{254}, true},
        std::tuple{"language", &p.language, size_t{2}, false}}) {
    const Json* v = body.Get(field);
    if (v == nullptr) continue;
    if (v->is_null() && nullable) {
      *target = "";
      continue;
    }
    auto text = StringField(body, field, max, !nullable);
    if (!text.ok()) return text.status();
    *target = *text;
  }
  if (const Json* v = body.Get("disabled"); v != nullptr) {
    if (!v->is_bool()) return Status::InvalidRequest("disabled is true or false", {"disabled"});
    p.disabled = v->AsBool();
  }
  if (body.Get("affiliated_rso_ids") != nullptr) {
    auto ids = RsoIdList(body);
    if (!ids.ok()) return ids.status();
    p.affiliated_rso_ids = *ids;
  }
  return p;
}

}  // namespace

// Keyset pages by user id, like every list: the store reads one user past the page, which
// says whether there is a next one.
Result<Reply> ListUsers(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"limit", "cursor"}));
  auto limit = Limit(req);
  if (!limit.ok()) return limit.status();
  auto after = Cursor(req);
  if (!after.ok()) return after.status();
  auto users = ctx.store().ListUsers(*after, *limit + 1);
  if (!users.ok()) return users.status();
  Json items = Json::MakeArray();
  std::optional<int64_t> next;
  for (const UserRecord& u : *users) {
    if (static_cast<int>(items.size()) == *limit) {
      next = std::stoll(items.AsArray().back().GetString("id"));
      break;
    }
    items.Push(accounts::UserToJson(u));
  }
  return JsonReply(200, Page(std::move(items), next));
}

Result<Reply> CreateUser(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckFields(req.body,
                                      {"username", "display_name", "role", "password", "rso_id",
                                       "affiliated_rso_ids", "email", "language"},
                                      {"username", "display_name", "role", "password"}));
  accounts::NewUser u;
  for (auto [field, target, max] :
       {std::tuple{"username", &u.username, size_t{64}},
        std::tuple{"display_name", &u.display_name, size_t{200}},
        std::tuple{"role", &u.role, size_t{32}}, std::tuple{"password", &u.password, size_t{1024}},
        std::tuple{"rso_id", &u.rso_id, size_t{20}}}) {
    auto v = StringField(req.body, field, max, std::string(field) != "rso_id");
    if (!v.ok()) return v.status();
    *target = *v;
  }
  auto affiliated = RsoIdList(req.body);
  if (!affiliated.ok()) return affiliated.status();
  u.affiliated_rso_ids = *affiliated;
  for (auto [field, target, max] : {std::tuple{"email", &u.email, size_t{254}},
                                    std::tuple{"language", &u.language, size_t{2}}}) {
    auto v = StringField(req.body, field, max, false);
    if (!v.ok()) return v.status();
    if (const Json* given = req.body.Get(field); given != nullptr && !given->is_null())
      *target = *v;
  }
  // AddUser checks that rso_id and the affiliated ids are registered RSOs.
  auto user = accounts::AddUser(ctx.engine(), u, ctx.options.pbkdf2_iterations, ActingFor(req));
  if (!user.ok()) return user.status();
  // No Location: the API has no path for one user (GET /api/v1/users lists them).
  return JsonReply(201, accounts::UserToJson(*user));
}

Result<Reply> PatchUser(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckFields(req.body, {"display_name", "role", "disabled", "rso_id",
                                                 "affiliated_rso_ids", "email", "language"}));
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  auto patch = ReadPatch(req.body);
  if (!patch.ok()) return patch.status();
  auto user = accounts::UpdateUser(ctx.engine(), std::to_string(*id), *patch, ActingFor(req));
  if (!user.ok()) return user.status();
  // Cached tokens carry the user as it was (role, scope, disabled): every one is read again.
  ctx.authenticator.ForgetUser(user->id);
  return JsonReply(200, accounts::UserToJson(*user));
}

Result<Reply> PatchMe(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckFields(req.body, {"display_name", "email", "language"}));
  auto patch = ReadPatch(req.body);
  if (!patch.ok()) return patch.status();
  auto user = accounts::UpdateUser(ctx.engine(), req.actor.user_id, *patch, ActingFor(req));
  if (!user.ok()) return user.status();
  ctx.authenticator.ForgetUser(user->id);
  return JsonReply(200, accounts::UserToJson(*user));
}

// A user's tokens that still work or may: revoked ones are left out, and so are those past
// their expiry and sessions idle past the limit (dead ones, which nothing can bring back).
Result<Reply> ListUserTokens(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  auto user = ctx.store().GetUser(std::to_string(*id));
  if (!user.ok()) return user.status();
  auto tokens = ctx.store().ListLiveTokensOfUser(user->id);
  if (!tokens.ok()) return tokens.status();
  const int64_t now = ctx.now();
  Json items = Json::MakeArray();
  for (const TokenRecord& t : *tokens) {
    if (t.expires_at && *t.expires_at <= now) continue;
    if (t.kind == "session" &&
        now - t.last_used_at.value_or(t.created_at) >= ctx.authenticator.policy().idle_ms) {
      continue;
    }
    Json j = Json::MakeObject();
    j.Set("id", t.id);
    j.Set("name", t.name);
    j.Set("created_at", FormatTime(t.created_at));
    j.Set("expires_at", TimeOrNull(t.expires_at));
    j.Set("last_used_at", TimeOrNull(t.last_used_at));
    j.Set("kind", t.kind);
    // Who issued it: the user itself (its login, for a session), an admin's user id, "system"
    // (the command line), or null (before this was recorded).
    j.Set("created_by", t.created_by.empty() ? Json() : Json(t.created_by));
    items.Push(std::move(j));
  }
  return JsonReply(200, Page(std::move(items), std::nullopt));
}

Result<Reply> CreateToken(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckFields(req.body, {"name", "expires_in_days"}, {"name"}));
  auto name = StringField(req.body, "name", 100, true);
  if (!name.ok()) return name.status();
  auto days = IntField(req.body, "expires_in_days", 1, 3650);
  if (!days.ok()) return days.status();
  auto user = ctx.store().GetUser(req.param("id"));
  if (!user.ok()) return user.status();
  std::optional<int64_t> expires_at;
  if (*days) expires_at = ctx.now() + **days * kMsPerDay;
  auto issued =
      accounts::IssueToken(ctx.engine(), user->id, *name, "api", expires_at, ActingFor(req));
  if (!issued.ok()) return issued.status();
  Json body = Json::MakeObject();
  body.Set("id", issued->id);
  body.Set("token", issued->token);
  body.Set("expires_at", TimeOrNull(issued->expires_at));
  return JsonReply(201, std::move(body));
}

Result<Reply> RevokeToken(ApiContext& ctx, const Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  const accounts::Acting by = ActingFor(req);
  RSOFLOW_RETURN_IF_ERROR(ctx.authenticator.Revoke(std::to_string(*id), &by));
  return NoContent();
}

}  // namespace rsoflow::api
