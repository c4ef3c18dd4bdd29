// /api/v1/mandates: dated delegations (API.md "Mandates (delegation)", DESIGN 9). The rules are
// the engine's (engine/mandate_policy.h); this parses, checks who asks, and serializes. Giving
// and revoking a mandate are audited like changes to users (workflow "accounts", events
// mandate_given and mandate_revoked). A mandate is never deleted: DELETE sets revoked_at.
#include <optional>
#include <string>

#include "accounts/account_audit.h"
#include "api/handlers.h"
#include "engine/mandate_policy.h"
#include "engine/string_list.h"

namespace rsoflow::api {
namespace {

constexpr size_t kMaxWorkflows = 32;

Result<std::string> DateField(const Json& body, const char* name) {
  auto text = StringField(body, name, 10, true);
  if (!text.ok()) return text.status();
  if (!ParseDate(*text)) {
    return Status::InvalidRequest(std::string(name) + " must be a calendar date YYYY-MM-DD",
                                  {name});
  }
  return text;
}

Result<Mandate> ParseMandate(const Json& body, const WorkflowRegistry& registry) {
  RSOFLOW_RETURN_IF_ERROR(CheckFields(
      body, {"from_user_id", "to_user_id", "starts_on", "ends_on", "workflows", "reason"},
      {"from_user_id", "to_user_id", "starts_on", "ends_on"}));
  Mandate m;
  auto from = StringField(body, "from_user_id", 64, true);
  if (!from.ok()) return from.status();
  m.from_user_id = *from;
  auto to = StringField(body, "to_user_id", 64, true);
  if (!to.ok()) return to.status();
  m.to_user_id = *to;
  auto starts = DateField(body, "starts_on");
  if (!starts.ok()) return starts.status();
  m.starts_on = *starts;
  auto ends = DateField(body, "ends_on");
  if (!ends.ok()) return ends.status();
  m.ends_on = *ends;
  if (m.ends_on < m.starts_on) {
    return Status::InvalidRequest("ends_on must not be before starts_on", {"starts_on", "ends_on"});
  }
  if (const Json* workflows = body.Get("workflows");
      workflows != nullptr && !workflows->is_null()) {
    const Status bad = Status::InvalidRequest(
        "workflows must be a list of workflow names (GET /api/v1/workflows)", {"workflows"});
    if (!workflows->is_array() || workflows->size() > kMaxWorkflows) return bad;
    for (const Json& w : workflows->AsArray()) {
      if (!w.is_string() || registry.Find(w.AsString()) == nullptr) return bad;
      if (!Contains(m.workflows, w.AsString())) m.workflows.push_back(w.AsString());
    }
  }
  auto reason = StringField(body, "reason", 1000, false);
  if (!reason.ok()) return reason.status();
  m.reason = *reason;
  return m;
}

Json TextOrNullJson(const std::string& s) { return s.empty() ? Json() : Json(s); }

// The mandate as API.md writes it, with the users' names and whether it holds today.
Json MandateJson(const Mandate& m, Store& store, int64_t now, bool writer_side) {
  Json j = Json::MakeObject();
  j.Set("id", std::to_string(m.id));
  j.Set("from_user_id", m.from_user_id);
  j.Set("to_user_id", m.to_user_id);
  for (const auto& [key, id] :
       {std::pair{"from_username", &m.from_user_id}, std::pair{"to_username", &m.to_user_id}}) {
    auto user = writer_side ? store.GetUserForWrite(*id) : store.GetUser(*id);
    j.Set(key, user.ok() ? Json(user->username) : Json());
  }
  j.Set("starts_on", m.starts_on);
  j.Set("ends_on", m.ends_on);
  j.Set("workflows", StringArray(m.workflows));
  j.Set("reason", TextOrNullJson(m.reason));
  j.Set("created_by", m.created_by);
  j.Set("created_at", FormatTime(m.created_at));
  j.Set("revoked_at", TimeOrNull(m.revoked_at));
  const std::string today = mandates::DayOf(now);
  j.Set("active", !m.revoked_at && m.starts_on <= today && today <= m.ends_on);
  return j;
}

Json AuditData(const Mandate& m) {
  Json data = Json::MakeObject();
  data.Set("mandate_id", std::to_string(m.id));
  data.Set("from_user_id", m.from_user_id);
  data.Set("to_user_id", m.to_user_id);
  data.Set("starts_on", m.starts_on);
  data.Set("ends_on", m.ends_on);
  data.Set("workflows", StringArray(m.workflows));
  return data;
}

}  // namespace

Result<Reply> CreateMandate(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  Engine& engine = ctx.engine();
  auto parsed = ParseMandate(req.body, engine.registry());
  if (!parsed.ok()) return parsed.status();
  RSOFLOW_RETURN_IF_ERROR(mandates::CheckMayGive(*parsed, req.actor));
  const accounts::Acting by = ActingFor(req);
  auto made = engine
                  .SubmitJob([&engine, m = *parsed, &by](Store& store) mutable -> Result<Json> {
                    RSOFLOW_RETURN_IF_ERROR(mandates::CheckNewForWrite(store, m));
                    const int64_t now = engine.clock().NowMs();
                    m.created_by = by.actor.user_id;
                    m.created_at = now;
                    auto id = store.InsertMandate(m);
                    if (!id.ok()) return id.status();
                    m.id = *id;
                    RSOFLOW_RETURN_IF_ERROR(accounts::AppendAccountEntry(
                        engine, by, "mandate_given", "", "live", AuditData(m)));
                    return MandateJson(m, store, now, true);
                  })
                  .get();
  if (!made.ok()) return made.status();
  return JsonReply(201, std::move(*made));
}

Result<Reply> ListMandates(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"active", "limit", "cursor"}));
  auto limit = Limit(req);
  if (!limit.ok()) return limit.status();
  auto after = Cursor(req);
  if (!after.ok()) return after.status();
  MandateQuery q;
  if (auto it = req.query.find("active"); it != req.query.end()) {
    if (it->second != "true" && it->second != "false") {
      return Status::InvalidRequest("active is true or false", {"active"});
    }
    if (it->second == "true") q.active_on = mandates::DayOf(ctx.now());
  }
  if (!mandates::SeesAll(req.actor)) q.user_id = req.actor.user_id;
  q.after_id = *after;
  q.limit = *limit + 1;
  auto rows = ctx.store().ListMandates(q);
  if (!rows.ok()) return rows.status();
  Json items = Json::MakeArray();
  std::optional<int64_t> next;
  for (const Mandate& m : *rows) {
    if (static_cast<int>(items.size()) == *limit) break;
    items.Push(MandateJson(m, ctx.store(), ctx.now(), false));
    next = m.id;
  }
  if (static_cast<int>(rows->size()) <= *limit) next.reset();
  return JsonReply(200, Page(std::move(items), next));
}

