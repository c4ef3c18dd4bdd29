#include "api/pipeline.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <exception>

#include "accounts/auth.h"
#include "api/http_conn.h"
#include "api/problem.h"
#include "api/request_reading.h"

namespace rsoflow::api {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

void SetCommonHeaders(Poco::Net::HTTPResponse& res, const std::string& request_id) {
  res.set("X-Request-Id", request_id);
  res.set("Cache-Control", "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  res.set("Referrer-Policy", "no-referrer");
}

// The Content-Security-Policy of the web app (API.md 1.1): its own scripts, styles and API
// only; no inline script or style, no framing.
constexpr char kAppCsp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// A file of the web app, or 404, 405 and 304 (If-None-Match) as for any other resource.
Reply WebReply(const WebAssets& web, const HTTPServerRequest& req, const std::string& path) {
  if (!IsSafeMethod(req.getMethod())) return MethodNotAllowed("GET, HEAD", req.getMethod(), path);
  auto file = web.Find(path);
  if (!file) return ProblemReply(Status::NotFound("no file of the web app at " + path));
  Reply reply;
  // Revalidated at every load, so a new version of the app is never mixed with an old one.
  reply.Header("Cache-Control", "no-cache");
  reply.Header("ETag", file->etag);
  reply.Header("Content-Security-Policy", kAppCsp);
  if (req.get("If-None-Match", "") == file->etag) {
    reply.status = 304;
    return reply;
  }
  reply.content_type = file->content_type;
  reply.text = std::move(file->bytes);
  return reply;
}

// What fmt's {:?} writes, without its per-character Unicode checks for the usual case: a
// string of printable ASCII other than '"' and '\\' is only put in quotes.
std::string QuotedForLog(const std::string& s) {
  const bool plain = std::all_of(
      s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  return plain ? '"' + s + '"' : fmt::format("{:?}", s);
}

// Poco's send() wrote the header block twice (once only to count it), a character at a
// time through ostream inserts, which was about a sixth of a request's CPU outside the
// writer. Our connection writes the header block and body in one buffer, one send. A HEAD
// answer keeps the GET's Content-Length and has no body.
void SendWhole(HTTPServerResponse& res, const std::string& body) {
  if (auto* ours = dynamic_cast<ServerResponse*>(&res)) {
    ours->SendWhole(body);
    return;
  }
  std::ostream& out = res.send();  // another server (a test's): its own stream
  out << body;
  out.flush();
}

// False when a streamed body failed after it started.
bool Send(HTTPServerResponse& res, Reply& reply, const std::string& request_id) {
  for (const auto& [name, value] : reply.headers) res.set(name, value);
  res.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
  if (reply.status == 204 || reply.status == 304) {
    if (reply.status == 204) res.setContentLength(0);
    SendWhole(res, "");  // now, before any drain: Poco's stream would wait for its end
    return true;
  }
  res.setContentType(reply.content_type);
  if (reply.stream) {
    res.setChunkedTransferEncoding(true);
    std::ostream& out = res.send();
    Status st = reply.stream(out);
    if (!st.ok()) {
      // The status line is out; cut the stream short so the client sees an incomplete body.
      spdlog::error("streamed reply failed after it started (request_id={}): {}", request_id,
                    st.ToString());
      return false;
    }
    return true;
  }
  if (reply.problem) reply.json.Set("request_id", request_id);
  // A JSON answer is its Json, dumped, unless the handler wrote the text itself (a large one,
  // such as the summary report).
  const bool json = reply.content_type.find("json") != std::string::npos;
  std::string dumped;
  if (json && reply.text.empty()) dumped = reply.json.Dump();
  const std::string& body = json && reply.text.empty() ? dumped : reply.text;
  res.setContentLength64(static_cast<Poco::UInt64>(body.size()));
  // Sent now, in full, not when Poco destroys the response: a drain may follow.
  SendWhole(res, body);
  return true;
}

// The answer to a request whose credentials were refused: 401, or 503 when they could not be
// checked.
Reply Unauthenticated(const Status& refused) {
  if (refused.code() == Status::Code::kUnavailable) return ProblemReply(refused);
  return ProblemReply(
      Status::Unauthenticated("a valid bearer token is required (" + refused.message() + ")"));
}

}  // namespace

std::string EarlyAnswer(ApiContext& ctx, Reply reply, const std::string& method,
                        const std::string& path) {
  const std::string request_id = auth::NewRequestId();
  Poco::Net::HTTPResponse res(Poco::Net::HTTPMessage::HTTP_1_1,
                              static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
  res.setDate(Poco::Timestamp());
  res.setKeepAlive(false);
  SetCommonHeaders(res, request_id);
  for (const auto& [name, value] : reply.headers) res.set(name, value);
  reply.json.Set("request_id", request_id);
  const std::string body = reply.json.Dump();
  res.setContentType(reply.content_type);
  res.setContentLength64(static_cast<Poco::UInt64>(body.size()));
  ctx.metrics.Observe(method, "unmatched", reply.status, 0);
  spdlog::info("{} {} route=unmatched {} 0.00ms request_id={} user=-", QuotedForLog(method),
               QuotedForLog(path), reply.status, request_id);
  return HeaderBlock(res) + body;
}

void RequestPipeline::handleRequest(HTTPServerRequest& req, HTTPServerResponse& res) {
  const auto started = std::chrono::steady_clock::now();
  Request r;
  r.request_id = RequestIdOf(req);
  r.method = req.getMethod();
  SetCommonHeaders(res, r.request_id);
  bool body_read = false;
  Reply reply;
  const Status framing = CheckFraming(req);
  try {
    r.client_ip = req.clientAddress().host().toString();
    Poco::URI uri(req.getURI());
    r.path = uri.getPath();
    reply = [&]() -> Reply {
      if (!framing.ok()) return ProblemReply(framing);
      if (WebAssets::Owns(r.path)) {
        r.route = r.path == "/" ? "/" : "/app/*";
        return WebReply(ctx_.web, req, r.path);
      }
      const Credentials credentials = CredentialsOf(req);
      const RouteMatch match = ctx_.routes.Match(r.method, r.path);
      if (match.route == nullptr) {
        // Every /api/v1 path but login's asks for a bearer token (API.md), the ones it does not
        // serve too: without one, what the API has is not told apart from what it has not.
        if (!match.path_is_public && (r.path.rfind("/api/v1/", 0) == 0 || r.path == "/api/v1")) {
          auto principal = ctx_.authenticator.Authenticate(credentials.token);
          if (!principal.ok()) return Unauthenticated(principal.status());
        }
        if (!match.allow.empty()) return MethodNotAllowed(match.allow, r.method, r.path);
        return ProblemReply(Status::NotFound("no route for " + r.path));
      }
      const Route& route = *match.route;
      r.route = route.pattern;
      r.params = match.params;
      // Credentials first: an anonymous caller learns nothing of a route from a 413 or a 400.
      if (!route.is_public) {
        auto principal = ctx_.authenticator.Authenticate(credentials.token);
        if (!principal.ok()) return Unauthenticated(principal.status());
        if (!CsrfHolds(req, credentials)) return CsrfFailed();
        r.actor = principal->actor;
        r.token_id = principal->token_id;
        r.token_issued_by = principal->token_issued_by;
        if (credentials.from_cookie) r.csrf_token = auth::CsrfTokenFor(credentials.token);
        if (std::find(route.roles.begin(), route.roles.end(), r.actor.role) == route.roles.end()) {
          return ProblemReply(Status::Forbidden("the role " + r.actor.role + " may not " +
                                                r.method + " " + route.pattern));
        }
      }
      const bool raw = route.raw_body_limit > 0;
      const size_t body_limit = raw ? route.raw_body_limit : kMaxBodyBytes;
      if (req.hasContentLength() &&
          req.getContentLength64() > static_cast<Poco::Int64>(body_limit)) {
        return PayloadTooLarge(LimitText(body_limit));
      }
      for (const auto& [key, value] : uri.getQueryParameters()) {
        if (!r.query.emplace(key, value).second) {
          return ProblemReply(Status::InvalidRequest("query parameter given twice: " + key, {key}));
        }
      }
      if (raw && HasBody(req)) {
        // The bytes as sent (a document: its type is checked against them by the handler).
        r.content_type = req.getContentType();
        body_read = true;
        if (!ReadBody(req, &r.raw_body, body_limit)) {
          body_read = false;  // the rest is still on the wire
          return PayloadTooLarge(LimitText(body_limit));
        }
        if (auto* ours = dynamic_cast<ServerRequest*>(&req); ours && ours->timed_out()) {
          return RequestTimeout();
        }
      } else if (HasBody(req) && r.method != "GET" && r.method != "HEAD" && r.method != "DELETE") {
        if (!IsJsonMediaType(req.getContentType())) {
          return UnsupportedMediaType(req.getContentType());
        }
        std::string text;
        body_read = true;
        if (!ReadBody(req, &text)) {
          body_read = false;  // the rest is still on the wire
          return PayloadTooLarge();
        }
        if (auto* ours = dynamic_cast<ServerRequest*>(&req); ours && ours->timed_out()) {
          return RequestTimeout();
        }
        JsonParseError error;
        auto parsed = ParseJson(text, &error, kMaxJsonDepth);
        if (!parsed) {
          return ProblemReply(Status::InvalidRequest(
              "malformed JSON: " + error.message + " at byte " + std::to_string(error.offset),
              {"body"}));
        }
        r.body = std::move(*parsed);
      }
      r.if_match = req.get("If-Match", "");
      r.idempotency_key = req.get("Idempotency-Key", "");
      if (r.idempotency_key.size() > kMaxIdempotencyKeyBytes) {
        return ProblemReply(Status::InvalidRequest(
            "Idempotency-Key is at most " + std::to_string(kMaxIdempotencyKeyBytes) + " characters",
            {"Idempotency-Key"}));
      }
      // The key goes into the audit entry, whose canonical JSON is UTF-8: bytes that are not
      // would make the exported entry unreadable, and its hash unverifiable, elsewhere.
      if (!std::all_of(r.idempotency_key.begin(), r.idempotency_key.end(),
                       [](char ch) { return ch >= 0x20 && ch <= 0x7e; })) {
        return ProblemReply(Status::InvalidRequest(
            "Idempotency-Key is printable ASCII (space to ~)", {"Idempotency-Key"}));
      }
      if (r.method != "GET" && r.method != "HEAD" && !r.query.empty() && !raw) {
        // Only reads take query parameters; a write's would be ignored, silently.
        std::vector<std::string> keys;
        for (const auto& entry : r.query) keys.push_back(entry.first);
        return ProblemReply(
            Status::InvalidRequest(r.method + " takes no query parameters", std::move(keys)));
      }
      auto handled = route.handler(ctx_, r);
      if (!handled.ok()) return ProblemReply(handled.status());
      return std::move(handled).value();
    }();
  } catch (const Poco::SyntaxException& e) {
    reply = ProblemReply(Status::InvalidRequest("malformed request URI: " + e.displayText()));
  } catch (const std::exception& e) {
    spdlog::error("request {} {} failed with an exception (request_id={}): {}",
                  QuotedForLog(r.method), QuotedForLog(r.path), r.request_id,
                  QuotedForLog(e.what()));
    reply = InternalError();
  }
  // A body left unread (an early answer) keeps the connection only if it is small enough to
  // drain; either way it is drained after the answer is out, so the client reads the answer
  // instead of a connection reset.
  // Framing first: with it in doubt (two Content-Length, "x" and "2"), reading the length
  // threw out of this function and the client got no answer at all (fuzz_http_pipeline).
  const bool unread = framing.ok() && !body_read && HasBody(req);
  if (!framing.ok()) res.setKeepAlive(false);  // nothing after it is read as a request
  if (unread && (req.getChunkedTransferEncoding() ||
                 req.getContentLength64() > static_cast<Poco::Int64>(kDrainLimit))) {
    res.setKeepAlive(false);
  }
  // Counted before the answer leaves: whoever has read an answer (a client, then a scrape of
  // /metrics) finds its request counted. The histogram therefore times the request up to its
  // answer; the access log below times it up to the last byte sent.
  const std::string route = r.route.empty() ? "unmatched" : r.route;
  ctx_.metrics.Observe(
      r.method, route, reply.status,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  bool cut = false;
  try {
    // False: a streamed body failed after the status line was out.
    cut = !Send(res, reply, r.request_id);
  } catch (const std::exception& e) {
    // Part of the answer may be out (a send that timed out half way, a client gone).
    spdlog::warn("sending the reply failed (request_id={}): {}", r.request_id, e.what());
    cut = true;
  }
  if (cut) {
    // The client must see an incomplete answer, not read the next one as the rest of it.
    res.setKeepAlive(false);
    if (auto* ours = dynamic_cast<ServerResponse*>(&res)) ours->Abort();
  }
  // Our connection drops the rest of an unread body itself, in the server's event loop, so
  // a client sending it slowly holds no worker (issue 17, finding 4).
  if (unread && !cut && dynamic_cast<ServerRequest*>(&req) == nullptr) {
    try {
      if (!Drain(req)) res.setKeepAlive(false);
    } catch (const std::exception&) {
      res.setKeepAlive(false);
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // Method and path are the client's bytes (the path percent-decoded): quoted with control
  // characters and invalid UTF-8 escaped, so a %0A in a URL cannot forge a log line.
  spdlog::info("{} {} route={} {} {:.2f}ms request_id={} user={}", QuotedForLog(r.method),
               QuotedForLog(r.path), route, reply.status, seconds * 1000, r.request_id,
               r.actor.username.empty() ? "-" : r.actor.username);
}

}  // namespace rsoflow::api
