// RequestPipeline: what every HTTP request goes through, in order: request id and security
// headers; route (404, or 405 with Allow); body size from Content-Length (413, before
// reading); bearer authentication (401); the route's roles (403); the body: media type (415),
// size while reading (413), strict JSON (400); the handler; the reply; one access-log line
// (method, path, route, status, ms, request id, user - never a token or password) and the
// metrics. No exception escapes it.
//
// Thread-safety: one object per request (Poco creates it through the Router).
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include "api/routes.h"

namespace rsoflow::api {

class RequestPipeline final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RequestPipeline(ApiContext& ctx) : ctx_(ctx) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  ApiContext& ctx_;
};

}  // namespace rsoflow::api