Result<Reply> RevokeMandate(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  Engine& engine = ctx.engine();
  const accounts::Acting by = ActingFor(req);
  const Actor& caller = req.actor;
  auto done = engine
                  .SubmitJob([&engine, id = *id, &by, &caller](Store& store) -> Result<Json> {
                    auto m = store.GetMandateForWrite(id);
                    // One the caller may not read is as absent as one that does not exist.
                    if (!m.ok() || !mandates::MaySee(*m, caller)) {
                      if (!m.ok() && m.status().code() != Status::Code::kNotFound) {
                        return m.status();
                      }
                      return Status::NotFound("no mandate " + std::to_string(id));
                    }
                    RSOFLOW_RETURN_IF_ERROR(mandates::CheckMayRevoke(*m, caller));
                    if (m->revoked_at) return Json();  // revoked already: nothing to do
                    RSOFLOW_RETURN_IF_ERROR(store.RevokeMandate(id, engine.clock().NowMs()));
                    RSOFLOW_RETURN_IF_ERROR(accounts::AppendAccountEntry(
                        engine, by, "mandate_revoked", "live", "revoked", AuditData(*m)));
                    return Json();
                  })
                  .get();
  if (!done.ok()) return done.status();
  return NoContent();
}

}  // namespace rsoflow::api
