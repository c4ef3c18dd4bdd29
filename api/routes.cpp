#include "api/routes.h"

#include "api/handlers.h"
#include "api/pipeline.h"
#include "workflows/registry.h"

namespace rsoflow::api {
namespace {

const std::vector<std::string> kAnyUser = {"secretariat", "council", "rso_liaison", "auditor",
                                           "admin"};
const std::vector<std::string> kAllButAdmin = {"secretariat", "council", "rso_liaison", "auditor"};
const std::vector<std::string> kAdmin = {"admin"};
const std::vector<std::string> kSecretariat = {"secretariat"};
const std::vector<std::string> kSecretariatOrLiaison = {"secretariat", "rso_liaison"};
const std::vector<std::string> kAdminOrSecretariat = {"admin", "secretariat"};
const std::vector<std::string> kAuditorOrSecretariat = {"auditor", "secretariat"};
const std::vector<std::string> kAuditor = {"auditor"};

Route Public(const char* method, const char* pattern, Handler h) {
  return Route{method, pattern, true, {}, h};
}
Route For(const std::vector<std::string>& roles, const char* method, const char* pattern,
          Handler h) {
  return Route{method, pattern, false, roles, h};
}

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    const size_t slash = path.find('/', start);
    out.push_back(
        path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

}  // namespace

Engine& ApiContext::engine() const { return running; }
Store& ApiContext::store() const { return running.store(); }
int64_t ApiContext::now() const { return running.clock().NowMs(); }

std::vector<Route> RoutesFor(const WorkflowRegistry& registry) {
  // clang-format off
  std::vector<Route> routes = {
      //  who                     method    path                                      handler
      Public(                     "GET",    "/healthz",                               Healthz),
      Public(                     "GET",    "/readyz",                                Readyz),
      Public(                     "GET",    "/metrics",                               MetricsText),
      Public(                     "POST",   "/api/v1/auth/login",                     Login),
      For(kAnyUser,               "POST",   "/api/v1/auth/logout",                    Logout),
      For(kAnyUser,               "GET",    "/api/v1/me",                             Me),
      For(kAnyUser,               "PATCH",  "/api/v1/me",                             PatchMe),
      For(kAnyUser,               "POST",   "/api/v1/me/password",                    ChangeMyPassword),
      For(kAnyUser,               "GET",    "/api/v1/me/notifications",               ListMyNotifications),
      For(kAnyUser,               "POST",   "/api/v1/me/notifications/read",          MarkMyNotificationsRead),
      For(kAdmin,                 "POST",   "/api/v1/webhooks",                       CreateWebhook),
      For(kAdmin,                 "GET",    "/api/v1/webhooks",                       ListWebhooks),
      For(kAdmin,                 "DELETE", "/api/v1/webhooks/{id}",                  DeleteWebhook),
      For(kAdmin,                 "GET",    "/api/v1/webhooks/{id}/deliveries",       ListWebhookDeliveries),
      For(kAdmin,                 "POST",   "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver", RedeliverWebhookDelivery),
      For(kAnyUser,               "GET",    "/api/v1/openapi.yaml",                   OpenApiDocument),
      For(kAdminOrSecretariat,    "GET",    "/api/v1/users",                          ListUsers),
      For(kAdmin,                 "POST",   "/api/v1/users",                          CreateUser),
      For(kAdmin,                 "PATCH",  "/api/v1/users/{id}",                     PatchUser),
      For(kAdmin,                 "GET",    "/api/v1/users/{id}/tokens",              ListUserTokens),
      For(kAdmin,                 "POST",   "/api/v1/users/{id}/tokens",              CreateToken),
      For(kAdmin,                 "DELETE", "/api/v1/tokens/{id}",                    RevokeToken),
      For(kSecretariat,           "POST",   "/api/v1/rsos",                           CreateRso),
      For(kAllButAdmin,           "GET",    "/api/v1/rsos",                           ListRsos),
      For(kAllButAdmin,           "GET",    "/api/v1/rsos/{id}",                      GetRso),
      For(kSecretariatOrLiaison,  "PATCH",  "/api/v1/rsos/{id}",                      PatchRso),
      For(kAllButAdmin,           "GET",    "/api/v1/instances",                      ListInstances),
      For(kAllButAdmin,           "GET",    "/api/v1/instances/{id}",                 GetInstance),
      For(kAllButAdmin,           "POST",   "/api/v1/instances/{id}/events",          FireEvent),
      For(kAllButAdmin,           "GET",    "/api/v1/instances/{id}/history",         InstanceHistory),
      For(kAllButAdmin,           "GET",    "/api/v1/instances/{id}/diagram",         InstanceDiagram),
      For(kSecretariatOrLiaison,  "POST",   "/api/v1/instances/{id}/documents",       UploadDocument).RawBody(kMaxDocumentBytes),
      For(kAllButAdmin,           "GET",    "/api/v1/instances/{id}/documents",       ListInstanceDocuments),
      For(kAllButAdmin,           "GET",    "/api/v1/documents/{id}",                 DownloadDocument),
      For(kSecretariat,           "POST",   "/api/v1/iso-events",                     CreateIsoEvent),
      For(kAllButAdmin,           "GET",    "/api/v1/iso-events",                     ListIsoEvents),
      For(kAllButAdmin,           "GET",    "/api/v1/iso-events/{id}",                GetIsoEvent),
      For(kAllButAdmin,           "GET",    "/api/v1/inbox",                          Inbox),
      For(kAllButAdmin,           "GET",    "/api/v1/resolutions",                    ListResolutions),
      For(kSecretariat,           "POST",   "/api/v1/resolutions",                    RecordResolution),
      For(kAnyUser,               "POST",   "/api/v1/mandates",                       CreateMandate),
      For(kAnyUser,               "GET",    "/api/v1/mandates",                       ListMandates),
      For(kAnyUser,               "DELETE", "/api/v1/mandates/{id}",                  RevokeMandate),
      For(kAdmin,                 "POST",   "/api/v1/import",                         ImportHistory),
      For(kAnyUser,               "GET",    "/api/v1/workflows",                      ListWorkflows),
      For(kAnyUser,               "GET",    "/api/v1/workflows/{name}/diagram",       WorkflowDiagram),
      For(kAnyUser,               "GET",    "/api/v1/labels",                         Labels),
      For(kAuditorOrSecretariat,  "GET",    "/api/v1/audit",                          ListAudit),
      For(kAuditorOrSecretariat,  "GET",    "/api/v1/audit/verify",                   VerifyAudit),
      For(kAuditor,               "GET",    "/api/v1/audit/export",                   ExportAudit),
      For(kAuditorOrSecretariat,  "GET",    "/api/v1/reports/summary",                ReportSummary),
      // + one per workflow with a creation route, below:
      //   POST  WorkflowMeta::create.path  (its create_roles but system)  StartInstance
  };
  // clang-format on
  for (const Workflow* wf : registry.All()) {
    const WorkflowMeta& meta = wf->Meta();
    if (meta.create.path.empty()) continue;
    std::vector<std::string> roles;
    for (const auto& r : meta.create_roles) {
      if (r != "system") roles.push_back(r);
    }
    routes.push_back(For(roles, "POST", meta.create.path.c_str(), StartInstance));
  }
  return routes;
}

const std::vector<Route>& RouteTable() {
  static const std::vector<Route> kRoutes = [] {
    WorkflowRegistry registry;
    RegisterWorkflows(registry);
    return RoutesFor(registry);
  }();
  return kRoutes;
}

RoutingTable::RoutingTable(std::vector<Route> routes) : routes_(std::move(routes)) {
  for (const Route& r : routes_) {
    std::vector<Segment> pattern;
    for (std::string& w : Split(r.pattern)) {
      const bool param = w.size() > 2 && w.front() == '{' && w.back() == '}';
      pattern.push_back(Segment{param ? w.substr(1, w.size() - 2) : std::move(w), param});
    }
    patterns_.push_back(std::move(pattern));
  }
}

RouteMatch RoutingTable::Match(const std::string& method, const std::string& path) const {
  RouteMatch m;
  const std::string as = method == "HEAD" ? "GET" : method;
  std::vector<std::string> methods;
  if (path.empty() || path[0] != '/') return m;
  const std::vector<std::string> got = Split(path);
  for (size_t i = 0; i < routes_.size(); ++i) {
    const Route& r = routes_[i];
    const auto& want = patterns_[i];
    if (want.size() != got.size()) continue;
    bool same = true;
    for (size_t k = 0; k < want.size() && same; ++k) {
      same = want[k].param ? !got[k].empty() : want[k].text == got[k];
    }
    if (!same) continue;
    if (r.method == as && m.route == nullptr) {
      m.route = &r;
      for (size_t k = 0; k < want.size(); ++k) {
        if (want[k].param) m.params[want[k].text] = got[k];
      }
    }
    methods.push_back(r.method);
    if (r.method == "GET") methods.push_back("HEAD");
    m.path_is_public = m.path_is_public || r.is_public;
  }
  if (m.route == nullptr) {
    for (const auto& x : methods) m.allow += (m.allow.empty() ? "" : ", ") + x;
  }
  return m;
}

RouteMatch MatchRoute(const std::string& method, const std::string& path) {
  static const RoutingTable kTable(RouteTable());
  return kTable.Match(method, path);
}

Poco::Net::HTTPRequestHandler* Router::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
  return new RequestPipeline(ctx_);
}

}  // namespace rsoflow::api
