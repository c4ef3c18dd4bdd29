// Ballot secrecy in the audit trail (DESIGN 4.2): how an audit entry of a council_ballot reads
// to a given caller of GET /api/v1/instances/{id}/history and GET /api/v1/audit. Entries of
// other workflows read in full. The auditor's export (GET /api/v1/audit/export) is never
// redacted: it is what the hash chain is verified from.
//
//   auditor      every entry in full (it reads everything; its export holds the same entries)
//   secretariat  while the ballot is open, another member's vote reads as "a vote was cast":
//   council      data {} and comment null, "redacted": true (a Council member reads its own
//                vote in full, and does not see who cast the others: actor user_id,
//                username, token_id and token_issued_by null). Once the ballot has closed (the
//                roll-call is public to them), every entry in full.
//   rso_liaison  only the entries that put the ballot in a closed state (close, cancel, or an
//                import of a closed ballot), with data {"outcome","resolution"} and comment
//                and request_id null, "redacted": true; nothing while it is open.
//
// A redacted entry shows no hash and no prev_hash (issue 17: a hash over low-entropy hidden
// content, such as a vote, could be recomputed over every candidate). AuditView applies that to
// every entry a viewer reads, of any workflow, and keeps each entry's salt for the auditor.
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

// Renders the entries one viewer reads, in ascending seq order (one AuditView per listing):
//   auditor  every entry in full, with its salt (the export holds the same);
//   others   no salt; a redacted entry has hash and prev_hash null; prev_hash is null unless
//            the entry just rendered before was seq - 1 and read in full (otherwise it could
//            be the hash of an entry hidden from this viewer).
class AuditView {
 public:
  explicit AuditView(const Actor& viewer) : viewer_(viewer) {}
  // `ballot` is the entry's instance when it is a council_ballot (as BallotAuditEntryFor),
  // nullptr for other workflows. nullopt when the viewer may not read the entry.
  std::optional<Json> Render(const AuditEntry& entry, const Instance* ballot);

 private:
  const Actor& viewer_;
  int64_t last_full_seq_ = -1;
};

}  // namespace rsoflow::api
