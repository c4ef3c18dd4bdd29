// Media sniffing for uploaded documents (DESIGN 8: the declared type must match the bytes).
// A deliberately small check of each accepted type's signature, not a parser:
//   application/pdf   starts with "%PDF-"
//   image/png         starts with the PNG signature 89 50 4E 47 0D 0A 1A 0A
//   image/jpeg        starts with FF D8 FF
//   text/plain        valid UTF-8 without a NUL byte
//   ...opendocument.text  a ZIP ("PK\3\4") whose first entry is named "mimetype" and holds
//                     "application/vnd.oasis.opendocument.text" (the ODF packaging rule)
//   ...wordprocessingml.document  a ZIP ("PK\3\4") with an entry name under "word/"
//                     (searched for in the bytes: a cheap stand-in for reading the directory)
// Pure functions of their arguments (a libFuzzer target calls them: tests/fuzz). Thread-safe.
#pragma once

#include <string>
#include <vector>

namespace rsoflow {

// The media types a document may have, as API.md lists them.
const std::vector<std::string>& AcceptedDocumentTypes();
// True when `media_type` (exactly, without parameters) is one of them.
bool IsAcceptedDocumentType(const std::string& media_type);
// True when `bytes` look like `media_type` by the rules above (false for any other type).
bool BytesMatchMediaType(const std::string& media_type, const std::string& bytes);

}  // namespace rsoflow
