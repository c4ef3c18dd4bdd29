// IdempotencyStore: the answers kept for Idempotency-Key retries (API.md), one part of the
// Store (engine/store.h).
//
// Writer side only: looked up and written by the engine's writer thread inside the
// transaction of the command they answer. A storage failure is Code::kUnavailable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/json.h"
#include "engine/status.h"

namespace rsoflow {

struct IdempotencyRecord {
  std::string actor_user_id;
  std::string key;
  std::string request_hash;
  Json response;
  int64_t created_at = 0;
};

class IdempotencyStore {
 public:
  virtual ~IdempotencyStore() = default;

  virtual Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& actor,
                                                                   const std::string& key) = 0;
  virtual Status PutIdempotency(const IdempotencyRecord& record) = 0;
};

}  // namespace rsoflow
