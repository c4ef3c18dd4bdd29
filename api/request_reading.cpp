// What the request pipeline reads off a request before its handler (api/request_reading.h).
#include "api/request_reading.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/NameValueCollection.h>

#include <algorithm>
#include <cctype>

#include "accounts/auth.h"
#include "api/http_conn.h"

namespace rsoflow::api {
namespace {

std::string BearerToken(const HTTPServerRequest& req) {
  const std::string h = req.get("Authorization", "");
  static const std::string kScheme = "Bearer ";
  if (h.size() <= kScheme.size()) return "";
  std::string scheme = h.substr(0, kScheme.size());
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (scheme != "bearer ") return "";
  return h.substr(kScheme.size());
}

}  // namespace

// Framing a proxy in front of us could read differently (issue 17, finding 6: request
// smuggling): more than one Content-Length (even equal ones), Content-Length together with
// Transfer-Encoding, a transfer coding other than chunked, or whitespace before a header's
// colon (Poco keeps it in the name, so "Transfer-Encoding :" was no Transfer-Encoding to us).
// Refused before anything else; the connection is closed after the answer, since where this
// request's body ends, and the next request begins, is exactly what is in doubt.
Status CheckFraming(const HTTPServerRequest& req) {
  int content_lengths = 0, transfer_encodings = 0;
  std::string coding;
  for (const auto& [name, value] : req) {
    if (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) {
      return Status::InvalidRequest("whitespace before the colon of a header field");
    }
    if (Poco::icompare(name, "Content-Length") == 0) ++content_lengths;
    if (Poco::icompare(name, "Transfer-Encoding") == 0) {
      ++transfer_encodings;
      coding = value;
    }
  }
  if (content_lengths > 1) {
    return Status::InvalidRequest("more than one Content-Length header", {"Content-Length"});
  }
  if (content_lengths > 0 && transfer_encodings > 0) {
    return Status::InvalidRequest("both Transfer-Encoding and Content-Length",
                                  {"Transfer-Encoding", "Content-Length"});
  }
  if (transfer_encodings > 1 || (transfer_encodings == 1 && Poco::icompare(coding, "chunked"))) {
    return Status::InvalidRequest("the only transfer coding accepted is chunked",
                                  {"Transfer-Encoding"});
  }
  return Status::Ok();
}

std::string RequestIdOf(const HTTPServerRequest& req) {
  std::string id = req.get("X-Request-Id", "");
  const bool usable =
      !id.empty() && id.size() <= 128 &&
      std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f; });
  return usable ? id : auth::NewRequestId();
}

bool HasBody(const HTTPServerRequest& req) {
  // A request without Content-Length or chunked encoding has no body (RFC 9112 6.3).
  return req.getChunkedTransferEncoding() ||
         (req.hasContentLength() && req.getContentLength64() > 0);
}

bool IsJsonMediaType(const std::string& content_type) {
  std::string type = content_type.substr(0, content_type.find(';'));
  std::string params =
      content_type.find(';') == std::string::npos ? "" : content_type.substr(type.size() + 1);
  auto lower = [](std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
    return s;
  };
  type = lower(type);
  params = lower(params);
  return type == "application/json" && (params.empty() || params == "charset=utf-8");
}

// Reads at most `limit` bytes; false when the body is larger.
bool ReadBody(HTTPServerRequest& req, std::string* out, size_t limit) {
  std::istream& in = req.stream();
  char buf[16384];
  while (in) {
    in.read(buf, sizeof buf);
    out->append(buf, static_cast<size_t>(in.gcount()));
    if (out->size() > limit) return false;
  }
  return true;
}

std::string LimitText(size_t limit) {
  return limit % (1 << 20) == 0 ? std::to_string(limit >> 20) + " MiB"
                                : std::to_string(limit) + " bytes";
}

bool Drain(HTTPServerRequest& req) {
  std::istream& in = req.stream();
  char buf[16384];
  size_t total = 0;
  while (in && total < kDrainLimit) {
    in.read(buf, sizeof buf);
    total += static_cast<size_t>(in.gcount());
  }
  return !in || in.peek() == std::char_traits<char>::eof();
}

Credentials CredentialsOf(const HTTPServerRequest& req) {
  if (req.has("Authorization")) return {BearerToken(req), false};
  Poco::Net::NameValueCollection cookies;
  req.getCookies(cookies);
  const std::string token = cookies.get(kSessionCookie, "");
  return {token, !token.empty()};
}

bool IsSafeMethod(const std::string& method) { return method == "GET" || method == "HEAD"; }

// A write authenticated by the session cookie must carry the session's CSRF token: another
// site can make the browser send the cookie, but cannot read the token to send with it.
bool CsrfHolds(const HTTPServerRequest& req, const Credentials& credentials) {
  if (!credentials.from_cookie || IsSafeMethod(req.getMethod())) return true;
  return auth::SameSecret(req.get(kCsrfHeader, ""), auth::CsrfTokenFor(credentials.token));
}

}  // namespace rsoflow::api
