#include "engine/status.h"

namespace rsoflow {

const char* Status::CodeName(Code code) {
  switch (code) {
    case Code::kOk:
      return "ok";
    case Code::kInvalidRequest:
      return "invalid_request";
    case Code::kUnauthenticated:
      return "unauthenticated";
    case Code::kForbidden:
      return "forbidden";
    case Code::kConflictOfInterest:
      return "conflict_of_interest";
    case Code::kNotFound:
      return "not_found";
    case Code::kInvalidTransition:
      return "invalid_transition";
    case Code::kAlreadyVoted:
      return "already_voted";
    case Code::kDuplicate:
      return "duplicate";
    case Code::kLocked:
      return "locked";
    case Code::kIdempotencyKeyReused:
      return "idempotency_key_reused";
    case Code::kVersionMismatch:
      return "version_mismatch";
    case Code::kGuardFailed:
      return "guard_failed";
    case Code::kRateLimited:
      return "rate_limited";
    case Code::kUnavailable:
      return "unavailable";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(CodeName(code_)) + ": " + message_;
}

}  // namespace rsoflow
