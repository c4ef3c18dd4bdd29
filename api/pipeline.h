// RequestPipeline: what every HTTP request goes through, in order: request id and security
// headers; route (404, or 405 with Allow); body size from Content-Length (413, before
// reading); bearer authentication (401); the route's roles (403); the body: media type (415),
// size while reading (413), strict JSON (400); the handler; the reply; one access-log line
// (method, path, route, status, ms, request id, user - never a token or password) and the
// metrics. No exception escapes it.
//
// Thread-safety: one object per request (the server makes one for each).
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>

#include <string>

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

// The whole answer (status line, header block, problem document) to a request refused before
// it reached the pipeline: a head too long or malformed, one that did not arrive in time,
// a connection over the limits. It carries a new request id and the security headers, asks
// to close the connection, and is logged and counted like any other answer (route
// "unmatched"); `method` and `path` are "-" when the head was never parsed.
std::string EarlyAnswer(ApiContext& ctx, Reply reply, const std::string& method,
                        const std::string& path);

}  // namespace rsoflow::api
