// MandateStore: mandates, dated delegations from one user to another of the same role (API.md
// "Mandates (delegation)", DESIGN 9), one part of the Store (engine/store.h). The rules a
// mandate must meet are the engine's (engine/mandate_policy.h); this stores and finds them.
// A mandate is never deleted: revoking it sets revoked_at.
//
// The writer side is called only by the engine's writer thread inside a transaction; the
// reader side is thread-safe and sees the last committed state. A storage failure is
// Code::kUnavailable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"

namespace rsoflow {

struct Mandate {
  int64_t id = 0;
  std::string from_user_id;            // the delegating user
  std::string to_user_id;              // the delegate
  std::string starts_on;               // YYYY-MM-DD, UTC, inclusive
  std::string ends_on;                 // YYYY-MM-DD, UTC, inclusive
  std::vector<std::string> workflows;  // empty: every workflow
  std::string reason;
  std::string created_by;  // user id
  int64_t created_at = 0;
  std::optional<int64_t> revoked_at;

  // Not revoked, `day` (YYYY-MM-DD) within its dates, and `workflow` among its workflows.
  bool Covers(const std::string& workflow, const std::string& day) const;
  // Not revoked and its dates meet [from, to] (YYYY-MM-DD, inclusive) on at least one day.
  bool Overlaps(const std::string& from, const std::string& to) const;
};

struct MandateQuery {
  std::string user_id;       // non-empty: given or received by this user
  std::string from_user_id;  // non-empty: given by this user
  std::string to_user_id;    // non-empty: received by this user
  std::string active_on;     // non-empty (YYYY-MM-DD): not revoked and that day within its dates
  bool live_only = false;    // not revoked
  int64_t after_id = 0;
  int limit = 50;
};

class MandateStore {
 public:
  virtual ~MandateStore() = default;

  // ---- writer side ----
  virtual Result<int64_t> InsertMandate(const Mandate& mandate) = 0;  // returns the id
  virtual Result<Mandate> GetMandateForWrite(int64_t id) = 0;         // kNotFound if none
  // Sets revoked_at on a mandate not yet revoked (one already revoked is left as it is).
  virtual Status RevokeMandate(int64_t id, int64_t at) = 0;
  virtual Result<std::vector<Mandate>> FindMandatesForWrite(const MandateQuery& query) = 0;

  // ---- reader side (thread-safe) ----
  virtual Result<Mandate> GetMandate(int64_t id) = 0;
  // Oldest first (by id), after query.after_id, at most query.limit.
  virtual Result<std::vector<Mandate>> ListMandates(const MandateQuery& query) = 0;
};

}  // namespace rsoflow
