#include "db/wal_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <mutex>
#include <vector>

#include "db/connection.h"
#include "db/layered_vfs.h"

namespace rsoflow::db {
namespace {

constexpr const char* kVfsName = "rsoflow-coalescing-wal";
// A batch of 512 commands writes about 1 000 frames (4 MiB); beyond this the bytes gathered
// so far go down and gathering starts again.
constexpr size_t kMaxGathered = 8u << 20;
// The unix VFS writes at most 128 KiB - 1 bytes a call (it masks the length with 0x1ffff and
// answers SQLITE_FULL for the rest), so the gathered bytes go down in pieces of 31 pages.
constexpr size_t kMaxWrite = 31 * 4096;

std::atomic<uint64_t> g_writes_in{0};
std::atomic<uint64_t> g_writes_out{0};
std::atomic<int> g_fail_writes{0};  // testing::FailWalWrites

sqlite3_vfs g_vfs;
sqlite3_io_methods g_wal_methods;

sqlite3_vfs* Real() { return Below(g_vfs); }

// What SQLite allocates for a WAL file opened through this VFS: ours, then the real file.
struct WalFile {
  sqlite3_file base;  // first, so SQLite's pointer is ours
  sqlite3_file* real;
  std::vector<char> gathered;
  sqlite3_int64 gathered_at = 0;  // the file offset of gathered[0]
};

WalFile* Of(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }

sqlite3_file* RealFileOf(sqlite3_file* f) { return Of(f)->real; }

int RealWrite(WalFile* w, const char* data, size_t n, sqlite3_int64 offset) {
  if (g_fail_writes.load(std::memory_order_relaxed) > 0) {
    g_fail_writes.fetch_sub(1, std::memory_order_relaxed);
    return SQLITE_FULL;  // what the unix VFS answers when the disk is full
  }
  g_writes_out.fetch_add(1, std::memory_order_relaxed);
  return w->real->pMethods->xWrite(w->real, data, static_cast<int>(n), offset);
}

// Sends the gathered bytes down. A failure answers SQLITE_IOERR_WRITE whatever the real file
// said (SQLITE_FULL for a full disk), on which SQLite rolls back the whole transaction, not
// just the statement; the bytes that did not go down are dropped, never written later: they
// belong to that transaction, and a commit's frames written after its commit failed would
// bring it back at the next recovery.
int Flush(WalFile* w) {
  int rc = SQLITE_OK;
  for (size_t done = 0; done < w->gathered.size() && rc == SQLITE_OK; done += kMaxWrite) {
    const size_t n = std::min(kMaxWrite, w->gathered.size() - done);
    rc = RealWrite(w, w->gathered.data() + done, n,
                   w->gathered_at + static_cast<sqlite3_int64>(done));
  }
  w->gathered.clear();
  return rc == SQLITE_OK ? SQLITE_OK : SQLITE_IOERR_WRITE;
}

// A call that reads, sizes, truncates, syncs, locks or controls the file sends the gathered
// bytes down first, so the real file answers as if every write had been made in turn.
template <typename Forward>
int FlushThen(sqlite3_file* f, Forward forward) {
  const int rc = Flush(Of(f));
  if (rc != SQLITE_OK) return rc;
  sqlite3_file* real = RealFileOf(f);
  return forward(real, real->pMethods);
}

// What is still gathered at close belongs to no commit (a commit syncs, which flushes), so it
// is dropped: written now, the frames of a commit that failed could come back at recovery.
int WalClose(sqlite3_file* f) {
  WalFile* w = Of(f);
  const int closed = w->real->pMethods->xClose(w->real);
  w->~WalFile();
  return closed;
}

int WalRead(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
  return FlushThen(f, [&](sqlite3_file* real, const sqlite3_io_methods* m) {
    return m->xRead(real, out, amount, offset);
  });
}

int WalWrite(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
  g_writes_in.fetch_add(1, std::memory_order_relaxed);
  WalFile* w = Of(f);
  const auto n = static_cast<size_t>(amount);
  const bool follows = !w->gathered.empty() &&
                       offset == w->gathered_at + static_cast<sqlite3_int64>(w->gathered.size());
  if (!follows || w->gathered.size() + n > kMaxGathered) {
    // Not the next byte (a rewrite of an earlier frame, or a new WAL header): what came before
    // goes down first, so the file ends as if every write had been made in order.
    const int rc = Flush(w);
    if (rc != SQLITE_OK) return rc;
    w->gathered_at = offset;
  }
  const char* bytes = static_cast<const char*>(data);
  w->gathered.insert(w->gathered.end(), bytes, bytes + n);
  return SQLITE_OK;
}

int WalTruncate(sqlite3_file* f, sqlite3_int64 size) {
  return FlushThen(
      f, [&](sqlite3_file* real, const sqlite3_io_methods* m) { return m->xTruncate(real, size); });
}

int WalSync(sqlite3_file* f, int flags) {
  return FlushThen(
      f, [&](sqlite3_file* real, const sqlite3_io_methods* m) { return m->xSync(real, flags); });
}

int WalFileSize(sqlite3_file* f, sqlite3_int64* size) {
  return FlushThen(
      f, [&](sqlite3_file* real, const sqlite3_io_methods* m) { return m->xFileSize(real, size); });
}

int WalLock(sqlite3_file* f, int level) {
  return FlushThen(
      f, [&](sqlite3_file* real, const sqlite3_io_methods* m) { return m->xLock(real, level); });
}

int WalUnlock(sqlite3_file* f, int level) {
  return FlushThen(
      f, [&](sqlite3_file* real, const sqlite3_io_methods* m) { return m->xUnlock(real, level); });
}

int WalCheckReservedLock(sqlite3_file* f, int* out) {
  return RealFileOf(f)->pMethods->xCheckReservedLock(RealFileOf(f), out);
}

int WalFileControl(sqlite3_file* f, int op, void* arg) {
  return FlushThen(f, [&](sqlite3_file* real, const sqlite3_io_methods* m) {
    return m->xFileControl(real, op, arg);
  });
}

int WalSectorSize(sqlite3_file* f) { return RealFileOf(f)->pMethods->xSectorSize(RealFileOf(f)); }

int WalDeviceCharacteristics(sqlite3_file* f) {
  return RealFileOf(f)->pMethods->xDeviceCharacteristics(RealFileOf(f));
}

// SQLite keeps the WAL-index in the database file's shared memory, never the WAL's, and maps
// only the database file; these forward whatever the real file offers (iVersion 2 and 3).
int WalShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  const sqlite3_io_methods* m = RealFileOf(f)->pMethods;
  if (m->iVersion < 2 || m->xShmMap == nullptr) return SQLITE_IOERR_SHMMAP;
  return m->xShmMap(RealFileOf(f), region, size, extend, out);
}

int WalShmLock(sqlite3_file* f, int offset, int n, int flags) {
  const sqlite3_io_methods* m = RealFileOf(f)->pMethods;
  if (m->iVersion < 2 || m->xShmLock == nullptr) return SQLITE_IOERR_SHMLOCK;
  return m->xShmLock(RealFileOf(f), offset, n, flags);
}

void WalShmBarrier(sqlite3_file* f) {
  const sqlite3_io_methods* m = RealFileOf(f)->pMethods;
  if (m->iVersion >= 2 && m->xShmBarrier != nullptr) m->xShmBarrier(RealFileOf(f));
}

int WalShmUnmap(sqlite3_file* f, int delete_flag) {
  const sqlite3_io_methods* m = RealFileOf(f)->pMethods;
  if (m->iVersion < 2 || m->xShmUnmap == nullptr) return SQLITE_OK;
  return m->xShmUnmap(RealFileOf(f), delete_flag);
}

int WalFetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
  return FlushThen(f, [&](sqlite3_file* real, const sqlite3_io_methods* m) {
    if (m->iVersion < 3 || m->xFetch == nullptr) {
      *out = nullptr;  // "read it instead", which SQLite always accepts
      return SQLITE_OK;
    }
    return m->xFetch(real, offset, amount, out);
  });
}

int WalUnfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  const sqlite3_io_methods* m = RealFileOf(f)->pMethods;
  if (m->iVersion < 3 || m->xUnfetch == nullptr) return SQLITE_OK;
  return m->xUnfetch(RealFileOf(f), offset, p);
}

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  if ((flags & SQLITE_OPEN_WAL) == 0) {
    // Every other file is the real VFS's own, in the space SQLite allocated (ours is larger).
    return Real()->xOpen(Real(), name, f, flags, out_flags);
  }
  WalFile* w = nullptr;
  const int rc = OpenLayered(Real(), name, f, flags, out_flags, &w);
  if (rc == SQLITE_OK) w->base.pMethods = &g_wal_methods;
  return rc;
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return Real()->xDelete(Real(), name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return Real()->xAccess(Real(), name, flags, out);
}

void RegisterOnce() {
  ConfigureSqlite();
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  g_wal_methods = sqlite3_io_methods{};
  g_wal_methods.iVersion = 3;
  g_wal_methods.xClose = WalClose;
  g_wal_methods.xRead = WalRead;
  g_wal_methods.xWrite = WalWrite;
  g_wal_methods.xTruncate = WalTruncate;
  g_wal_methods.xSync = WalSync;
  g_wal_methods.xFileSize = WalFileSize;
  g_wal_methods.xLock = WalLock;
  g_wal_methods.xUnlock = WalUnlock;
  g_wal_methods.xCheckReservedLock = WalCheckReservedLock;
  g_wal_methods.xFileControl = WalFileControl;
  g_wal_methods.xSectorSize = WalSectorSize;
  g_wal_methods.xDeviceCharacteristics = WalDeviceCharacteristics;
  g_wal_methods.xShmMap = WalShmMap;
  g_wal_methods.xShmLock = WalShmLock;
  g_wal_methods.xShmBarrier = WalShmBarrier;
  g_wal_methods.xShmUnmap = WalShmUnmap;
  g_wal_methods.xFetch = WalFetch;
  g_wal_methods.xUnfetch = WalUnfetch;

  g_vfs = LayeredVfs(kVfsName, real, sizeof(WalFile));
  g_vfs.xOpen = Open;
  g_vfs.xDelete = Delete;
  g_vfs.xAccess = Access;
  sqlite3_vfs_register(&g_vfs, 0);
}

}  // namespace

const char* CoalescingWalVfs() {
  static std::once_flag once;
  std::call_once(once, RegisterOnce);
  return kVfsName;
}

namespace testing {
void FailWalWrites(int n) { g_fail_writes.store(n, std::memory_order_relaxed); }
}  // namespace testing

WalWriteCounts WalWrites() {
  return WalWriteCounts{g_writes_in.load(std::memory_order_relaxed),
                        g_writes_out.load(std::memory_order_relaxed)};
}

}  // namespace rsoflow::db
