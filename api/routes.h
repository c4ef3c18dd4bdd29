// The routing table of HTTP API v1 (API.md) and the Poco request handler factory that serves
// it. Each route names its method, path pattern ({name} matches one path segment), who may
// call it (public, or the roles admitted before the handler runs; finer rules such as a
// liaison's scope are the engine's), and its handler. The table is exposed so that tests can
// enumerate every route.
//
// Thread-safety: the table is immutable; the factory is shared by Poco's server threads.
#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>

#include <map>
#include <string>
#include <vector>

#include "accounts/authenticator.h"
#include "accounts/login_throttle.h"
#include "api/http_util.h"
#include "api/metrics.h"
#include "api/web_assets.h"
#include "engine/workflow_registry.h"

namespace rsoflow::api {

struct ApiOptions {
  int pbkdf2_iterations = 600000;  // for users created through the API
  accounts::SessionPolicy session;
  accounts::ThrottleLimits throttle;
  // The web app's files: built in (empty), or read from this folder (serve --web-dir).
  std::string web_dir;
  // Session cookies carry Secure (cookie_secure=true: the server is reached over TLS through a
  // proxy; rsoflow itself speaks plain HTTP).
  bool cookie_secure = false;
  // Webhook URLs whose host is a private, loopback or link-local address are accepted
  // (webhook_allow_private=true; api/webhook_url.h). Off, they are refused 422.
  bool webhook_allow_private = false;
};

class RoutingTable;

// What handlers reach: the running engine (its store, clock and workflows) and the API's own
// shared state.
struct ApiContext {
  Engine& running;
  accounts::Authenticator& authenticator;
  accounts::LoginThrottle& throttle;
  Metrics& metrics;
  const ApiOptions& options;
  const WebAssets& web;
  const RoutingTable& routes;  // the runtime's workflows' (RoutesFor)

  Engine& engine() const;
  Store& store() const;
  int64_t now() const;
};

using Handler = Result<Reply> (*)(ApiContext& ctx, const Request& req);

struct Route {
  std::string method;
  std::string pattern;
  bool is_public = false;          // no Authorization needed
  std::vector<std::string> roles;  // otherwise: the roles that may call it
  Handler handler = nullptr;
  // 0: the body, if any, is JSON of at most kMaxBodyBytes and a write takes no query. Else the
  // body is raw bytes of any Content-Type, at most this many (Request::raw_body), and the
  // query is the handler's to read (a document upload: API.md "Documents").
  size_t raw_body_limit = 0;

  Route&& RawBody(size_t limit) && {
    raw_body_limit = limit;
    return std::move(*this);
  }
};

// The routes of the API with `registry`'s workflows: the fixed table, and a POST on each
// workflow's creation route (WorkflowMeta::create) for the roles among its create_roles.
std::vector<Route> RoutesFor(const WorkflowRegistry& registry);
// The routes with this build's workflows (RegisterWorkflows), for tests and the OpenAPI check.
const std::vector<Route>& RouteTable();

struct RouteMatch {
  const Route* route = nullptr;  // null: see allow
  std::map<std::string, std::string> params;
  std::string allow;  // the path exists with other methods ("GET, HEAD"), or empty: no path
  bool path_is_public = false;  // a route of this path needs no Authorization (login)
};

// Routes with their patterns split once, matched per request.
class RoutingTable {
 public:
  explicit RoutingTable(std::vector<Route> routes);
  const std::vector<Route>& routes() const { return routes_; }
  // HEAD is served as GET without a body.
  RouteMatch Match(const std::string& method, const std::string& path) const;

 private:
  struct Segment {
    std::string text;  // the literal, or the parameter's name
    bool param = false;
  };
  std::vector<Route> routes_;
  std::vector<std::vector<Segment>> patterns_;
};

// Matches against RouteTable().
RouteMatch MatchRoute(const std::string& method, const std::string& path);

class Router final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Router(ApiContext& ctx) : ctx_(ctx) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  ApiContext& ctx_;
};

}  // namespace rsoflow::api
