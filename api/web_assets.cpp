#include "api/web_assets.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <unordered_map>

#include "engine/sha256.h"

namespace rsoflow::api {
namespace {

struct MediaType {
  const char* extension;
  const char* type;
};

constexpr MediaType kMediaTypes[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
};

std::string MediaTypeOf(const std::string& rel) {
  for (const MediaType& m : kMediaTypes) {
    const std::string ext = m.extension;
    if (rel.size() > ext.size() && rel.compare(rel.size() - ext.size(), ext.size(), ext) == 0) {
      return m.type;
    }
  }
  return "application/octet-stream";
}

// The path below web/ that a request path names, or "" when it names none.
std::string RelativePath(const std::string& path) {
  if (path == "/") return "index.html";
  if (path.rfind("/app/", 0) != 0) return "";
  const std::string rel = path.substr(1);
  if (rel.find('\\') != std::string::npos || rel.find('\0') != std::string::npos) return "";
  std::istringstream segments(rel);
  std::string segment;
  size_t count = 0;
  while (std::getline(segments, segment, '/')) {
    if (segment.empty() || segment == "." || segment == ".." || segment[0] == '.') return "";
    ++count;
  }
  if (count < 2 || rel.back() == '/') return "";
  return rel;
}

WebFile Make(const std::string& rel, std::string bytes) {
  WebFile f;
  f.etag = "\"" + Sha256Hex(bytes) + "\"";
  f.bytes = std::move(bytes);
  f.content_type = MediaTypeOf(rel);
  f.html = f.content_type.rfind("text/html", 0) == 0;
  return f;
}

// The embedded files by path, with their ETags computed once.
const std::unordered_map<std::string, WebFile>& Embedded() {
  static const std::unordered_map<std::string, WebFile> kByPath = [] {
    std::unordered_map<std::string, WebFile> out;
    for (const EmbeddedWebFile& e : EmbeddedWebFiles()) {
      out.emplace(e.path, Make(e.path, std::string(reinterpret_cast<const char*>(e.data), e.size)));
    }
    return out;
  }();
  return kByPath;
}

}  // namespace

WebAssets::WebAssets(std::string dir) : dir_(std::move(dir)) {}

bool WebAssets::Owns(const std::string& path) { return path == "/" || path.rfind("/app/", 0) == 0; }

std::optional<WebFile> WebAssets::Find(const std::string& path) const {
  const std::string rel = RelativePath(path);
  if (rel.empty()) return std::nullopt;
  if (dir_.empty()) {
    const auto& files = Embedded();
    auto it = files.find(rel);
    if (it == files.end()) return std::nullopt;
    return it->second;
  }
  const std::string file = dir_ + "/" + rel;
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error)) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return Make(rel, std::move(bytes));
}

}  // namespace rsoflow::api
