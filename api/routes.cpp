#include "api/routes.h"

#include "api/handlers.h"
#include "api/pipeline.h"
#include "api/runtime.h"

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

// A route pattern split at '/', once: literal segments, and {name} parameters.
struct Segment {
  std::string text;  // the literal, or the parameter's name
  bool param = false;
};
using Pattern = std::vector<Segment>;

Pattern Compile(const std::string& pattern) {
  Pattern out;
  for (std::string& w : Split(pattern)) {
    const bool param = w.size() > 2 && w.front() == '{' && w.back() == '}';
    out.push_back(Segment{param ? w.substr(1, w.size() - 2) : std::move(w), param});
  }
  return out;
}

bool MatchPattern(const Pattern& want, const std::vector<std::string>& got,
                  std::map<std::string, std::string>* params) {
  if (want.size() != got.size()) return false;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].param ? got[i].empty() : want[i].text != got[i]) return false;
  }
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].param) (*params)[want[i].text] = got[i];
  }
  return true;
}

}  // namespace

Engine& ApiContext::engine() const { return runtime.engine(); }
Store& ApiContext::store() const { return runtime.store(); }
int64_t ApiContext::now() const { return runtime.clock().NowMs(); }

const std::vector<Route>& RouteTable() {
  // clang-format off
  static const std::vector<Route> kRoutes = {
      //  who                     method    path                                      handler
      Public(                     "GET",    "/healthz",                               Healthz),
      Public(                     "GET",    "/readyz",                                Readyz),
      Public(                     "GET",    "/metrics",                               MetricsText),
      Public(                     "POST",   "/api/v1/auth/login",                     Login),
      For(kAnyUser,               "POST",   "/api/v1/auth/logout",                    Logout),
      For(kAnyUser,               "GET",    "/api/v1/me",                             Me),
      For(kAnyUser,               "PATCH",  "/api/v1/me",                             PatchMe),
      For(kAnyUser,               "POST",   "/api/v1/me/password",                    ChangeMyPassword),
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
      For(kSecretariat,           "POST",   "/api/v1/ballots",                        CreateBallot),
      For(kSecretariatOrLiaison,  "POST",   "/api/v1/initiatives",                    CreateInitiative),
      For(kSecretariat,           "POST",   "/api/v1/iso-events",                     CreateIsoEvent),
      For(kAllButAdmin,           "GET",    "/api/v1/iso-events",                     ListIsoEvents),
      For(kAllButAdmin,           "GET",    "/api/v1/iso-events/{id}",                GetIsoEvent),
      For(kSecretariatOrLiaison,  "POST",   "/api/v1/momentum-plans",                 CreateMomentumPlan),
      For(kAllButAdmin,           "GET",    "/api/v1/inbox",                          Inbox),
      For(kAnyUser,               "GET",    "/api/v1/workflows",                      ListWorkflows),
      For(kAnyUser,               "GET",    "/api/v1/workflows/{name}/diagram",       WorkflowDiagram),
      For(kAnyUser,               "GET",    "/api/v1/labels",                         Labels),
      For(kAuditorOrSecretariat,  "GET",    "/api/v1/audit",                          ListAudit),
      For(kAuditorOrSecretariat,  "GET",    "/api/v1/audit/verify",                   VerifyAudit),
      For(kAuditor,               "GET",    "/api/v1/audit/export",                   ExportAudit),
      For(kAuditorOrSecretariat,  "GET",    "/api/v1/reports/summary",                ReportSummary),
  };
  // clang-format on
  return kRoutes;
}

RouteMatch MatchRoute(const std::string& method, const std::string& path) {
  RouteMatch m;
  const std::string as = method == "HEAD" ? "GET" : method;
  std::vector<std::string> methods;
  if (path.empty() || path[0] != '/') return m;
  static const std::vector<Pattern> kPatterns = [] {
    std::vector<Pattern> out;
    for (const Route& r : RouteTable()) out.push_back(Compile(r.pattern));
    return out;
  }();
  const std::vector<std::string> got = Split(path);
  const std::vector<Route>& routes = RouteTable();
  for (size_t i = 0; i < routes.size(); ++i) {
    const Route& r = routes[i];
    std::map<std::string, std::string> params;
    if (!MatchPattern(kPatterns[i], got, &params)) continue;
    if (r.method == as && m.route == nullptr) {
      m.route = &r;
      m.params = std::move(params);
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

Poco::Net::HTTPRequestHandler* Router::createRequestHandler(const Poco::Net::HTTPServerRequest&) {
  return new RequestPipeline(ctx_);
}

}  // namespace rsoflow::api
