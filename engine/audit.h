// AuditEntry and AuditChain: the tamper-evident, append-only record of every accepted
// transition (DESIGN 3.3).
//
// hash = SHA-256(prev_hash || canonical JSON of every other field); the first entry's
// prev_hash is 64 zeros. "salt" is one of the fields when the entry has one (every entry since
// migration 0005), and so are "token_id" and "token_issued_by" (since 0006, when the entry was
// made with a token); older entries hash exactly as they were written. Entries about users and
// tokens (not tied to an instance) have instance_id 0 and workflow "accounts". Verify walks entries
// in seq order and names the first bad seq: an edited field breaks that entry's hash, a deleted or
// inserted entry breaks seq continuity or the next prev_hash, a reorder breaks both.
//
// Thread-safety: the functions are pure; AuditVerifier is single-threaded (engine/audit_walk.h
// hashes a stored chain on several threads and feeds one verifier).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/json.h"

namespace rsoflow {

struct AuditEntry {
  int64_t seq = 0;
  int64_t at = 0;  // ms since epoch, UTC; hashed as RFC 3339 text
  int64_t instance_id = 0;
  std::string workflow;
  int workflow_version = 1;
  std::string event;
  std::string from_state;  // empty for the creation entry
  std::string to_state;
  std::string actor_user_id;  // empty for system
  std::string actor_username;
  std::string actor_role;
  std::string on_behalf_of;  // empty (null) for now
  std::string comment;
  Json data = Json::MakeObject();
  std::string request_id;
  std::string idempotency_key;
  std::string client_ip;
  // 32 random hex digits (128 bits) hashed with the entry, so its hash reveals nothing of
  // low-entropy content (a vote: one of a known electorate, one of three choices). Empty for
  // entries written before migration 0005, whose hashed body has no "salt" key.
  std::string salt;
  // The token or session that made the entry and who issued it (a user id, or "system" for
  // the command line), hashed with the entry when not empty (entries since migration 0006 made
  // through the API); empty for the engine's own entries and older ones. A session's issuer is
  // its user: sessions come only from the user's own login.
  std::string token_id;
  std::string token_issued_by;
  std::string prev_hash;
  std::string hash;
};

inline const std::string kGenesisHash(64, '0');

struct AuditHead {
  int64_t seq = 0;  // 0 when the chain is empty
  std::string hash = kGenesisHash;
};

namespace audit {
// The canonical JSON of every field but prev_hash and hash ("salt", "token_id" and
// "token_issued_by" only when not empty).
std::string CanonicalBody(const AuditEntry& entry);
void AppendCanonicalBody(const AuditEntry& entry, std::string* out);
std::string ComputeHash(const AuditEntry& entry);  // uses entry.prev_hash
// ComputeHash(entry) == entry.hash, computed in `buffer` (reused from entry to entry, so a
// long walk allocates nothing per entry).
bool HashMatches(const AuditEntry& entry, std::string* buffer);
// Every field (also the hashes), for exports and the API.
Json ToJson(const AuditEntry& entry);
}  // namespace audit

struct AuditVerifyResult {
  bool ok = true;
  int64_t entries = 0;
  AuditHead head;
  std::optional<int64_t> first_bad_seq;
  std::string problem;  // why the first bad entry is bad
};

// Feed entries in ascending seq order (as stored); Finish() returns the verdict.
class AuditVerifier {
 public:
  // A head exported earlier (seq >= 1): the chain must also reach that seq with that hash. A
  // chain whose tail was cut off, or rewritten with its hashes recomputed, verifies on its own;
  // against an earlier head it does not.
  void ExpectHead(const AuditHead& exported) { expected_ = exported; }
  // Verifies from a head verified before (a checkpoint): the first entry fed must be the one
  // after it and link to its hash. Call before the first Add; entries counts those fed.
  void StartAfter(const AuditHead& verified) { result_.head = verified; }
  // Returns false once a bad entry is found (later entries are ignored).
  bool Add(const AuditEntry& entry);
  // Add for an entry whose hash was checked elsewhere (another thread: engine/audit_walk.h):
  // hash_matches is audit::HashMatches(entry). The verdict is Add's.
  bool AddHashed(const AuditEntry& entry, bool hash_matches);
  AuditVerifyResult Finish() const;

 private:
  bool Check(const AuditEntry& entry, const bool* hash_matches);  // nullptr: computes it

  AuditVerifyResult result_;
  std::optional<AuditHead> expected_;
};

// "SEQ:HASH" (as `rsoflow audit verify` prints a head) into a head; nullopt unless SEQ >= 1 and
// HASH is 64 lower-case hex digits.
std::optional<AuditHead> ParseAuditHead(const std::string& seq, const std::string& hash);

}  // namespace rsoflow
