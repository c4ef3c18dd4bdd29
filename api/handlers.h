// The handlers of the routing table, one group per resource file of api/. Each parses the
// Request, calls the engine or the store, and serializes; none knows Poco.
//
// Thread-safety: handlers are called concurrently from Poco's server threads.
#pragma once

#include "api/documents.h"  // UploadDocument, ListInstanceDocuments, DownloadDocument
#include "api/routes.h"

namespace rsoflow::api {

// A command on behalf of the caller: actor, request id, client address, Idempotency-Key, and
// the token or session it came with and that token's issuer (for its audit entry).
Command CommandFor(const Request& req);

// duties.cpp (issue 17, finding 2: separation of duties)
// The caller as the audit names it for a change to users or tokens.
accounts::Acting ActingFor(const Request& req);

// ops_routes.cpp
Result<Reply> Healthz(ApiContext& ctx, const Request& req);
Result<Reply> Readyz(ApiContext& ctx, const Request& req);
Result<Reply> MetricsText(ApiContext& ctx, const Request& req);
Result<Reply> OpenApiDocument(ApiContext& ctx, const Request& req);

// auth_routes.cpp
Result<Reply> Login(ApiContext& ctx, const Request& req);
Result<Reply> Logout(ApiContext& ctx, const Request& req);
Result<Reply> Me(ApiContext& ctx, const Request& req);
Result<Reply> ChangeMyPassword(ApiContext& ctx, const Request& req);

// users.cpp
Result<Reply> ListUsers(ApiContext& ctx, const Request& req);
Result<Reply> CreateUser(ApiContext& ctx, const Request& req);
Result<Reply> PatchUser(ApiContext& ctx, const Request& req);
Result<Reply> PatchMe(ApiContext& ctx, const Request& req);
Result<Reply> ListUserTokens(ApiContext& ctx, const Request& req);
Result<Reply> CreateToken(ApiContext& ctx, const Request& req);
Result<Reply> RevokeToken(ApiContext& ctx, const Request& req);

// rsos.cpp
Result<Reply> CreateRso(ApiContext& ctx, const Request& req);
Result<Reply> ListRsos(ApiContext& ctx, const Request& req);
Result<Reply> GetRso(ApiContext& ctx, const Request& req);
Result<Reply> PatchRso(ApiContext& ctx, const Request& req);

// instances.cpp
Result<Reply> ListInstances(ApiContext& ctx, const Request& req);
Result<Reply> GetInstance(ApiContext& ctx, const Request& req);
Result<Reply> FireEvent(ApiContext& ctx, const Request& req);
Result<Reply> InstanceHistory(ApiContext& ctx, const Request& req);
Result<Reply> InstanceDiagram(ApiContext& ctx, const Request& req);

// starts.cpp: instances started by a POST on their workflow's creation route
// (WorkflowMeta::create), the workflow found by the route's pattern.
Result<Reply> StartInstance(ApiContext& ctx, const Request& req);
const Workflow* WorkflowCreatedAt(const WorkflowRegistry& registry, const std::string& route);

// iso_events.cpp
Result<Reply> CreateIsoEvent(ApiContext& ctx, const Request& req);
Result<Reply> ListIsoEvents(ApiContext& ctx, const Request& req);
Result<Reply> GetIsoEvent(ApiContext& ctx, const Request& req);

// inbox.cpp
Result<Reply> Inbox(ApiContext& ctx, const Request& req);

// labels_routes.cpp
Result<Reply> Labels(ApiContext& ctx, const Request& req);

// workflow_routes.cpp
Result<Reply> ListWorkflows(ApiContext& ctx, const Request& req);
Result<Reply> WorkflowDiagram(ApiContext& ctx, const Request& req);

// audit_routes.cpp
Result<Reply> ListAudit(ApiContext& ctx, const Request& req);
Result<Reply> VerifyAudit(ApiContext& ctx, const Request& req);
Result<Reply> ExportAudit(ApiContext& ctx, const Request& req);

// resolutions.cpp
Result<Reply> ListResolutions(ApiContext& ctx, const Request& req);
Result<Reply> RecordResolution(ApiContext& ctx, const Request& req);
Result<Reply> ImportHistory(ApiContext& ctx, const Request& req);

// mandates.cpp
Result<Reply> CreateMandate(ApiContext& ctx, const Request& req);
Result<Reply> ListMandates(ApiContext& ctx, const Request& req);
Result<Reply> RevokeMandate(ApiContext& ctx, const Request& req);
// notifications.cpp (API.md 1.1, "Notifications")
Result<Reply> ListMyNotifications(ApiContext& ctx, const Request& req);
Result<Reply> MarkMyNotificationsRead(ApiContext& ctx, const Request& req);
Result<Reply> CreateWebhook(ApiContext& ctx, const Request& req);
Result<Reply> ListWebhooks(ApiContext& ctx, const Request& req);
Result<Reply> DeleteWebhook(ApiContext& ctx, const Request& req);
Result<Reply> ListWebhookDeliveries(ApiContext& ctx, const Request& req);
Result<Reply> RedeliverWebhookDelivery(ApiContext& ctx, const Request& req);

// reports.cpp
Result<Reply> ReportSummary(ApiContext& ctx, const Request& req);

}  // namespace rsoflow::api
