// Store: the engine's persistence interface (implemented on SQLite in db/).
//
// Two sides. The writer side (Begin .. Commit, savepoints, Insert/Update/Put/Delete and the
// *ForWrite reads) is called only by the engine's single writer thread, on the one read-write
// connection, inside a transaction. The reader side (Get*/List*/ForEach*) is thread-safe and
// uses read-only connections that see the last committed state.
//
// Every method returns Status/Result; a storage failure is Code::kUnavailable.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/audit.h"
#include "engine/instance.h"
#include "engine/record.h"
#include "engine/status.h"

namespace rsoflow {

struct UserRecord {
  std::string id;
  std::string username;
  std::string display_name;
  std::string role;
  std::string rso_id;
  std::vector<std::string> affiliated_rso_ids;
  std::string password_hash;
  bool disabled = false;
  int64_t created_at = 0;
  std::string email;            // empty: none
  std::string language = "en";  // "en" or "ru"
};

struct TokenRecord {
  std::string id;
  std::string user_id;
  std::string name;
  std::string token_hash;  // SHA-256 hex of the token; the token itself is never stored
  std::string kind;        // "session" or "api"
  int64_t created_at = 0;
  std::optional<int64_t> expires_at;
  std::optional<int64_t> revoked_at;
  std::optional<int64_t> last_used_at;  // sessions: for the idle expiry (coarse, see TouchToken)
  // Who issued it: a user id (the user itself for every session), "system" for the command
  // line; empty for tokens from before migration 0006 (sessions excepted), issuer unknown.
  std::string created_by;
};

struct TimerRow {
  int64_t instance_id = 0;
  std::string name;
  int64_t due_at = 0;
  std::string event;
};

struct IdempotencyRecord {
  std::string actor_user_id;
  std::string key;
  std::string request_hash;
  Json response;
  int64_t created_at = 0;
};

struct InstanceQuery {
  std::string workflow;
  std::string state;
  std::string rso_id;
  std::optional<bool> active;  // true: non-terminal only; false: terminal only
  int64_t after_id = 0;        // keyset pagination: ids greater than this
  int limit = 50;
};

struct AuditQuery {
  int64_t after_seq = 0;    // keyset pagination: entries with seq greater than this
  int64_t instance_id = 0;  // 0: any
  std::string actor;        // username or user id; empty: any
  int limit = 50;
};

struct StateCount {
  std::string workflow;
  std::string state;
  int64_t count = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // ---- writer side ----
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  virtual Status Savepoint() = 0;
  virtual Status ReleaseSavepoint() = 0;
  virtual Status RollbackToSavepoint() = 0;

