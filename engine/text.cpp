#include "engine/text.h"

namespace rsoflow {

bool HasNulOrBidiControl(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return true;
    // U+202A-U+202E are E2 80 AA-AE in UTF-8; U+2066-U+2069 are E2 81 A6-A9.
    if (c == 0xE2 && i + 2 < text.size()) {
      const auto b1 = static_cast<unsigned char>(text[i + 1]);
      const auto b2 = static_cast<unsigned char>(text[i + 2]);
      if (b1 == 0x80 && b2 >= 0xAA && b2 <= 0xAE) return true;
      if (b1 == 0x81 && b2 >= 0xA6 && b2 <= 0xA9) return true;
    }
  }
  return false;
}

}  // namespace rsoflow
