// POST on a workflow's creation route (WorkflowMeta::create: /api/v1/ballots,
// /api/v1/initiatives, /api/v1/momentum-plans...): starts an instance of that workflow; the
// workflow validates the data and the engine checks who may start it (a liaison only for its
// own RSO). The routing table adds one route per workflow that declares one.
#include "api/handlers.h"
#include "api/views.h"

namespace rsoflow::api {
namespace {

Result<Reply> Start(ApiContext& ctx, const Request& req, const std::string& workflow,
                    std::string rso_id, Json data) {
  Command c = CommandFor(req);
  c.start_workflow = workflow;
  c.rso_id = std::move(rso_id);
  c.data = std::move(data);
  auto started = ctx.engine().Execute(std::move(c));
  if (!started.ok()) return started.status();
  const Instance& inst = started->instance;
  return JsonReply(201, InstanceJson(ctx.engine(), inst, req.actor))
      .Header("Location", "/api/v1/instances/" + std::to_string(inst.id))
      .Header("ETag", ETagOf(inst.version));
}

}  // namespace

const Workflow* WorkflowCreatedAt(const WorkflowRegistry& registry, const std::string& route) {
  for (const Workflow* wf : registry.All()) {
    if (!route.empty() && wf->Meta().create.path == route) return wf;
  }
  return nullptr;
}

Result<Reply> StartInstance(ApiContext& ctx, const Request& req) {
  const Workflow* wf = WorkflowCreatedAt(ctx.engine().registry(), req.route);
  if (wf == nullptr) return Status::NotFound("no route for " + req.path);
  const WorkflowMeta& meta = wf->Meta();
  if (meta.create.body_names_first) {
    RSOFLOW_RETURN_IF_ERROR(BodyFields(meta.create.fields).Check(req.body));
  }
  if (!meta.create.rso_id_in_body) return Start(ctx, req, meta.name, "", req.body);
  // Splits {"rso_id", ...rest}: the RSO goes on the command, the rest is the workflow's data.
  if (!req.body.is_object()) {
    return Status::InvalidRequest("the request body must be a JSON object", {"body"});
  }
  auto rso_id = StringField(req.body, "rso_id", 20, true);
  if (!rso_id.ok()) return rso_id.status();
  Json data = req.body;
  data.Erase("rso_id");
  return Start(ctx, req, meta.name, *rso_id, std::move(data));
}

}  // namespace rsoflow::api
