// Operations endpoints (no authentication) and the OpenAPI document.
#include "api/handlers.h"
#include "api/openapi.h"

namespace rsoflow::api {

Result<Reply> Healthz(ApiContext&, const Request&) {
  Json body = Json::MakeObject();
  body.Set("status", "ok");
  return JsonReply(200, std::move(body));
}

Result<Reply> Readyz(ApiContext& ctx, const Request&) {
  // Not ready is an error like any other 503: a problem document with code unavailable.
  if (!ctx.store().Ping()) {
    return Status::Unavailable("the database does not answer, or its file was removed or replaced");
  }
  Json body = Json::MakeObject();
  body.Set("status", "ready");
  return JsonReply(200, std::move(body));
}

Result<Reply> MetricsText(ApiContext& ctx, const Request&) {
  return TextReply(200, ctx.metrics.Render(ctx.engine().Stats()),
                   "text/plain; version=0.0.4; charset=utf-8");
}

// The written document and the path items of this server's workflows' creation routes.
Result<Reply> OpenApiDocument(ApiContext& ctx, const Request&) {
  return TextReply(200, OpenApiText(ctx.engine().registry()), "application/yaml; charset=utf-8");
}

}  // namespace rsoflow::api
