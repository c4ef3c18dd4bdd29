#include "api/problem.h"

#include <string>
#include <vector>

#include "engine/json.h"

namespace rsoflow::api {
namespace {

// `text` with every byte that does not begin a valid UTF-8 sequence written as \xNN: a
// problem document reflects the client's bytes (a path with %FF, a query key) and must stay
// valid UTF-8 (issue 17, finding 8).
std::string ValidUtf8(const std::string& text) {
  if (IsValidUtf8(text)) return text;
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const size_t n = lead < 0x80                    ? 1
                     : lead >= 0xC2 && lead <= 0xDF ? 2
                     : lead >= 0xE0 && lead <= 0xEF ? 3
                     : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                    : 0;
    if (n > 0 && i + n <= text.size() && IsValidUtf8(text.substr(i, n))) {
      out.append(text, i, n);
      i += n;
      continue;
    }
    static constexpr char kHex[] = "0123456789ABCDEF";
    out += "\\x";
    out += kHex[lead >> 4];
    out += kHex[lead & 0xf];
    ++i;
  }
  return out;
}

Json ValidUtf8Array(const std::vector<std::string>& v) {
  Json a = Json::MakeArray();
  for (const std::string& s : v) a.Push(ValidUtf8(s));
  return a;
}

struct ProblemKind {
  int status;
  const char* code;
  const char* title;
};

ProblemKind KindOf(Status::Code code) {
  using C = Status::Code;
  switch (code) {
    case C::kOk:
      return {200, "ok", "OK"};
    case C::kInvalidRequest:
      return {400, "invalid_request", "Invalid request"};
    case C::kUnauthenticated:
      return {401, "unauthenticated", "Authentication required"};
    case C::kForbidden:
      return {403, "forbidden", "Not allowed for this role"};
    case C::kConflictOfInterest:
      return {403, "conflict_of_interest", "Conflict of interest"};
    case C::kNotFound:
      return {404, "not_found", "Not found"};
    case C::kInvalidTransition:
      return {409, "invalid_transition", "Event not allowed in this state"};
    case C::kAlreadyVoted:
      return {409, "already_voted", "Already voted"};
    case C::kDuplicate:
      return {409, "duplicate", "Already exists"};
    case C::kLocked:
      return {409, "locked", "Frozen in the current state"};
    case C::kIdempotencyKeyReused:
      return {409, "idempotency_key_reused", "Idempotency-Key reused with another request"};
    case C::kVersionMismatch:
      return {412, "version_mismatch", "Version mismatch"};
    case C::kGuardFailed:
      return {422, "guard_failed", "Precondition not met"};
    case C::kRateLimited:
      return {429, "rate_limited", "Too many requests"};
    case C::kUnavailable:
      return {503, "unavailable", "Service unavailable"};
  }
  return {500, "internal_error", "Internal error"};
}

Reply Problem(int status, const std::string& code, const std::string& title,
              const std::string& detail) {
  Json p = Json::MakeObject();
  p.Set("type", "/problems/" + code);
  p.Set("title", title);
  p.Set("status", status);
  p.Set("code", code);
  p.Set("detail", ValidUtf8(detail));
  Reply r;
  r.status = status;
  r.content_type = "application/problem+json";
  r.json = std::move(p);
  r.problem = true;
  return r;
}

}  // namespace

int HttpStatusOf(Status::Code code) { return KindOf(code).status; }

Reply ProblemReply(const Status& s) {
  const ProblemKind kind = KindOf(s.code());
  Reply r = Problem(kind.status, kind.code, kind.title, s.message());
  switch (s.code()) {
    case Status::Code::kInvalidRequest:
      if (!s.fields().empty()) r.json.Set("fields", ValidUtf8Array(s.fields()));
      break;
    case Status::Code::kInvalidTransition:
      r.json.Set("state", s.state());
      r.json.Set("allowed_events", StringArray(s.fields()));
      break;
    case Status::Code::kVersionMismatch:
      r.json.Set("current_version", s.current_version());
      break;
    case Status::Code::kForbidden:
      if (s.reasons().empty()) break;
      r.json.Set("reasons", StringArray(s.reasons()));
      r.json.Set("reason_codes", StringArray(s.reason_codes()));
      break;
    case Status::Code::kGuardFailed:
      r.json.Set("reasons", StringArray(s.reasons()));
      r.json.Set("reason_codes", StringArray(s.reason_codes()));
      break;
    case Status::Code::kUnauthenticated:
      r.Header("WWW-Authenticate", "Bearer");
      break;
    default:
      break;
  }
  return r;
}

Reply MethodNotAllowed(const std::string& allow, const std::string& method,
                       const std::string& path) {
  Reply r = Problem(405, "method_not_allowed", "Method not allowed",
                    method + " is not allowed on " + path);
  r.Header("Allow", allow);
  return r;
}

Reply PayloadTooLarge(const std::string& limit) {
  return Problem(413, "payload_too_large", "Payload too large",
                 "the request body is larger than " + limit);
}

Reply UnsupportedMediaType(const std::string& content_type) {
  return Problem(415, "unsupported_media_type", "Unsupported media type",
                 "the body must be application/json (UTF-8), not '" + content_type + "'");
}

Reply CsrfFailed() {
  return Problem(403, "csrf_failed", "CSRF token missing or wrong",
                 "a write with the session cookie must send the X-CSRF-Token header that the "
                 "login answered with; sign in again if the page is older than the session");
}

Reply InternalError() {
  return Problem(500, "internal_error", "Internal error",
                 "the request failed unexpectedly; it is logged under its request id");
}

Reply RequestTimeout() {
  return Problem(408, "request_timeout", "Request timeout",
                 "the request (head and body) did not arrive in time; the connection is closed");
}

Reply UriTooLong(size_t limit) {
  return Problem(414, "uri_too_long", "URI too long",
                 "the request line is longer than " + std::to_string(limit) + " bytes");
}

Reply HeaderFieldsTooLarge(size_t limit) {
  return Problem(
      431, "header_fields_too_large", "Request header fields too large",
      "the header fields are larger than " + std::to_string(limit) + " bytes, or too many");
}

Reply TooManyConnectionsFromAddress(int limit) {
  Reply r = Problem(
      429, "rate_limited", "Too many requests",
      "too many connections from this address (at most " + std::to_string(limit) + " at once)");
  r.Header("Retry-After", "1");
  return r;
}

Reply TooManyConnections() {
  Reply r = Problem(503, "unavailable", "Service unavailable",
                    "the server has too many connections open; try again shortly");
  r.Header("Retry-After", "1");
  return r;
}

}  // namespace rsoflow::api
