// GET /api/v1/workflows and /api/v1/workflows/{name}/diagram: the workflows' metadata, read
// off their transition tables.
#include "api/diagram_svg.h"
#include "api/handlers.h"

namespace rsoflow::api {

Result<Reply> ListWorkflows(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  Json all = Json::MakeArray();
  for (const Workflow* wf : ctx.engine().registry().All()) all.Push(MetaToJson(wf->Meta()));
  return JsonReply(200, std::move(all));
}

Result<Reply> WorkflowDiagram(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"format"}));
  const Workflow* wf = ctx.engine().registry().Find(req.param("name"));
  if (wf == nullptr) return Status::NotFound("no workflow '" + req.param("name") + "'");
  auto it = req.query.find("format");
  const std::string format = it == req.query.end() ? "mermaid" : it->second;
  if (format == "mermaid") return TextReply(200, RenderMermaid(wf->Meta()));
  if (format == "dot") return TextReply(200, RenderDot(wf->Meta()));
  if (format == "svg") {
    auto svg = RenderSvg(wf->Meta());
    if (!svg.ok()) return svg.status();
    return TextReply(200, std::move(svg).value(), kSvgContentType);
  }
  return Status::InvalidRequest("format is mermaid, dot or svg", {"format"});
}

}  // namespace rsoflow::api
