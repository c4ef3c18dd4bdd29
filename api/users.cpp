// GET/POST /api/v1/users, POST /api/v1/users/{id}/tokens, DELETE /api/v1/tokens/{id}.
#include "api/accounts.h"
#include "api/handlers.h"
#include "api/runtime.h"

namespace rsoflow::api {

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
  RSOFLOW_RETURN_IF_ERROR(CheckFields(
      req.body, {"username", "display_name", "role", "password", "rso_id", "affiliated_rso_ids"},
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
  if (const Json* aff = req.body.Get("affiliated_rso_ids"); aff != nullptr && !aff->is_null()) {
    bool ok = aff->is_array() && aff->size() <= 100;
    for (size_t i = 0; ok && i < aff->size(); ++i) {
      const Json& e = aff->AsArray()[i];
      ok = e.is_string();
      if (ok) u.affiliated_rso_ids.push_back(e.AsString());
    }
    if (!ok) {
      return Status::InvalidRequest("affiliated_rso_ids is a list of registered RSO ids",
                                    {"affiliated_rso_ids"});
    }
  }
  // AddUser checks that rso_id and the affiliated ids are registered RSOs.
  auto user = accounts::AddUser(ctx.engine(), u, ctx.options.pbkdf2_iterations);
  if (!user.ok()) return user.status();
  // No Location: the API has no path for one user (GET /api/v1/users lists them).
  return JsonReply(201, accounts::UserToJson(*user));
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
  auto issued = accounts::IssueToken(ctx.engine(), user->id, *name, "api", expires_at);
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
  RSOFLOW_RETURN_IF_ERROR(ctx.authenticator.Revoke(std::to_string(*id)));
  return NoContent();
}

}  // namespace rsoflow::api
