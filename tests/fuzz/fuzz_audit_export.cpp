// engine/audit_export: an audit export (JSON Lines) read back and verified. Any bytes: no
// crash, and a verdict that is either ok with a head or names a first bad seq and why.
#include <cstdint>
#include <string>

#include "engine/audit_export.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const rsoflow::AuditVerifyResult r = rsoflow::audit::VerifyExport(text);
  if (r.ok) {
    FUZZ_CHECK(r.entries == r.head.seq);
    FUZZ_CHECK(r.head.hash.size() == 64);
    // The head it gives is one the same export verifies against.
    if (r.head.seq > 0) FUZZ_CHECK(rsoflow::audit::VerifyExport(text, r.head).ok);
  } else {
    FUZZ_CHECK(r.first_bad_seq.has_value() && *r.first_bad_seq >= 1);
    FUZZ_CHECK(!r.problem.empty());
  }
  return 0;
}
