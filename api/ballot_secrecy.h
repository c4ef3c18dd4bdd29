// Ballot secrecy in the audit trail (DESIGN 4.2): how an audit entry of a council_ballot reads
// to a given caller of GET /api/v1/instances/{id}/history and GET /api/v1/audit. Entries of
// other workflows read in full. The auditor's export (GET /api/v1/audit/export) is never
// redacted: it is what the hash chain is verified from.
//
//   auditor      every entry in full (it reads everything; its export holds the same entries)
//   secretariat  while the ballot is open, another member's vote reads as "a vote was cast":
//   council      data {} and comment null, "redacted": true (a Council member reads its own
//                vote in full, and does not see who cast the others: actor user_id and
//                username null). Once the ballot has closed (the roll-call is public to them),
//                every entry in full.
//   rso_liaison  only the entries that put the ballot in a closed state (close, cancel, or an
//                import of a closed ballot), with data {"outcome","resolution"} and comment
//                and request_id null, "redacted": true; nothing while it is open.
//
// A redacted entry keeps its prev_hash and hash but no longer hashes to them.
//
// Thread-safety: a pure function.
#pragma once

#include <optional>

#include "engine/audit.h"
#include "engine/instance.h"
#include "engine/json.h"

namespace rsoflow::api {

// The entry as `viewer` may read it (views.h AuditEntryJson, possibly redacted), or nullopt
// when `viewer` may not see it at all. `ballot` is the entry's instance in its current state.
std::optional<Json> BallotAuditEntryFor(const AuditEntry& entry, const Instance& ballot,
                                        const Actor& viewer);

}  // namespace rsoflow::api
