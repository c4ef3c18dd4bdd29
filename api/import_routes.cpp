// POST /api/v1/import: the historical import (API.md 1.1 "Historical import") for an admin,
// the same document `rsoflow import FILE` reads. The work is workflows/history's; this is only
// the route: 201 with what was imported, or the problem naming the object and field.
#include "api/handlers.h"
#include "workflows/history/import.h"

namespace rsoflow::api {

Result<Reply> ImportHistory(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  Command by = CommandFor(req);
  by.idempotency_key.clear();  // an import is refused the second time, never replayed
  auto report = history::Import(ctx.engine(), req.body, by);
  if (!report.ok()) return report.status();
  return JsonReply(201, report->ToJson());
}

}  // namespace rsoflow::api
