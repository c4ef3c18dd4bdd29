// AuditStore: the append-only, hash-chained audit log (DESIGN 3.4), one part of the Store
// (engine/store.h).
//
// The writer side (ReadAuditHead, AppendAudit) is called only by the engine's writer thread
// inside a transaction; the reader side is thread-safe and sees the last committed state. A
// storage failure is Code::kUnavailable.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/audit.h"
#include "engine/status.h"

namespace rsoflow {

struct AuditQuery {
  int64_t after_seq = 0;    // keyset pagination: entries with seq greater than this
  int64_t instance_id = 0;  // 0: any
  std::string actor;        // username or user id; empty: any
  int limit = 50;
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // ---- writer side ----
  virtual Result<AuditHead> ReadAuditHead() = 0;
  virtual Status AppendAudit(const AuditEntry& entry) = 0;
  // Records `head` as verified (a full verification found the chain good up to it); an older
  // head than the one recorded changes nothing.
  virtual Status SaveAuditCheckpoint(const AuditHead& head, int64_t verified_at) = 0;

  // ---- reader side (thread-safe) ----
  // Calls fn for each audit entry with seq > after_seq in seq order; stops when fn is false.
  virtual Status ForEachAudit(int64_t after_seq,
                              const std::function<bool(const AuditEntry&)>& fn) = 0;
  // The first `limit` entries with seq > after_seq in seq order, into *page (resized to their
  // number; its entries' storage is reused, so a walk page after page allocates little). Each
  // call is one read; several threads may read pages at once (engine/audit_walk.h).
  virtual Status ReadAuditPage(int64_t after_seq, int limit, std::vector<AuditEntry>* page) = 0;
  // The instance's audit entries with seq > after_seq, oldest first, at most limit of them
  // (a negative limit: all).
  virtual Result<std::vector<AuditEntry>> InstanceHistory(int64_t instance_id, int64_t after_seq,
                                                          int limit) = 0;
  virtual Result<AuditHead> GetAuditHead() = 0;
  // The last head recorded by SaveAuditCheckpoint; none before the first.
  virtual Result<std::optional<AuditHead>> GetAuditCheckpoint() = 0;
  // Audit entries matching the query, in seq order.
  virtual Result<std::vector<AuditEntry>> ListAudit(const AuditQuery& query) = 0;
};

}  // namespace rsoflow
