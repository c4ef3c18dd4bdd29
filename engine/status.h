// Status and Result<T>: how engine/, workflows/ and db/ report success and failure.
//
// Every failure carries a Code that the API maps to exactly one HTTP status and problem code
// (api/problem.cpp), a human-readable message, and optional details: guard reasons, offending
// field names, the current state with its allowed events, or the current version.
// No exception crosses a layer boundary; errors travel as Status.
//
// Thread-safety: plain value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace rsoflow {

// One unmet precondition of a guard_failed refusal: a stable snake_case code, given where the
// guard decides (clients translate it and test against it; /api/v1/labels names each), and
// the sentence for people, which may name the object concerned ("action A1 is not done").
struct Reason {
  std::string code;
  std::string text;
};

class Status {
 public:
  enum class Code {
    kOk,
    kInvalidRequest,        // malformed input, wrong type, unknown field
    kUnauthenticated,       // no valid credentials
    kForbidden,             // the caller's role may not do this
    kConflictOfInterest,    // an excluded or recused reviewer tries to vote
    kNotFound,              // no such object, or outside the caller's scope
    kInvalidTransition,     // event not allowed in the current state
    kAlreadyVoted,          // a second vote by the same reviewer
    kDuplicate,             // a unique value is taken
    kLocked,                // the current state freezes these fields
    kIdempotencyKeyReused,  // same key, different request
    kVersionMismatch,       // expected_version differs from the current version
    kGuardFailed,           // the transition's precondition is not met
    kRateLimited,           // too many attempts
    kUnavailable,           // storage failure; nothing was changed
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidRequest(std::string msg, std::vector<std::string> fields = {}) {
    Status s(Code::kInvalidRequest, std::move(msg));
    s.fields_ = std::move(fields);
    return s;
  }
  static Status Unauthenticated(std::string msg) {
    return {Code::kUnauthenticated, std::move(msg)};
  }
  static Status Forbidden(std::string msg) { return {Code::kForbidden, std::move(msg)}; }
  // A refusal that is not the role's but the credential's: the reason is stated and coded as
  // a guard's is (reasons(), reason_codes()).
  static Status Forbidden(std::string msg, const Reason& reason) {
    Status s(Code::kForbidden, std::move(msg));
    s.reasons_.push_back(reason.text);
    s.reason_codes_.push_back(reason.code);
    return s;
  }
  static Status ConflictOfInterest(std::string msg) {
    return {Code::kConflictOfInterest, std::move(msg)};
  }
  static Status NotFound(std::string msg) { return {Code::kNotFound, std::move(msg)}; }
  static Status InvalidTransition(std::string msg, std::string state,
                                  std::vector<std::string> allowed_events) {
    Status s(Code::kInvalidTransition, std::move(msg));
    s.state_ = std::move(state);
    s.fields_ = std::move(allowed_events);
    return s;
  }
  static Status AlreadyVoted(std::string msg) { return {Code::kAlreadyVoted, std::move(msg)}; }
  static Status Duplicate(std::string msg) { return {Code::kDuplicate, std::move(msg)}; }
  static Status Locked(std::string msg) { return {Code::kLocked, std::move(msg)}; }
  static Status IdempotencyKeyReused(std::string msg) {
    return {Code::kIdempotencyKeyReused, std::move(msg)};
  }
  static Status VersionMismatch(std::string msg, int64_t current_version) {
    Status s(Code::kVersionMismatch, std::move(msg));
    s.current_version_ = current_version;
    return s;
  }
  static Status GuardFailed(const std::vector<Reason>& reasons) {
    std::string msg = "precondition not met";
    for (const auto& r : reasons) msg += (msg.back() == 't' ? ": " : "; ") + r.text;
    Status s(Code::kGuardFailed, std::move(msg));
    for (const auto& r : reasons) {
      s.reasons_.push_back(r.text);
      s.reason_codes_.push_back(r.code);
    }
    return s;
  }
  static Status RateLimited(std::string msg) { return {Code::kRateLimited, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {Code::kUnavailable, std::move(msg)}; }
  // kUnavailable for a cause that trying again at once would meet again, where a passing
  // storage failure (a full disk, an I/O error, a lock) may pass: nothing can be decided from
  // what is stored (a workflow not registered, a state it does not have, follow-ups nested too
  // deep), or a storage error that repeats (a constraint, a corrupt page).
  static Status Undecidable(std::string msg) {
    Status s(Code::kUnavailable, std::move(msg));
    s.undecidable_ = true;
    return s;
  }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // kGuardFailed: one reason per unmet precondition; kForbidden: the reason, when stated.
  const std::vector<std::string>& reasons() const { return reasons_; }
  // kGuardFailed, kForbidden: the code of each reason, in the same order.
  const std::vector<std::string>& reason_codes() const { return reason_codes_; }
  // kInvalidRequest: offending field names. kInvalidTransition: the allowed events.
  const std::vector<std::string>& fields() const { return fields_; }
  // kInvalidTransition: the current state.
  const std::string& state() const { return state_; }
  // kVersionMismatch: the current version.
  int64_t current_version() const { return current_version_; }
  // kUnavailable: made by Undecidable (not a passing storage failure).
  bool undecidable() const { return undecidable_; }

  // Stable lower-case name of the code ("guard_failed"), also the API problem code.
  static const char* CodeName(Code code);
  std::string ToString() const;

 private:
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}

  Code code_ = Code::kOk;
  std::string message_;
  std::vector<std::string> reasons_;
  std::vector<std::string> reason_codes_;
  std::vector<std::string> fields_;
  std::string state_;
  int64_t current_version_ = 0;
  bool undecidable_ = false;
};

// Result<T>: a T on success, a Status otherwise.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {}  // NOLINT: implicit by design

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  const T& value() const& { return *value_; }
  T& value() & { return *value_; }
  T&& value() && { return std::move(*value_); }
  const T& operator*() const { return *value_; }
  T& operator*() { return *value_; }
  const T* operator->() const { return &*value_; }
  T* operator->() { return &*value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace rsoflow

// Returns early from the enclosing function when a Status-producing expression fails.
#define RSOFLOW_RETURN_IF_ERROR(expr) \
  do {                                \
    ::rsoflow::Status _st = (expr);   \
    if (!_st.ok()) return _st;        \
  } while (0)
