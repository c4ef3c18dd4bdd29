// engine/clock: RFC 3339 times and calendar dates, as ballot deadlines, plan due dates and
// ISO event dates arrive in request bodies. Any text: no crash, no undefined behaviour, and a
// time that parses formats to text that parses back to the same instant (the audit chain
// hashes the formatted text); a date formats back to itself.
#include <cstdint>
#include <string>

#include "engine/clock.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (auto ms = rsoflow::ParseTime(text)) {
    const std::string formatted = rsoflow::FormatTime(*ms);
    auto back = rsoflow::ParseTime(formatted);
    FUZZ_CHECK(back.has_value() && *back == *ms);
    (void)rsoflow::YearOf(*ms);
  }
  if (auto days = rsoflow::ParseDate(text)) {
    FUZZ_CHECK(rsoflow::FormatDate(*days) == text);
  }
  return 0;
}
