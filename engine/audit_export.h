// Reading an audit export back (the JSON Lines of GET /api/v1/audit/export, one
// audit::ToJson object a line) and verifying it away from the server: what an auditor who
// holds only the export can check. The hash covers the canonical text of every field, so an
// entry is rebuilt exactly (a time must be the export's own RFC 3339 form) or fails to verify.
//
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include "engine/audit.h"
#include "engine/status.h"

namespace rsoflow::audit {

// One exported object into an entry; InvalidRequest naming the first bad field otherwise.
Result<AuditEntry> EntryFromJson(const Json& json);

// Verifies a whole export (blank lines, and a last line without "\n", allowed). A line that is
// not valid JSON or not an entry fails the verdict at the seq that line should have held.
AuditVerifyResult VerifyExport(const std::string& jsonl,
                               const std::optional<AuditHead>& head = std::nullopt);

}  // namespace rsoflow::audit
