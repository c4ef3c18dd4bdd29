// A test VFS that simulates a power loss (issue 20, docs/RELIABILITY.md).
//
// It sits over the platform's default VFS and, once installed, is the default itself, so the
// writer's coalescing WAL VFS (db/wal_vfs.cpp, which wraps whatever VFS is the default when
// it is first asked for) sits over it, as do the store's readers. Unarmed it passes every
// call through unchanged.
//
// Armed, it numbers every write (xWrite, xTruncate) and sync (xSync) on every file from 0,
// and remembers, for each file, what each 4 KiB page written since that file's last sync held
// at that sync (what the disk holds: a sync makes the file's earlier writes durable, nothing
// else does). At the chosen operation the power goes: a write is made first (it may be
// half-done when the power goes), a sync is not; then the pages written since their file's
// last sync are lost, kept or torn as the Loss says, directly in the files, and every later
// call fails with an I/O error, except those that only let go of what the process holds
// (close, unlock, unmap), which a machine going down lets go of too. What the files then hold
// is what a reboot would find; open them with the default VFS once every connection of the
// run is closed and Restore() was called.
//
// The model is that of a page cache written back in any order: a page that is kept holds its
// latest bytes, a lost page its bytes at the last sync (a page the file did not reach then
// reads as zeros if a later page is kept), a torn page a prefix of its latest bytes and the
// rest as at the last sync. Bytes not written since the sync are never damaged (SQLite's
// POWERSAFE_OVERWRITE, which the unix VFS declares). File creation and deletion are taken as
// durable at once.
//
// Thread-safety: every function may be called from any thread; the VFS's own state is under
// one mutex. Install, Arm and Restore only while no connection is open.
#pragma once

#include <cstdint>
#include <string>

namespace rsoflow::testing::power_loss {

enum class Loss {
  kDiscard,     // every page written since its file's last sync is lost
  kKeepAll,     // every such page reached the disk (a sync done but not answered)
  kOutOfOrder,  // each page reached the disk or not, at random
  kTorn,        // each page kept, lost or torn (a random prefix kept), at random
};
const char* LossName(Loss loss);

// Registers the VFS over the default of the moment, once, and makes it the default; returns
// its name. Must come before anything asks for db::CoalescingWalVfs(). Arm makes it the
// default again.
const char* Install();

// Numbers operations from 0 from now on; at operation `cut_at` (never when negative) the power
// goes, losing what was not synced as `loss` says, with `seed` for the random choices. With
// `syncs_lie`, a sync makes nothing durable (a disk whose cache ignores flushes): what the
// tests' own checks must notice.
void Arm(int64_t cut_at, Loss loss, uint32_t seed, bool syncs_lie = false);
// Power back: unarmed, pass-through, what it remembered forgotten, and the VFS it sits over the
// default again (the writer's coalescing VFS stays over this one). No connection may be open.
void Restore();

struct Report {
  int64_t operations = 0;  // writes and syncs since Arm
  bool cut = false;        // the power went
  std::string cut_during;  // "write FILE" or "sync FILE"
  int pages_kept = 0, pages_lost = 0, pages_torn = 0;
  uint64_t wal_writes = 0;  // writes to a -wal file since Arm (is the VFS under the writer's?)
  uint64_t db_syncs = 0;    // syncs of other files: checkpoints
};
Report Observed();

}  // namespace rsoflow::testing::power_loss
