// Engine::AppendJobAudit: audit entries of write jobs (users, tokens), chained like the
// commands' entries. Kept apart from engine.cpp's command path.
#include "engine/engine.h"
#include "engine/random.h"

namespace rsoflow {

Result<AuditHead> Engine::AppendJobAudit(AuditEntry e) {
  e.seq = head_.seq + 1;
  e.at = clock_.NowMs();
  auto salt = RandomHex(16);
  if (!salt) return Status::Unavailable("the system random number generator failed");
  e.salt = std::move(*salt);
  e.prev_hash = head_.hash;
  e.hash = audit::ComputeHash(e);
  RSOFLOW_RETURN_IF_ERROR(store_.AppendAudit(e));
  head_ = AuditHead{e.seq, e.hash};
  return head_;
}

}  // namespace rsoflow
