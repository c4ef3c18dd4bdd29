// ResolutionStore: the Council's register of resolutions (DESIGN 8, API.md 1.1), one part of the
// Store (engine/store.h). Every decision rsoflow knows is one row: from a closing ballot, taken
// in session (entered by the secretariat with the Council's own number), or imported. A number
// N/YYYY is unique by its value (01/2026 and 1/2026 are the same number).
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

struct Resolution {
  int64_t ordinal = 0;  // N of N/YYYY
  int year = 0;         // YYYY of N/YYYY
  std::string number;   // the text, as the Council wrote it ("39/2020")
  std::string decided_on;  // YYYY-MM-DD
  std::string title;
  std::string outcome;  // approved | rejected
  std::string source;   // ballot | session | import
  int64_t ballot_id = 0;            // 0: none
  int64_t subject_instance_id = 0;  // 0: none
  std::string rso_id;               // empty: none
  int64_t recorded_at = 0;
  std::string recorded_by;  // user id
};

struct ResolutionQuery {
  std::optional<int> year;
  std::string rso_id;           // non-empty: only this RSO's
  int64_t before_key = 0;       // > 0: only those older than this key (ResolutionKey)
  int limit = 50;
};

// The order of the register, newest first, and the list's cursor: year, then number.
inline int64_t ResolutionKey(int year, int64_t ordinal) {
  return static_cast<int64_t>(year) * 1000000 + ordinal;
}

class ResolutionStore {
 public:
  virtual ~ResolutionStore() = default;

  // ---- writer side ----
  // The next free number of `year`: one after the highest recorded that year, so numbers
  // taken in session or imported are never reused (nor those ballots minted before the
  // register existed, kept by the year's legacy counter).
  virtual Result<int64_t> NextResolutionNumber(int year) = 0;
  // A number already in the register is kDuplicate.
  virtual Status InsertResolution(const Resolution& resolution) = 0;

  // ---- reader side (thread-safe) ----
  // Newest first (year, then number, descending).
  virtual Result<std::vector<Resolution>> ListResolutions(const ResolutionQuery& query) = 0;
};

}  // namespace rsoflow
