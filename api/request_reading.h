// What the request pipeline (api/pipeline.h) reads off a request before its handler: whether
// its framing is unambiguous, its request id, its body, its credentials. Split from the
// pipeline so that each file reads as one step: reading the request here, answering it there.
//
// Thread-safety: pure functions of the request they are given.
#pragma once

#include <Poco/Net/HTTPServerRequest.h>

#include <cstddef>
#include <string>

#include "api/http_util.h"
#include "engine/status.h"

namespace rsoflow::api {

using Poco::Net::HTTPServerRequest;

// Framing a proxy in front of us could read differently (issue 17, finding 6): InvalidRequest
// for more than one Content-Length, Content-Length with Transfer-Encoding, a coding other than
// chunked, whitespace before a header's colon.
Status CheckFraming(const HTTPServerRequest& req);
// The client's X-Request-Id when usable (1-128 visible ASCII characters), else a new one.
std::string RequestIdOf(const HTTPServerRequest& req);
// Content-Length above 0 or chunked (RFC 9112 6.3).
bool HasBody(const HTTPServerRequest& req);
// application/json, optionally with charset=utf-8.
bool IsJsonMediaType(const std::string& content_type);
// Reads at most `limit` bytes; false when the body is larger.
bool ReadBody(HTTPServerRequest& req, std::string* out, size_t limit = kMaxBodyBytes);
// "1 MiB" or "N bytes".
std::string LimitText(size_t limit);
// After an early answer, up to this much of an unread body is read and dropped so the client
// sees the answer instead of a connection reset; a larger body closes the connection.
inline constexpr size_t kDrainLimit = 4 << 20;
// Reads and drops an unread body of up to kDrainLimit; false when more is left.
bool Drain(HTTPServerRequest& req);

// The token a request presents: the bearer token when there is an Authorization header,
// otherwise the browser session's cookie. A cookie alone makes a write need the CSRF header.
struct Credentials {
  std::string token;
  bool from_cookie = false;
};
Credentials CredentialsOf(const HTTPServerRequest& req);
bool IsSafeMethod(const std::string& method);
// A write authenticated by the session cookie must carry the session's CSRF token.
bool CsrfHolds(const HTTPServerRequest& req, const Credentials& credentials);

}  // namespace rsoflow::api
