#include "engine/media_sniff.h"

#include <algorithm>
#include <cstdint>

#include "engine/json.h"

namespace rsoflow {
namespace {

constexpr char kPdf[] = "application/pdf";
constexpr char kPng[] = "image/png";
constexpr char kJpeg[] = "image/jpeg";
constexpr char kText[] = "text/plain";
constexpr char kDocx[] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
constexpr char kOdt[] = "application/vnd.oasis.opendocument.text";

bool StartsWith(const std::string& bytes, const std::string& prefix) {
  return bytes.size() >= prefix.size() && bytes.compare(0, prefix.size(), prefix) == 0;
}

const std::string kZip("PK\x03\x04", 4);

unsigned Le16(const std::string& b, size_t at) {
  return static_cast<unsigned>(static_cast<uint8_t>(b[at])) |
         static_cast<unsigned>(static_cast<uint8_t>(b[at + 1])) << 8;
}

// ODF packaging: the first local file header (30 bytes, then the name, then the extra field)
// is the uncompressed "mimetype" entry, its data the document's media type.
bool IsOdt(const std::string& b) {
  if (!StartsWith(b, kZip) || b.size() < 30) return false;
  const size_t name_len = Le16(b, 26), extra_len = Le16(b, 28);
  if (name_len != 8 || b.compare(30, 8, "mimetype") != 0) return false;
  const size_t data = 30 + name_len + extra_len;
  const std::string want = kOdt;
  return data <= b.size() && b.size() - data >= want.size() && b.compare(data, want.size(), want) == 0;
}

bool IsDocx(const std::string& b) {
  return StartsWith(b, kZip) && b.find("word/") != std::string::npos;
}

}  // namespace

const std::vector<std::string>& AcceptedDocumentTypes() {
  static const std::vector<std::string> kTypes = {kPdf, kPng, kJpeg, kText, kDocx, kOdt};
  return kTypes;
}

bool IsAcceptedDocumentType(const std::string& media_type) {
  const auto& all = AcceptedDocumentTypes();
  return std::find(all.begin(), all.end(), media_type) != all.end();
}

bool BytesMatchMediaType(const std::string& t, const std::string& b) {
  if (t == kPdf) return StartsWith(b, "%PDF-");
  if (t == kPng) return StartsWith(b, std::string("\x89PNG\r\n\x1a\n", 8));
  if (t == kJpeg) return StartsWith(b, std::string("\xff\xd8\xff", 3));
  if (t == kText) return b.find('\0') == std::string::npos && IsValidUtf8(b);
  if (t == kOdt) return IsOdt(b);
  if (t == kDocx) return IsDocx(b);
  return false;
}

}  // namespace rsoflow