  virtual Result<Instance> LoadInstanceForWrite(int64_t id) = 0;
  // Assigns and returns the new id.
  virtual Result<int64_t> InsertInstance(const Instance& instance) = 0;
  virtual Status UpdateInstance(const Instance& instance) = 0;
  // Writes only version, data and updated_at. Precondition: every other field of `instance`
  // is as stored (the store may keep `instance` as the row's current content).
  virtual Status UpdateInstanceData(const Instance& instance) = 0;
  virtual Result<std::vector<int64_t>> ActiveInstancesWithSubject(const std::string& workflow,
                                                                  int64_t subject_id) = 0;
  virtual Result<AuditHead> ReadAuditHead() = 0;
  virtual Status AppendAudit(const AuditEntry& entry) = 0;
  virtual Status PutTimer(const TimerRow& timer) = 0;
  virtual Status DeleteTimer(int64_t instance_id, const std::string& name) = 0;
  virtual Status DeleteTimers(int64_t instance_id) = 0;
  virtual Result<std::optional<TimerRow>> FindTimerForWrite(int64_t instance_id,
                                                            const std::string& name) = 0;
  virtual Result<std::optional<int64_t>> EarliestTimerOf(int64_t instance_id) = 0;
  virtual Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& actor,
                                                                   const std::string& key) = 0;
  virtual Status PutIdempotency(const IdempotencyRecord& record) = 0;
  virtual Result<std::vector<UserRef>> ActiveUsersWithRole(const std::string& role) = 0;
  virtual Result<int64_t> NextCounter(const std::string& name) = 0;
  // Instances matching the query, as the writer's transaction sees them.
  virtual Result<std::vector<Instance>> FindInstancesForWrite(const InstanceQuery& query) = 0;
  // Domain records. InsertRecord returns the new id; a taken (kind, key) is kDuplicate.
  virtual Result<std::string> InsertRecord(const Record& record) = 0;
  virtual Status UpdateRecord(const Record& record) = 0;
  virtual Result<Record> GetRecordForWrite(const std::string& kind, const std::string& id) = 0;
  // Users and tokens (also written only through the writer).
  virtual Result<std::string> InsertUser(const UserRecord& user) = 0;  // returns the id
  // Replaces a user's password hash `old_hash` by `new_hash` (the same password at another
  // cost); kNotFound, and nothing changed, when the user's hash is no longer `old_hash`.
  virtual Status SetPasswordHash(const std::string& user_id, const std::string& old_hash,
                                 const std::string& new_hash) = 0;
  // The user as the writer's transaction sees it; kNotFound when there is none.
  virtual Result<UserRecord> GetUserForWrite(const std::string& id) = 0;
  // Writes every field of `user` but username, password hash and created_at; kNotFound when
  // there is no such user.
  virtual Status UpdateUser(const UserRecord& user) = 0;
  virtual Result<std::string> InsertToken(const TokenRecord& token) = 0;
  // The token as the writer's transaction sees it; kNotFound when there is none.
  virtual Result<TokenRecord> GetTokenForWrite(const std::string& token_id) = 0;
  virtual Status RevokeToken(const std::string& token_id, int64_t at) = 0;
  // Revokes the user's live tokens at `at` except the one with id `keep_token_id` (empty:
  // none kept); with `sessions_only`, only tokens of kind "session". Returns how many.
  virtual Result<int> RevokeTokensOfUser(const std::string& user_id, int64_t at,
                                         const std::string& keep_token_id, bool sessions_only) = 0;
  // Records that a token was used at `at` (never moves last_used_at backwards).
  virtual Status TouchToken(const std::string& token_id, int64_t at) = 0;

  // ---- reader side (thread-safe) ----
  virtual Result<Instance> GetInstance(int64_t id) = 0;
  virtual Result<std::vector<Instance>> ListInstances(const InstanceQuery& query) = 0;
  virtual Result<std::vector<TimerRow>> DueTimers(int64_t now, int limit) = 0;
  virtual Result<std::optional<int64_t>> NextTimerDue() = 0;
  // Calls fn for each audit entry with seq > after_seq in seq order; stops when fn is false.
  virtual Status ForEachAudit(int64_t after_seq,
                              const std::function<bool(const AuditEntry&)>& fn) = 0;
  // The instance's audit entries with seq > after_seq, oldest first, at most limit of them
  // (a negative limit: all).
  virtual Result<std::vector<AuditEntry>> InstanceHistory(int64_t instance_id, int64_t after_seq,
                                                          int limit) = 0;
  virtual Result<AuditHead> GetAuditHead() = 0;
  // Audit entries matching the query, in seq order.
  virtual Result<std::vector<AuditEntry>> ListAudit(const AuditQuery& query) = 0;
  // Instances per (workflow, state), sorted.
  virtual Result<std::vector<StateCount>> CountInstancesByState() = 0;
  virtual Result<Record> GetRecord(const std::string& kind, const std::string& id) = 0;
  // Records of a kind with id greater than after_id, by id.
  virtual Result<std::vector<Record>> ListRecords(const std::string& kind, int64_t after_id,
                                                  int limit) = 0;
  virtual Result<UserRecord> GetUserByName(const std::string& username) = 0;
  virtual Result<UserRecord> GetUser(const std::string& id) = 0;
  // Users whose id is above `after_id`, in id order, at most `limit` of them.
  virtual Result<std::vector<UserRecord>> ListUsers(int64_t after_id, int limit) = 0;
  virtual Result<TokenRecord> GetTokenByHash(const std::string& token_hash) = 0;
  // The user's tokens that are not revoked (expired ones included), oldest first.
  virtual Result<std::vector<TokenRecord>> ListLiveTokensOfUser(const std::string& user_id) = 0;
  // True when the database answers a trivial query.
  virtual bool Ping() = 0;
};

}  // namespace rsoflow
