// The HTTP-neutral shapes the handlers work with: Request (one routed, authenticated request),
// Reply (what to send back), and the small parsing rules every resource shares: JSON bodies
// with known fields, query parameters, ids, limits and opaque keyset cursors.
//
// Handlers never see Poco: server.cpp turns a Poco request into a Request and a Reply into a
// Poco response. Thread-safety: plain value types and pure functions.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "engine/fields.h"
#include "engine/instance.h"
#include "engine/json.h"
#include "engine/status.h"
#include "engine/string_list.h"  // StringArray, for the handlers that include this

namespace rsoflow::api {

inline constexpr size_t kMaxBodyBytes = 1 << 20;  // 1 MiB
inline constexpr size_t kMaxIdempotencyKeyBytes = 128;
inline constexpr int kMaxJsonDepth = 32;
inline constexpr int kDefaultLimit = 50;
inline constexpr int kMaxLimit = 200;
// The cookie of a browser session (API.md 1.1), and the header a cookie write must carry.
inline constexpr char kSessionCookie[] = "rsoflow_session";
inline constexpr char kCsrfHeader[] = "X-CSRF-Token";

struct Request {
  std::string method;
  std::string path;   // without the query string
  std::string route;  // the routing table's pattern, e.g. /api/v1/instances/{id}
  std::map<std::string, std::string> params;  // path parameters by name
  std::map<std::string, std::string> query;   // decoded query parameters
  Json body;                                  // the parsed JSON body, null when none was sent
  // A route that takes raw bytes (Route::raw_body_limit): the body as sent, and its type.
  std::string raw_body;
  std::string content_type;
  Actor actor;                                // role empty for anonymous callers
  std::string token_id;                       // the presented token's id
  std::string token_issued_by;                // its issuer (Principal::token_issued_by)
  std::string csrf_token;  // a browser session's CSRF token; empty for a bearer token
  std::string request_id;
  std::string client_ip;
  std::string if_match;         // raw If-Match header, empty when absent
  std::string idempotency_key;  // raw Idempotency-Key header, empty when absent

  const std::string& param(const std::string& name) const;
};

struct Reply {
  int status = 200;
  std::string content_type = "application/json";
  Json json;             // the body for JSON content types, serialized when sent
  std::string text;      // the body for any other content type
  bool problem = false;  // an RFC 9457 document: request_id is added when sent
  std::vector<std::pair<std::string, std::string>> headers;
  // When set, the body is streamed (chunked) by calling this instead of sending json/text.
  // A failure after the first byte can only be logged: the status line is already out.
  std::function<Status(std::ostream&)> stream;

  // Adds a header. On a temporary (`return JsonReply(...).Header(...)`) the reply is moved
  // on, not copied with its whole body.
  Reply& Header(std::string name, std::string value) &;
  Reply&& Header(std::string name, std::string value) &&;
};

Reply JsonReply(int status, Json body);
Reply TextReply(int status, std::string text,
                std::string content_type = "text/plain; charset=utf-8");
Reply NoContent();

// The body must be a JSON object holding only `allowed` fields, with every `required` one
// present and not null. Unknown fields are one InvalidRequest listing all of them (so a
// server-owned field such as "state" or "version" is refused by name). BodyFields
// (engine/fields.h) is the check; this is its short form for handlers.
Status CheckFields(const Json& body, std::initializer_list<const char*> allowed,
                   std::initializer_list<const char*> required = {});
// Unknown query parameters are refused the same way.
Status CheckQuery(const Request& req, std::initializer_list<const char*> allowed);

// Field readers for a body already checked by CheckFields; the error names the field.
Result<std::string> StringField(const Json& body, const char* name, size_t max_len, bool required);
Result<std::optional<int64_t>> IntField(const Json& body, const char* name, int64_t min,
                                        int64_t max);

// A positive integer id from a path parameter; NotFound otherwise (no such object).
Result<int64_t> PathId(const Request& req, const char* name = "id");
// ?limit= (1..200, default 50).
Result<int> Limit(const Request& req);
// ?cursor=: the opaque form of "after this key". Absent: 0. Malformed: InvalidRequest.
Result<int64_t> Cursor(const Request& req);
std::string EncodeCursor(int64_t after);
// A cursor holding a composite keyset key of several integers (the inbox's sort key).
std::string EncodeCursorKey(const std::vector<int64_t>& key);
// ?cursor= holding a key of `parts` integers. Absent: nullopt. Malformed: InvalidRequest.
Result<std::optional<std::vector<int64_t>>> CursorKey(const Request& req, size_t parts);
// {"items": items, "next_cursor": cursor or null}.
Json Page(Json items, std::optional<int64_t> next_after);

// The ETag of an instance version, "<version>" in quotes, as If-Match sends it back.
std::string ETagOf(int64_t version);
// If-Match: "<version>" (quotes optional). Empty header: nullopt. Malformed: InvalidRequest.
Result<std::optional<int64_t>> ParseIfMatch(const std::string& header);

// RFC 3339 text, or null when absent.
Json TimeOrNull(const std::optional<int64_t>& ms);

}  // namespace rsoflow::api
