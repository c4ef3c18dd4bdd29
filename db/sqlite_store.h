// SqliteStore: the Store on one SQLite file, its methods in one file per store interface
// (db/sqlite_store.cpp has the plumbing; statements run through db/query.h).
//
// Open() takes the database's WriterLock (one writing process per file, DESIGN 3.2), applies
// pending migrations, then checks the durability settings the engine's promise rests on
// (journal_mode=WAL, synchronous=FULL, foreign_keys=ON) and refuses to open otherwise. The
// writer side uses the one read-write connection (owned by the engine's writer thread); the
// reader side borrows read-only connections from a pool. OpenReadOnly() gives the reader side
// alone, for inspecting a file (audit verify) without changing it.
//
// The writer side keeps the instances it last wrote, so the next command on one of them (the
// next vote on a ballot) does not select and re-parse its row. LoadInstanceForWrite takes the
// instance out of this cache (moved, not copied: the caller is about to change it), and only
// UpdateInstance / UpdateInstanceData put one back, after the row was written. A rollback to a
// savepoint, or of the transaction, forgets every instance written since, so the cache never
// holds what the file does not; anything not cached is read from the file. It is bounded
// (emptied at a commit that leaves it over capacity) and starts empty at Open.
//
// Thread-safety: as described on Store.
#pragma once

#include <sys/types.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "db/connection.h"
#include "db/query.h"
#include "db/writer_lock.h"
#include "engine/store.h"

