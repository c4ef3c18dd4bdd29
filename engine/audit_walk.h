// VerifyStoredAudit: the audit chain as stored, verified in constant memory on several threads
// (GET /api/v1/audit/verify and `rsoflow audit verify`; issue 21).
//
// An entry's hash depends only on its own fields and its stored prev_hash, so pages of the
// chain are read and hashed by worker threads at once, each page its own read, while the
// calling thread feeds them in seq order to one AuditVerifier, which checks each link (seq,
// prev_hash) and takes the hash verdict computed for the entry. Page k is "the first `page`
// entries after seq start + k * page": in an intact chain exactly the entries that a walk page
// after page reads there. Where the chain has a gap (an entry deleted), later pages begin
// elsewhere, but the verifier stops at the gap before it reads them; so the verdict is the
// page-after-page walk's (a test holds the two equal on tampered chains). At most two pages
// per worker are held at once, whatever the length of the chain.
//
// Thread-safety: VerifyStoredAudit may run on any thread; it reads through the store's
// thread-safe reader side only.
#pragma once

#include <optional>

#include "engine/audit.h"
#include "engine/status.h"
#include "engine/store/audit_store.h"

namespace rsoflow {

struct AuditWalkOptions {
  // An earlier export of the head (AuditVerifier::ExpectHead).
  std::optional<AuditHead> expected_head;
  // A head verified before (a checkpoint): its own entry is read first and must still be there
  // with that hash (a tail cut back past it would otherwise go unseen), then the walk starts
  // after it. The genesis head (the default) walks the whole chain.
  AuditHead start;
  // Worker threads reading and hashing pages: -1 one per core (at most 4), 0 none (the
  // calling thread reads, hashes and checks each page in turn).
  int threads = -1;
  int page = 4096;  // entries per page
};

// Tampering is in the result (ok false, first_bad_seq, problem); a Status only for a storage
// failure. result.entries counts the entries walked after options.start.
Result<AuditVerifyResult> VerifyStoredAudit(AuditStore& store, const AuditWalkOptions& options);

}  // namespace rsoflow
