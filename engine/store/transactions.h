// Transactions: the writer side's transaction and savepoints (DESIGN 3.2), one part of the
// Store (engine/store.h).
//
// Called only by the engine's single writer thread, on the one read-write connection. Every
// write of the other store interfaces happens between Begin and Commit; a savepoint lets one
// command of a group commit fail without undoing the others. A storage failure is
// Code::kUnavailable.
#pragma once

#include "engine/status.h"

namespace rsoflow {

class Transactions {
 public:
  virtual ~Transactions() = default;

  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;
  virtual Status Savepoint() = 0;
  virtual Status ReleaseSavepoint() = 0;
  virtual Status RollbackToSavepoint() = 0;
};

}  // namespace rsoflow
