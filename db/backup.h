// Online backup of a live database (DESIGN 10): SQLite's backup API copies the pages of one
// read snapshot into a new file while `rsoflow serve` keeps writing.
//
// Why a snapshot: without one, sqlite3_backup_step starts over whenever another connection
// commits between two steps, so under steady writes a backup might never finish. The backup
// holds one read transaction (WAL mode) for its whole run, so it always finishes, copies one
// consistent state, and never holds a writer back: in WAL mode a reader takes no lock that a
// writer waits for. Each step copies `pages_per_step` pages, so the backup's own connection
// holds SQLite's locks for no longer than a step. While it runs, a checkpoint cannot move the
// WAL past the snapshot, so the WAL grows by what is written meanwhile; the next checkpoint
// after the backup takes it back.
//
// It opens the source read-only and takes no writer lock (db/writer_lock.h), so it runs beside
// a server. The copy is written to a temporary file (mode 0600) beside the target, synced, and
// renamed over the target only once complete: the target either does not change or holds a
// whole backup. The audit head returned is read from the copy itself.
//
// Thread-safety: Backup may run on any thread; it uses its own connections.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "engine/audit.h"
#include "engine/status.h"

namespace rsoflow::db {

struct BackupOptions {
  int pages_per_step = 256;
  // Called after every step with the pages copied so far and the pages in all (tests interleave
  // writes here).
  std::function<void(int copied, int total)> after_step;
};

struct BackupReport {
  AuditHead head;  // the audit head the copy holds
  int64_t pages = 0;
  int steps = 0;
};

// Copies the rsoflow database at `from` to `to`. NotFound when `from` does not exist,
// InvalidRequest when it is not an rsoflow database or `to`'s directory does not exist or is
// not writable, Unavailable for a storage error.
Result<BackupReport> Backup(const std::string& from, const std::string& to,
                            const BackupOptions& options = {});

}  // namespace rsoflow::db
