// Problem documents (RFC 9457): the one place that maps a Status code to an HTTP status and
// an API problem code (API.md "Conventions"), plus the problems the HTTP layer raises itself
// (405, 413, 415, 500).
//
// Thread-safety: pure functions.
#pragma once

#include <string>

#include "api/http_util.h"
#include "engine/status.h"

namespace rsoflow::api {

// The HTTP status of a Status code (200 for kOk).
int HttpStatusOf(Status::Code code);

// The problem document for a failed Status, with its extensions: `fields` (invalid_request),
// `state` and `allowed_events` (invalid_transition), `current_version` (version_mismatch),
// `reasons` (guard_failed). 401 carries WWW-Authenticate: Bearer.
Reply ProblemReply(const Status& status);

Reply MethodNotAllowed(const std::string& allow, const std::string& method,
                       const std::string& path);
Reply PayloadTooLarge(const std::string& limit = "1 MiB");
Reply UnsupportedMediaType(const std::string& content_type);
Reply InternalError();
// Answered before a request is routed, and the connection is closed after them (issue 17,
// findings 4 and 6): 408 request_timeout (the request did not arrive whole in time), 414
// uri_too_long, 431 header_fields_too_large, 429 rate_limited (too many connections from
// one address, with Retry-After), 503 unavailable (too many connections in all).
Reply RequestTimeout();
Reply UriTooLong(size_t limit);
Reply HeaderFieldsTooLarge(size_t limit);
Reply TooManyConnectionsFromAddress(int limit);
Reply TooManyConnections();
// 403 csrf_failed: a write with the session cookie but without its X-CSRF-Token (API.md 1.1).
Reply CsrfFailed();

}  // namespace rsoflow::api
