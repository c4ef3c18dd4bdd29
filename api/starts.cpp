// POST /api/v1/ballots, /api/v1/initiatives and /api/v1/momentum-plans: each starts an
// instance of its workflow; the workflow validates the data and the engine checks who may
// start it (a liaison only for its own RSO).
#include "api/handlers.h"
#include "api/runtime.h"
#include "api/views.h"

namespace rsoflow::api {
namespace {

Result<Reply> Start(ApiContext& ctx, const Request& req, const char* workflow, std::string rso_id,
                    Json data) {
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

// Splits {"rso_id", ...rest}: the RSO goes on the command, the rest is the workflow's data.
Result<Reply> StartForRso(ApiContext& ctx, const Request& req, const char* workflow) {
  if (!req.body.is_object()) {
    return Status::InvalidRequest("the request body must be a JSON object", {"body"});
  }
  auto rso_id = StringField(req.body, "rso_id", 20, true);
  if (!rso_id.ok()) return rso_id.status();
  Json data = req.body;
  data.Erase("rso_id");
  return Start(ctx, req, workflow, *rso_id, std::move(data));
}

}  // namespace

Result<Reply> CreateBallot(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckFields(req.body,
                                      {"title", "question", "deadline", "threshold", "quorum"},
                                      {"title", "question", "deadline"}));
  return Start(ctx, req, "council_ballot", "", req.body);
}

Result<Reply> CreateInitiative(ApiContext& ctx, const Request& req) {
  return StartForRso(ctx, req, "partnership_initiative");
}

Result<Reply> CreateMomentumPlan(ApiContext& ctx, const Request& req) {
  return StartForRso(ctx, req, "momentum_plan");
}

}  // namespace rsoflow::api
