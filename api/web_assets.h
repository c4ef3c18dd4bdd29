// WebAssets: the files of the web app (web/ in the source tree) as rsoflow serves them: `/` is
// web/index.html and `/app/<path>` is web/app/<path> (API.md 1.1). By default the files are
// those built into the binary by api/embed_web.cmake, so a deployment is one executable; for
// working on the app, `serve --web-dir DIR` reads them from a folder at each request instead,
// so an edit shows on reload without a rebuild.
//
// Thread-safety: Find is thread-safe (the embedded table and its ETags are built once).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace rsoflow::api {

// One embedded file: its path below web/ ("index.html", "app/main.js") and its bytes.
struct EmbeddedWebFile {
  const char* path;
  const unsigned char* data;
  size_t size;
};
// Generated at build time from web/.
const std::vector<EmbeddedWebFile>& EmbeddedWebFiles();

struct WebFile {
  std::string bytes;
  std::string content_type;  // from the file's extension
  std::string etag;          // "\"<sha256 of the bytes>\""
  bool html = false;
};

class WebAssets {
 public:
  // `dir` empty: the embedded files; otherwise a folder laid out like web/.
  explicit WebAssets(std::string dir = "");

  // Whether `path` is one the app owns: "/" or below "/app/".
  static bool Owns(const std::string& path);
  // The file served at `path`; nullopt when there is none, or the path is not one a file can
  // have (an empty, "." or ".." segment, a backslash or a NUL: nothing outside web/ is read).
  std::optional<WebFile> Find(const std::string& path) const;

 private:
  std::string dir_;
};

}  // namespace rsoflow::api
