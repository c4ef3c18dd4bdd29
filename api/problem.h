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
Reply PayloadTooLarge();
Reply UnsupportedMediaType(const std::string& content_type);
Reply InternalError();
// 403 csrf_failed: a write with the session cookie but without its X-CSRF-Token (API.md 1.1).
Reply CsrfFailed();

}  // namespace rsoflow::api
