// The writer's SQLite VFS: the platform's default VFS with one change. A commit in WAL mode
// writes each frame as two system calls (its 24-byte header, then its page at an offset that
// no page boundary matches), so a commit of 17 frames was 34 unaligned pwrite() calls, each a
// read-modify-write of page-cache pages: about 10 us a frame on this machine, against under
// 1 us when the same bytes go down in one call (docs/PERFORMANCE.md). This VFS gathers the
// WAL file's consecutive writes in memory and hands them to the real file as one write, at the
// latest when SQLite syncs the WAL, before the sync.
//
// Durability is SQLite's own: nothing is durable before xSync returns, and xSync writes the
// gathered bytes first, so a commit is acknowledged only once its frames are on disk, as
// before. Any other operation on the WAL file (read, size, truncate, lock, file control)
// flushes first, so SQLite never sees a file that differs from what it wrote. A flush that
// fails answers SQLITE_IOERR_WRITE, on which SQLite rolls the whole transaction back, and
// drops the bytes it did not write, as it drops whatever is gathered at close (no commit's:
// a commit syncs): the frames of a failed commit are never written later, where the next
// recovery would replay them. Files other than the WAL are the default VFS's own, untouched;
// readers using the default VFS share the files and locks with it.
//
// It relies on synchronous=FULL, which SqliteStore requires: other connections see a commit
// once SQLite has synced the WAL, and that sync is what sends the bytes down; with NORMAL
// (no sync at commit) they could see a commit still held in the writer's memory.
//
// Thread-safety: CoalescingWalVfs() may be called from any thread; a file is used by the
// connection that opened it, as SQLite requires.
#pragma once

#include <cstdint>

namespace rsoflow::db {

// The name to give sqlite3_open_v2; registers the VFS the first time (not as the default).
const char* CoalescingWalVfs();

struct WalWriteCounts {
  uint64_t writes_from_sqlite = 0;  // xWrite calls on WAL files
  uint64_t writes_to_disk = 0;      // writes passed to the real file
};
// Totals over every connection of the process, since start-up.
WalWriteCounts WalWrites();

namespace testing {
// The next `n` writes to a real WAL file fail as on a full disk (SQLITE_FULL). Tests only.
void FailWalWrites(int n);
// FailWalWrites(n) for as long as it lives: a test that returns early leaves none behind.
class FailingWalWrites {
 public:
  explicit FailingWalWrites(int n) { FailWalWrites(n); }
  ~FailingWalWrites() { FailWalWrites(0); }
  FailingWalWrites(const FailingWalWrites&) = delete;
  FailingWalWrites& operator=(const FailingWalWrites&) = delete;
};
}  // namespace testing

}  // namespace rsoflow::db
