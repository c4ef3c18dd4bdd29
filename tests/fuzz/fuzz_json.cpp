// engine/json: the strict parser every request body, stored instance and audit entry goes
// through. Any input: no crash, no undefined behaviour, and what parses dumps to canonical
// text that parses back to the same value and dumps the same again.
#include <cstdint>
#include <string>

#include "engine/json.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using rsoflow::Json;
  const std::string text(reinterpret_cast<const char*>(data), size);
  rsoflow::JsonParseError error;
  auto parsed = rsoflow::ParseJson(text, &error);
  if (!parsed) {
    FUZZ_CHECK(!error.message.empty());
    FUZZ_CHECK(error.offset <= text.size());
    return 0;
  }
  const std::string canonical = parsed->Dump();
  FUZZ_CHECK(rsoflow::IsValidUtf8(canonical));
  auto again = rsoflow::ParseJson(canonical, nullptr, 64);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(*again == *parsed);
  FUZZ_CHECK(again->Dump() == canonical);
  return 0;
}
