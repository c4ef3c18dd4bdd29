#include "api/http_util.h"

#include <algorithm>
#include <charconv>
#include <set>

#include "engine/clock.h"
#include "engine/string_list.h"

namespace rsoflow::api {
namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr const char* kCursorPrefix = "k1.";

std::string Base64Url(const std::string& in) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kB64[(v >> s) & 63];
  }
  const size_t rest = in.size() - i;
  if (rest > 0) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (rest == 2) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    out += kB64[(v >> 18) & 63];
    out += kB64[(v >> 12) & 63];
    if (rest == 2) out += kB64[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> FromBase64Url(const std::string& in) {
  if (in.size() % 4 == 1 || in.size() > 64) return std::nullopt;
  std::string out;
  unsigned v = 0;
  int bits = 0;
  for (char c : in) {
    const char* at = std::find(kB64, kB64 + 64, c);
    if (at == kB64 + 64) return std::nullopt;
    v = (v << 6) | static_cast<unsigned>(at - kB64);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((v >> bits) & 0xff);
    }
  }
  return out;
}

std::optional<int64_t> ParsePositive(const std::string& s, size_t max_digits = 18) {
  if (s.empty() || s.size() > max_digits) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

}  // namespace

const std::string& Request::param(const std::string& name) const {
  static const std::string kEmpty;
  auto it = params.find(name);
  return it == params.end() ? kEmpty : it->second;
}

Reply& Reply::Header(std::string name, std::string value) & {
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

Reply&& Reply::Header(std::string name, std::string value) && {
  return std::move(Header(std::move(name), std::move(value)));
}

Reply JsonReply(int status, Json body) {
  Reply r;
  r.status = status;
  r.json = std::move(body);
  return r;
}

Reply TextReply(int status, std::string text, std::string content_type) {
  Reply r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.text = std::move(text);
  return r;
}

Reply NoContent() {
  Reply r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

Status CheckFields(const Json& body, std::initializer_list<const char*> allowed,
                   std::initializer_list<const char*> required) {
  return BodyFields(allowed, required).Check(body);
}

Status CheckQuery(const Request& req, std::initializer_list<const char*> allowed) {
  std::vector<std::string> unknown;
  for (const auto& [key, value] : req.query) {
    const bool known = std::any_of(allowed.begin(), allowed.end(),
                                   [&key = key](const char* a) { return key == a; });
    if (!known) unknown.push_back(key);
  }
  if (unknown.empty()) return Status::Ok();
  return Status::InvalidRequest("unknown query parameter(s)", unknown);
}

Result<std::string> StringField(const Json& body, const char* name, size_t max_len, bool required) {
  const Json* v = body.Get(name);
  if (v == nullptr || v->is_null()) {
    if (required) return Status::InvalidRequest(std::string(name) + " is required", {name});
    return std::string();
  }
  if (!v->is_string()) {
    return Status::InvalidRequest(std::string(name) + " must be a string", {name});
  }
  if (v->AsString().size() > max_len || (required && v->AsString().empty())) {
    return Status::InvalidRequest(
        std::string(name) + " must be 1-" + std::to_string(max_len) + " bytes", {name});
  }
  return v->AsString();
}

Result<std::optional<int64_t>> IntField(const Json& body, const char* name, int64_t min,
                                        int64_t max) {
  const Json* v = body.Get(name);
  if (v == nullptr || v->is_null()) return std::optional<int64_t>();
  if (!v->is_int() || v->AsInt() < min || v->AsInt() > max) {
    return Status::InvalidRequest(std::string(name) + " must be an integer from " +
                                      std::to_string(min) + " to " + std::to_string(max),
                                  {name});
  }
  return std::optional<int64_t>(v->AsInt());
}

Result<int64_t> PathId(const Request& req, const char* name) {
  auto id = ParsePositive(req.param(name));
  if (!id || *id == 0) return Status::NotFound("no such object: " + req.path);
  return *id;
}

Result<int> Limit(const Request& req) {
  auto it = req.query.find("limit");
  if (it == req.query.end()) return kDefaultLimit;
  auto v = ParsePositive(it->second, 3);
  if (!v || *v < 1 || *v > kMaxLimit) {
    return Status::InvalidRequest("limit must be an integer from 1 to 200", {"limit"});
  }
  return static_cast<int>(*v);
}

Result<int64_t> Cursor(const Request& req) {
  auto it = req.query.find("cursor");
  if (it == req.query.end()) return int64_t{0};
  auto decoded = FromBase64Url(it->second);
  std::optional<int64_t> after;
  if (decoded && decoded->rfind(kCursorPrefix, 0) == 0) {
    after = ParsePositive(decoded->substr(3));
  }
  if (!after) return Status::InvalidRequest("cursor is not one this server issued", {"cursor"});
  return *after;
}

std::string EncodeCursor(int64_t after) { return Base64Url(kCursorPrefix + std::to_string(after)); }

std::string EncodeCursorKey(const std::vector<int64_t>& key) {
  std::string text = "k" + std::to_string(key.size());
  for (int64_t part : key) text += "." + std::to_string(part);
  return Base64Url(text);
}

Result<std::optional<std::vector<int64_t>>> CursorKey(const Request& req, size_t parts) {
  auto it = req.query.find("cursor");
  if (it == req.query.end()) return std::optional<std::vector<int64_t>>();
  const Status bad = Status::InvalidRequest("cursor is not one this server issued", {"cursor"});
  auto decoded = FromBase64Url(it->second);
  const std::string prefix = "k" + std::to_string(parts);
  if (!decoded || decoded->rfind(prefix, 0) != 0) return bad;
  std::vector<int64_t> key;
  const char* p = decoded->data() + prefix.size();
  const char* end = decoded->data() + decoded->size();
  while (p != end) {
    if (*p != '.') return bad;
    int64_t part = 0;
    auto [next, ec] = std::from_chars(p + 1, end, part);
    if (ec != std::errc() || next == p + 1) return bad;
    key.push_back(part);
    p = next;
  }
  if (key.size() != parts) return bad;
  return std::optional<std::vector<int64_t>>(std::move(key));
}

Json Page(Json items, std::optional<int64_t> next_after) {
  Json page = Json::MakeObject();
  page.Set("items", std::move(items));
  page.Set("next_cursor", next_after ? Json(EncodeCursor(*next_after)) : Json());
  return page;
}

std::string ETagOf(int64_t version) { return "\"" + std::to_string(version) + "\""; }

Result<std::optional<int64_t>> ParseIfMatch(const std::string& header) {
  if (header.empty()) return std::optional<int64_t>();
  std::string v = header;
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  auto n = ParsePositive(v);
  if (!n) {
    return Status::InvalidRequest("If-Match must be an instance version, e.g. \"3\"", {"If-Match"});
  }
  return std::optional<int64_t>(*n);
}

Json TimeOrNull(const std::optional<int64_t>& ms) { return ms ? Json(FormatTime(*ms)) : Json(); }

}  // namespace rsoflow::api
