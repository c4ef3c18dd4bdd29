// engine/media_sniff: any uploaded bytes against every accepted type. No crash, no undefined
// behaviour (the ZIP header offsets are read from the bytes), and the rules hold: at most one
// of PDF, PNG, JPEG matches (their signatures differ in the first byte), odt and docx need the
// ZIP signature, text never has a NUL.
#include <cstdint>
#include <string>

#include "engine/media_sniff.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  int signatures = 0;
  for (const std::string& type : rsoflow::AcceptedDocumentTypes()) {
    const bool match = rsoflow::BytesMatchMediaType(type, bytes);
    if (match && (type == "application/pdf" || type == "image/png" || type == "image/jpeg")) {
      ++signatures;
    }
    if (match && type.find("document") != std::string::npos) {
      FUZZ_CHECK(bytes.compare(0, 4, std::string("PK\x03\x04", 4)) == 0);
    }
    if (match && type == "text/plain") FUZZ_CHECK(bytes.find('\0') == std::string::npos);
  }
  FUZZ_CHECK(signatures <= 1);
  FUZZ_CHECK(!rsoflow::BytesMatchMediaType("text/html", bytes));
  return 0;
}
