// Store: the engine's persistence interface (implemented on SQLite in db/), the sum of one
// interface per concern in engine/store/: transactions, instances, the audit log, timers,
// accounts, records and counters, the register of resolutions, idempotency answers,
// documents, mandates, the notifications outbox, the report counters. Code that needs one
// concern takes that interface (the timer scheduler reads timers only); code that needs
// several, or passes the store on, takes the Store.
//
// Two sides. The writer side (Begin .. Commit, savepoints, Insert/Update/Put/Delete and the
// *ForWrite reads) is called only by the engine's single writer thread, on the one read-write
// connection, inside a transaction. The reader side (Get*/List*/ForEach*) is thread-safe and
// uses read-only connections that see the last committed state.
//
// Every method returns Status/Result; a storage failure is Code::kUnavailable.
#pragma once

#include "engine/store/account_store.h"
#include "engine/store/audit_store.h"
#include "engine/store/document_store.h"
#include "engine/store/idempotency_store.h"
#include "engine/store/instance_store.h"
#include "engine/store/mandate_store.h"
#include "engine/store/notification_store.h"
#include "engine/store/record_store.h"
#include "engine/store/report_store.h"
#include "engine/store/resolution_store.h"
#include "engine/store/timer_store.h"
#include "engine/store/transactions.h"

namespace rsoflow {

class Store : public Transactions,
              public InstanceStore,
              public AuditStore,
              public TimerStore,
              public AccountStore,
              public RecordStore,
              public ResolutionStore,
              public IdempotencyStore,
              public DocumentStore,
              public MandateStore,
              public NotificationStore,
              public ReportStore {
 public:
  ~Store() override = default;

  // True when the database answers a trivial query (thread-safe).
  virtual bool Ping() = 0;
};

}  // namespace rsoflow