namespace rsoflow::db {

struct SqliteOptions {
  int busy_timeout_ms = 5000;
  size_t instance_cache_capacity = 4096;  // writer-side instances kept between commands
  // The writer connection's page cache; a transaction larger than it spills pages to the WAL
  // before its commit.
  int writer_cache_kib = 65536;
  // The writer's WAL writes go down as one write per commit (db/wal_vfs.h); off, each frame
  // is SQLite's usual two.
  bool coalesce_wal_writes = true;
};

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                   SqliteOptions options = {});
  // Opens an existing rsoflow database for reading only: no lock, no migration, nothing
  // created or written. NotFound when no file exists at `path`; InvalidRequest when the file is
  // not an rsoflow database (not SQLite, or without a schema version). Only the reader side
  // (each interface's Get*/List*/ForEach*/DueTimers/NextTimerDue, and Ping) may be used on the
  // store it returns.
  static Result<std::unique_ptr<SqliteStore>> OpenReadOnly(const std::string& path,
                                                           SqliteOptions options = {});
  // True when no file exists at `path`, or it holds no users, records or instances (an empty
  // or a migrated but unused database). InvalidRequest when the file is not an SQLite database.
  static Result<bool> IsEmptyDatabase(const std::string& path);
  ~SqliteStore() override;

  // Writer side, outside the Store interface: raises the counter `name` to at least `value`
  // (a counter already higher is left alone), so that NextCounter answers more than `value`.
  Status RaiseCounter(const std::string& name, int64_t value);

  int schema_version() const { return schema_version_; }
  const std::string& path() const { return path_; }

  // True when the file at path() is still the one this store opened and a reader reads its
  // schema version from it.
  bool Ping() override;

  // ---- Transactions (db/sqlite_store.cpp) ----
  Status Begin() override;
  Status Commit() override;
  Status Rollback() override;
  Status Savepoint() override;
  Status ReleaseSavepoint() override;
  Status RollbackToSavepoint() override;

  // ---- InstanceStore (db/sqlite_instances.cpp) ----
  Result<Instance> LoadInstanceForWrite(int64_t id) override;
  Result<int64_t> InsertInstance(const Instance& instance) override;
  Status UpdateInstance(const Instance& instance) override;
  Status UpdateInstanceData(const Instance& instance) override;
  Result<std::vector<int64_t>> ActiveInstancesWithSubject(const std::string& workflow,
                                                          int64_t subject_id) override;
  Result<std::vector<Instance>> FindInstancesForWrite(const InstanceQuery& query) override;
  Result<Instance> GetInstance(int64_t id) override;
  Result<std::vector<Instance>> ListInstances(const InstanceQuery& query) override;
  Result<std::vector<Instance>> ListActiveByDue(const DueOrderQuery& query) override;
  Result<std::optional<Instance>> LatestInstanceOfRso(const std::string& workflow,
                                                      const std::string& rso_id) override;
  Result<std::vector<StateCount>> CountInstancesByState() override;

  // ---- AuditStore (db/sqlite_audit.cpp) ----
  Result<AuditHead> ReadAuditHead() override;
  Status AppendAudit(const AuditEntry& entry) override;
  Status ForEachAudit(int64_t after_seq, const std::function<bool(const AuditEntry&)>& fn) override;
  Status ReadAuditPage(int64_t after_seq, int limit, std::vector<AuditEntry>* page) override;
  Result<std::vector<AuditEntry>> InstanceHistory(int64_t instance_id, int64_t after_seq,
                                                  int limit) override;
  Result<AuditHead> GetAuditHead() override;
  Status SaveAuditCheckpoint(const AuditHead& head, int64_t verified_at) override;
  Result<std::optional<AuditHead>> GetAuditCheckpoint() override;
  Result<std::vector<AuditEntry>> ListAudit(const AuditQuery& query) override;

  // ---- TimerStore (db/sqlite_timers.cpp) ----
  Status PutTimer(const TimerRow& timer) override;
  Status DeleteTimer(int64_t instance_id, const std::string& name) override;
  Status DeleteTimers(int64_t instance_id) override;
  Result<std::optional<TimerRow>> FindTimerForWrite(int64_t instance_id,
                                                    const std::string& name) override;
  Result<std::optional<int64_t>> EarliestTimerOf(int64_t instance_id) override;
  Result<std::vector<TimerRow>> DueTimers(int64_t now, int limit) override;
  Result<std::optional<int64_t>> NextTimerDue() override;

  // ---- AccountStore (db/sqlite_accounts.cpp) ----
  Result<std::vector<UserRef>> ActiveUsersWithRole(const std::string& role) override;
  Result<std::string> InsertUser(const UserRecord& user) override;
  Status SetPasswordHash(const std::string& user_id, const std::string& old_hash,
                         const std::string& new_hash) override;
  Result<UserRecord> GetUserForWrite(const std::string& id) override;
  Status UpdateUser(const UserRecord& user) override;
  Result<std::string> InsertToken(const TokenRecord& token) override;
  Result<TokenRecord> GetTokenForWrite(const std::string& token_id) override;
  Status RevokeToken(const std::string& token_id, int64_t at) override;
  Result<int> RevokeTokensOfUser(const std::string& user_id, int64_t at,
                                 const std::string& keep_token_id, bool sessions_only) override;
  Status TouchToken(const std::string& token_id, int64_t at) override;
  Result<UserRecord> GetUserByName(const std::string& username) override;
  Result<UserRecord> GetUser(const std::string& id) override;
  Result<std::vector<UserRecord>> ListUsers(int64_t after_id, int limit) override;
  Result<TokenRecord> GetTokenByHash(const std::string& token_hash) override;
  Result<std::vector<TokenRecord>> ListLiveTokensOfUser(const std::string& user_id) override;

  // ---- RecordStore (db/sqlite_records.cpp) ----
  Result<std::string> InsertRecord(const Record& record) override;
  Status UpdateRecord(const Record& record) override;
  Result<Record> GetRecordForWrite(const std::string& kind, const std::string& id) override;
  Result<int64_t> NextCounter(const std::string& name) override;
  Result<Record> GetRecord(const std::string& kind, const std::string& id) override;
  Result<std::vector<Record>> ListRecords(const std::string& kind, int64_t after_id,
                                          int limit) override;
  Result<std::vector<Record>> ListRecordsWhere(const std::string& kind, const RecordFilter& filter,
                                               int64_t after_id, int limit) override;

  // ---- ResolutionStore (db/sqlite_resolutions.cpp) ----
  Result<int64_t> NextResolutionNumber(int year) override;
  Status InsertResolution(const Resolution& resolution) override;
  Result<std::vector<Resolution>> ListResolutions(const ResolutionQuery& query) override;

  // ---- IdempotencyStore (db/sqlite_idempotency.cpp) ----
  Result<std::optional<IdempotencyRecord>> FindIdempotency(const std::string& actor,
                                                           const std::string& key) override;
  Status PutIdempotency(const IdempotencyRecord& record) override;

  // ---- DocumentStore (db/sqlite_documents.cpp) ----
  Result<Document> InsertDocument(const Document& document, const std::string& bytes) override;
  Result<Document> GetDocumentForWrite(int64_t id) override;
  Status MarkSuperseded(int64_t id, int64_t by) override;
  Result<std::vector<Document>> CurrentDocumentsForWrite(int64_t instance_id) override;
  Result<Document> GetDocument(int64_t id) override;
  Result<std::vector<Document>> ListDocuments(int64_t instance_id) override;
  Status ReadDocument(int64_t id, const DocumentChunkFn& fn) override;
  Status ForEachDocument(const std::function<bool(const Document&)>& fn) override;

  // ---- MandateStore (db/sqlite_mandates.cpp) ----
  Result<int64_t> InsertMandate(const Mandate& mandate) override;
  Result<Mandate> GetMandateForWrite(int64_t id) override;
  Status RevokeMandate(int64_t id, int64_t at) override;
  Result<std::vector<Mandate>> FindMandatesForWrite(const MandateQuery& query) override;
  Result<Mandate> GetMandate(int64_t id) override;
  Result<std::vector<Mandate>> ListMandates(const MandateQuery& query) override;
  // ---- NotificationStore (db/sqlite_notifications.cpp) ----
  Result<int64_t> InsertNotification(const NotificationRow& row) override;
  Status MarkNotificationsRead(const std::string& user_id, int64_t up_to_id, int64_t at) override;
  Status SetEmailState(int64_t notification_id, const std::string& state, int attempts,
                       int64_t next_at) override;
  Result<std::vector<Actor>> ActiveActorsWithRoleForWrite(const std::string& role) override;
  Result<std::vector<WebhookRow>> ActiveWebhooksForWrite() override;
  Result<int64_t> InsertWebhook(const WebhookRow& row) override;
  Status DeleteWebhook(int64_t id, int64_t at) override;
  Result<int64_t> InsertDelivery(const DeliveryRow& row) override;
  Status UpdateDelivery(const DeliveryRow& row) override;
  Result<std::vector<NotificationRow>> ListNotifications(const std::string& user_id,
                                                         bool unread_only, int64_t before_id,
                                                         int limit) override;
  Result<std::vector<NotificationRow>> DueEmails(int64_t now, int limit) override;
  Result<std::vector<WebhookRow>> ListWebhooks(int64_t after_id, int limit) override;
  Result<WebhookRow> GetWebhook(int64_t id) override;
  Result<std::vector<DeliveryRow>> ListDeliveries(int64_t webhook_id, int64_t before_id,
                                                  int limit) override;
  Result<DeliveryRow> GetDelivery(int64_t id) override;
  Result<std::vector<DeliveryRow>> DueDeliveries(int64_t now, int limit) override;

  // ---- ReportStore (db/sqlite_reports.cpp) ----
  Result<ReportCounters> ReadReportCounters(const ReportPeriod& period,
                                            const std::string& status_workflow) override;
  Result<std::vector<Instance>> ListDueActiveInstances(int64_t now) override;

 private:
  SqliteStore(std::string path, SqliteOptions options, std::unique_ptr<WriterLock> lock,
              std::unique_ptr<Connection> writer)
      : path_(std::move(path)),
        options_(options),
        lock_(std::move(lock)),
        writer_(std::move(writer)) {}
  Status Migrate();
  Status CheckDurability();
  const char* SelectAuditAfter() const;  // the audit read for this database's columns
  Result<std::unique_ptr<Connection>> AcquireReader();
  void ReleaseReader(std::unique_ptr<Connection> conn);
  // Runs `read` on a pooled read-only connection, borrowed for the call (the reader side).
  template <typename Read>
  auto OnReader(Read read) -> decltype(read(std::declval<Connection&>())) {
    auto conn = AcquireReader();
    if (!conn.ok()) return conn.status();
    struct Return {
      SqliteStore* store;
      std::unique_ptr<Connection>* conn;
      ~Return() { store->ReleaseReader(std::move(*conn)); }
    } give_back{this, &*conn};
    return read(**conn);
  }
  // A writer statement that changes rows; Unavailable once SQLite has rolled the batch back.
  Query Write(const char* sql, const char* what);
  // The writer's instance cache (writer thread only).
  void CacheWritten(const Instance& instance);
  void ForgetWrittenSince(size_t mark);  // erases the instances written after `mark`

  const std::string path_;
  const SqliteOptions options_;
  // Declared before the connections so that it is released after they are closed.
  std::unique_ptr<WriterLock> lock_;
  std::unique_ptr<Connection> writer_;
  // The file's identity when opened (Ping notices the path now naming another file, or none).
  dev_t file_dev_ = 0;
  ino_t file_ino_ = 0;
  int schema_version_ = 0;
  std::mutex pool_mu_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::unordered_map<int64_t, Instance> cache_;
  // Between Begin and Commit or Rollback: a write found outside a transaction then means
  // SQLite rolled the batch back (Write).
  bool in_batch_ = false;
  std::vector<int64_t> written_;  // ids cached since the transaction began, in order
  std::vector<size_t> marks_;     // written_.size() when each open savepoint began
};

}  // namespace rsoflow::db
