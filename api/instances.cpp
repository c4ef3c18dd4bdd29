// /api/v1/instances: list, read, fire an event, history and diagram, for every workflow.
// Scope (a liaison sees only its RSO's instances, others are "not found"), role checks for
// events and what each caller may read (each workflow's visibility rules, such as ballot
// secrecy) are the engine's (engine/scoped_reads.h); this file parses and serializes.
#include "api/diagram_svg.h"
#include "api/handlers.h"
#include "api/views.h"

namespace rsoflow::api {
namespace {

Result<Instance> VisibleInstance(ApiContext& ctx, const Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  return ctx.engine().GetInstance(*id, req.actor);
}

}  // namespace

Command CommandFor(const Request& req) {
  Command c;
  c.actor = req.actor;
  c.request_id = req.request_id;
  c.client_ip = req.client_ip;
  c.idempotency_key = req.idempotency_key;
  c.token_id = req.token_id;
  c.token_issued_by = req.token_issued_by;
  return c;
}

Result<Reply> ListInstances(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(
      CheckQuery(req, {"workflow", "state", "rso_id", "active", "limit", "cursor"}));
  auto limit = Limit(req);
  if (!limit.ok()) return limit.status();
  auto after = Cursor(req);
  if (!after.ok()) return after.status();
  InstanceQuery q;
  q.after_id = *after;
  q.limit = *limit;
  for (auto [key, target] : {std::pair{"workflow", &q.workflow}, std::pair{"state", &q.state},
                             std::pair{"rso_id", &q.rso_id}}) {
    if (auto it = req.query.find(key); it != req.query.end()) *target = it->second;
  }
  if (!q.workflow.empty() && ctx.engine().registry().Find(q.workflow) == nullptr) {
    return Status::InvalidRequest("unknown workflow '" + q.workflow + "'", {"workflow"});
  }
  if (auto it = req.query.find("active"); it != req.query.end()) {
    if (it->second != "true" && it->second != "false") {
      return Status::InvalidRequest("active is true or false", {"active"});
    }
    q.active = it->second == "true";
  }
  auto found = ctx.engine().reads().ListInstances(q, req.actor);
  if (!found.ok()) return found.status();
  Json items = Json::MakeArray();
  for (InstanceView& v : found->items) items.Push(InstanceJson(std::move(v)));
  return JsonReply(200, Page(std::move(items), found->next));
}

Result<Reply> GetInstance(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  auto inst = ctx.engine().reads().ReadInstance(*id, req.actor);
  if (!inst.ok()) return inst.status();
  Json body = InstanceJson(std::move(inst).value());
  const int64_t version = body.GetInt("version");  // as this caller reads it (views.h)
  return JsonReply(200, std::move(body)).Header("ETag", ETagOf(version));
}

Result<Reply> FireEvent(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(
      CheckFields(req.body, {"event", "comment", "data", "on_behalf_of"}, {"event"}));
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  auto event = StringField(req.body, "event", 64, true);
  if (!event.ok()) return event.status();
  auto comment = StringField(req.body, "comment", 4000, false);
  if (!comment.ok()) return comment.status();
  const Json* data = req.body.Get("data");
  if (data != nullptr && !data->is_null() && !data->is_object()) {
    return Status::InvalidRequest("data must be an object", {"data"});
  }
  auto expected = ParseIfMatch(req.if_match);
  if (!expected.ok()) return expected.status();
  Command c = CommandFor(req);
  c.instance_id = *id;
  c.event = *event;
  c.comment = *comment;
  if (data != nullptr && data->is_object()) c.data = *data;
  // Under a mandate: the engine checks it and runs the event as that user (mandate_policy.h).
  auto on_behalf_of = StringField(req.body, "on_behalf_of", 64, false);
  if (!on_behalf_of.ok()) return on_behalf_of.status();
  c.on_behalf_of = *on_behalf_of;
  c.expected_version = *expected;
  // A Council member votes only with its own session or token (AccessPolicy).
  RSOFLOW_RETURN_IF_ERROR(ctx.engine().CheckOwnCredential(c));
  auto fired = ctx.engine().Execute(std::move(c));
  if (!fired.ok()) return fired.status();
  Json audit = Json::MakeObject();
  audit.Set("seq", fired->seq);
  audit.Set("hash", fired->hash);
  Json body = Json::MakeObject();
  body.Set("instance", InstanceJson(ctx.engine(), fired->instance, req.actor));
  body.Set("audit", std::move(audit));
  return JsonReply(200, std::move(body)).Header("ETag", ETagOf(fired->instance.version));
}

Result<Reply> InstanceHistory(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"limit", "cursor"}));
  auto limit = Limit(req);
  if (!limit.ok()) return limit.status();
  auto after = Cursor(req);
  if (!after.ok()) return after.status();
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  auto entries = ctx.engine().reads().History(*id, req.actor, *after, *limit);
  if (!entries.ok()) return entries.status();
  Json items = Json::MakeArray();
  for (const AuditEntryView& v : entries->items) items.Push(AuditEntryJson(v));
  return JsonReply(200, Page(std::move(items), entries->next));
}

Result<Reply> InstanceDiagram(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"format"}));
  auto inst = VisibleInstance(ctx, req);
  if (!inst.ok()) return inst.status();
  const Workflow* wf = ctx.engine().registry().Find(inst->workflow);
  if (wf == nullptr) return Status::Unavailable("unknown workflow " + inst->workflow);
  auto it = req.query.find("format");
  const std::string format = it == req.query.end() ? "mermaid" : it->second;
  if (format == "mermaid") return TextReply(200, RenderMermaid(wf->Meta(), inst->state));
  if (format == "dot") return TextReply(200, RenderDot(wf->Meta(), inst->state));
  if (format == "svg") {
    auto svg = RenderSvg(wf->Meta(), inst->state);
    if (!svg.ok()) return svg.status();
    return TextReply(200, std::move(svg).value(), kSvgContentType);
  }
  return Status::InvalidRequest("format is mermaid, dot or svg", {"format"});
}

}  // namespace rsoflow::api
