#include "tests/support/power_loss_vfs.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <optional>
#include <random>

#include "db/layered_vfs.h"

namespace rsoflow::testing::power_loss {
namespace {

constexpr const char* kVfsName = "rsoflow-power-loss-test";
constexpr int64_t kPage = 4096;  // the page cache's unit of write-back

// A file as the disk holds it: our own descriptor (opened once and closed only by Restore,
// when no connection is open: closing a descriptor drops every POSIX lock the process holds
// on the file, SQLite's included), and what its pages written since its last sync held then.
struct FileState {
  int fd = -1;
  bool dirty = false;                     // written or truncated since the last sync
  int64_t synced_size = 0;                // the size at the last sync
  std::map<int64_t, std::string> synced;  // page -> its bytes at the last sync
  std::optional<int64_t> truncated_to;    // the smallest size truncated to since then
};

std::mutex g_mu;
std::map<std::string, FileState> g_files;
bool g_armed = false;
bool g_cut = false;
bool g_syncs_lie = false;
int64_t g_cut_at = -1;
Loss g_loss = Loss::kDiscard;
std::mt19937 g_rng;
Report g_report;

sqlite3_vfs g_vfs;
sqlite3_io_methods g_methods;
sqlite3_vfs* Real() { return db::Below(g_vfs); }

struct File {
  sqlite3_file base;  // first, so SQLite's pointer is ours
  sqlite3_file* real;
  std::string path;  // empty: a temporary file, passed through and never cut
};
File* Of(sqlite3_file* f) { return reinterpret_cast<File*>(f); }
sqlite3_file* RealOf(sqlite3_file* f) { return Of(f)->real; }

int64_t SizeOf(int fd) {
  struct stat st {};
  return fstat(fd, &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

std::string ReadAt(int fd, int64_t offset, int64_t n) {
  std::string out(static_cast<size_t>(std::max<int64_t>(n, 0)), '\0');
  const ssize_t got = out.empty() ? 0 : pread(fd, out.data(), out.size(), offset);
  out.resize(got > 0 ? static_cast<size_t>(got) : 0);
  return out;
}

// Before bytes [from, to) of the file change: what the disk holds of each page they touch,
// unless already remembered since the last sync.
void Remember(FileState& s, int64_t from, int64_t to) {
  if (s.fd < 0 || to <= from) return;
  if (!s.dirty) {
    s.dirty = true;
    s.synced_size = SizeOf(s.fd);
  }
  for (int64_t p = from / kPage; p <= (to - 1) / kPage; ++p) {
    if (s.synced.count(p) != 0) continue;
    const int64_t at = p * kPage;
    s.synced[p] = ReadAt(s.fd, at, std::min(kPage, s.synced_size - at));
  }
}

// The power goes: each file's pages written since its last sync become what the Loss says.
void CutLocked(const std::string& during) {
  g_cut = true;
  g_report.cut = true;
  g_report.cut_during = during;
  std::uniform_int_distribution<int> coin(0, 1), third(0, 2);
  for (auto& [path, s] : g_files) {
    if (!s.dirty || s.fd < 0) continue;
    const int64_t now_size = SizeOf(s.fd);
    const bool keep_truncation = s.truncated_to && (g_loss == Loss::kKeepAll ||
                                                    (g_loss != Loss::kDiscard && coin(g_rng) == 1));
    int64_t size = keep_truncation ? std::min(s.synced_size, *s.truncated_to) : s.synced_size;
    std::map<int64_t, std::string> pages;
    for (const auto& [p, before] : s.synced) {
      const int64_t at = p * kPage;
      std::string latest = ReadAt(s.fd, at, std::min(kPage, now_size - at));
      // A truncation that did not reach the disk leaves the bytes it cut off.
      if (!keep_truncation && latest.size() < before.size()) latest += before.substr(latest.size());
      int fate = 0;  // 0 lost, 1 kept, 2 torn
      switch (g_loss) {
        case Loss::kDiscard:
          fate = 0;
          break;
        case Loss::kKeepAll:
          fate = 1;
          break;
        case Loss::kOutOfOrder:
          fate = coin(g_rng);
          break;
        case Loss::kTorn:
          fate = third(g_rng);
          break;
      }
      if (fate == 2 && latest.size() < 2) fate = 1;
      std::string bytes = before;
      if (fate == 1) {
        bytes = latest;
        ++g_report.pages_kept;
      } else if (fate == 2) {
        const size_t k = std::uniform_int_distribution<size_t>(1, latest.size() - 1)(g_rng);
        bytes = latest.substr(0, k) + (before.size() > k ? before.substr(k) : std::string());
        ++g_report.pages_torn;
      } else {
        ++g_report.pages_lost;
      }
      if (fate != 0) size = std::max(size, at + static_cast<int64_t>(bytes.size()));
      pages[p] = std::move(bytes);
    }
    // The size first (a grown file reads zeros where no page reached the disk), then each
    // page as it ends up, padded with zeros where it lies inside the file but held nothing.
    if (ftruncate(s.fd, size) != 0) continue;
    for (auto& [p, bytes] : pages) {
      const int64_t at = p * kPage;
      if (at >= size) continue;
      bytes.resize(static_cast<size_t>(std::min(kPage, size - at)), '\0');
      if (pwrite(s.fd, bytes.data(), bytes.size(), at) < 0) break;
    }
  }
}

// Counts a write or sync of a file that is not temporary; true when the power goes at it.
bool CountLocked(const File& f, const char* what) {
  if (!g_armed || f.path.empty()) return false;
  const int64_t n = g_report.operations++;
  if (n != g_cut_at) return false;
  CutLocked(std::string(what) + " " + f.path.substr(f.path.rfind('/') + 1));
  return true;
}

bool IsWal(const std::string& path) {
  return path.size() > 4 && path.compare(path.size() - 4, 4, "-wal") == 0;
}

bool IsCut() {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_cut;
}

int Close(sqlite3_file* f) {
  File* file = Of(f);
  const int rc = file->real->pMethods->xClose(file->real);
  file->~File();
  return rc;
}

int Read(sqlite3_file* f, void* out, int n, sqlite3_int64 offset) {
  if (IsCut()) return SQLITE_IOERR_READ;
  return RealOf(f)->pMethods->xRead(RealOf(f), out, n, offset);
}

int Write(sqlite3_file* f, const void* data, int n, sqlite3_int64 offset) {
  File* file = Of(f);
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_cut) return SQLITE_IOERR_WRITE;
  if (!file->path.empty()) {
    FileState& s = g_files[file->path];
    if (g_armed) Remember(s, offset, offset + n);
    if (IsWal(file->path)) ++g_report.wal_writes;
  }
  const int rc = file->real->pMethods->xWrite(file->real, data, n, offset);
  // The write is made before the power goes: it may be half on the disk then.
  if (CountLocked(*file, "write")) return SQLITE_IOERR_WRITE;
  return rc;
}

int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  File* file = Of(f);
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_cut) return SQLITE_IOERR_TRUNCATE;
  if (g_armed && !file->path.empty()) {
    FileState& s = g_files[file->path];
    if (s.fd >= 0) {
      Remember(s, size, std::max<int64_t>(SizeOf(s.fd), size));
      s.truncated_to = std::min<int64_t>(s.truncated_to.value_or(size), size);
    }
  }
  const int rc = file->real->pMethods->xTruncate(file->real, size);
  if (CountLocked(*file, "truncate")) return SQLITE_IOERR_TRUNCATE;
  return rc;
}

int Sync(sqlite3_file* f, int flags) {
  File* file = Of(f);
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_cut) return SQLITE_IOERR_FSYNC;
  if (CountLocked(*file, "sync")) return SQLITE_IOERR_FSYNC;  // the sync never happened
  const int rc = file->real->pMethods->xSync(file->real, flags);
  if (rc == SQLITE_OK && g_armed && !file->path.empty() && !IsWal(file->path)) {
    ++g_report.db_syncs;
  }
  if (rc == SQLITE_OK && !file->path.empty() && !g_syncs_lie) {
    FileState& s = g_files[file->path];
    s.dirty = false;
    s.synced.clear();
    s.truncated_to.reset();
  }
  return rc;
}

int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  if (IsCut()) return SQLITE_IOERR_FSTAT;
  return RealOf(f)->pMethods->xFileSize(RealOf(f), size);
}
int Lock(sqlite3_file* f, int level) {
  if (IsCut()) return SQLITE_IOERR_LOCK;
  return RealOf(f)->pMethods->xLock(RealOf(f), level);
}
int Unlock(sqlite3_file* f, int level) { return RealOf(f)->pMethods->xUnlock(RealOf(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  if (IsCut()) return SQLITE_IOERR_CHECKRESERVEDLOCK;
  return RealOf(f)->pMethods->xCheckReservedLock(RealOf(f), out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  if (IsCut()) return SQLITE_IOERR;
  return RealOf(f)->pMethods->xFileControl(RealOf(f), op, arg);
}
int SectorSize(sqlite3_file* f) { return RealOf(f)->pMethods->xSectorSize(RealOf(f)); }
int DeviceCharacteristics(sqlite3_file* f) {
  return RealOf(f)->pMethods->xDeviceCharacteristics(RealOf(f));
}
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  if (IsCut()) return SQLITE_IOERR_SHMMAP;
  return RealOf(f)->pMethods->xShmMap(RealOf(f), region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  if ((flags & SQLITE_SHM_UNLOCK) == 0 && IsCut()) return SQLITE_IOERR_SHMLOCK;
  return RealOf(f)->pMethods->xShmLock(RealOf(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { RealOf(f)->pMethods->xShmBarrier(RealOf(f)); }
int ShmUnmap(sqlite3_file* f, int delete_flag) {
  // After a power loss the shared memory is gone, but its file must stay for no one.
  return RealOf(f)->pMethods->xShmUnmap(RealOf(f), delete_flag);
}
int Fetch(sqlite3_file* f, sqlite3_int64 offset, int n, void** out) {
  *out = nullptr;
  if (IsCut()) return SQLITE_IOERR_MMAP;
  return RealOf(f)->pMethods->xFetch(RealOf(f), offset, n, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
  return RealOf(f)->pMethods->xUnfetch(RealOf(f), offset, p);
}

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  if (IsCut()) return SQLITE_CANTOPEN;
  File* file = nullptr;
  const int rc = db::OpenLayered(Real(), name, f, flags, out_flags, &file);
  if (rc != SQLITE_OK) return rc;
  std::lock_guard<std::mutex> lock(g_mu);
  // Unarmed, a file is passed through for as long as it is open.
  if (g_armed && name != nullptr && (flags & SQLITE_OPEN_DELETEONCLOSE) == 0) {
    file->path = name;
    FileState& s = g_files[file->path];
    if (s.fd < 0) s.fd = open(name, O_RDWR | O_CLOEXEC);
  }
  file->base.pMethods = &g_methods;
  return SQLITE_OK;
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  std::lock_guard<std::mutex> lock(g_mu);
  if (g_cut) return SQLITE_IOERR_DELETE;
  const int rc = Real()->xDelete(Real(), name, sync_dir);
  auto it = g_files.find(name);
  if (rc == SQLITE_OK && it != g_files.end()) {
    // Gone for good; the descriptor on the deleted file holds no lock SQLite needs.
    if (it->second.fd >= 0) close(it->second.fd);
    g_files.erase(it);
  }
  return rc;
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  if (IsCut()) return SQLITE_IOERR_ACCESS;
  return Real()->xAccess(Real(), name, flags, out);
}
void RegisterOnce() {
  sqlite3_initialize();
  sqlite3_vfs* real = sqlite3_vfs_find(nullptr);
  g_methods = sqlite3_io_methods{};
  g_methods.iVersion = 3;
  g_methods.xClose = Close;
  g_methods.xRead = Read;
  g_methods.xWrite = Write;
  g_methods.xTruncate = Truncate;
  g_methods.xSync = Sync;
  g_methods.xFileSize = FileSize;
  g_methods.xLock = Lock;
  g_methods.xUnlock = Unlock;
  g_methods.xCheckReservedLock = CheckReservedLock;
  g_methods.xFileControl = FileControl;
  g_methods.xSectorSize = SectorSize;
  g_methods.xDeviceCharacteristics = DeviceCharacteristics;
  g_methods.xShmMap = ShmMap;
  g_methods.xShmLock = ShmLock;
  g_methods.xShmBarrier = ShmBarrier;
  g_methods.xShmUnmap = ShmUnmap;
  g_methods.xFetch = Fetch;
  g_methods.xUnfetch = Unfetch;

  g_vfs = db::LayeredVfs(kVfsName, real, sizeof(File));
  g_vfs.xOpen = Open;
  g_vfs.xDelete = Delete;
  g_vfs.xAccess = Access;
  sqlite3_vfs_register(&g_vfs, 1);
}

}  // namespace

const char* LossName(Loss loss) {
  switch (loss) {
    case Loss::kDiscard:
      return "discard";
    case Loss::kKeepAll:
      return "keep-all";
    case Loss::kOutOfOrder:
      return "out-of-order";
    case Loss::kTorn:
      return "torn";
  }
  return "?";
}

const char* Install() {
  static std::once_flag once;
  std::call_once(once, RegisterOnce);
  return kVfsName;
}

void Arm(int64_t cut_at, Loss loss, uint32_t seed, bool syncs_lie) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_armed = true;
  g_syncs_lie = syncs_lie;
  sqlite3_vfs_register(&g_vfs, 1);  // the store's readers too
  g_cut = false;
  g_cut_at = cut_at;
  g_loss = loss;
  g_rng.seed(seed);
  g_report = Report{};
  for (auto& [path, s] : g_files) {
    s.dirty = false;
    s.synced.clear();
    s.truncated_to.reset();
  }
}

void Restore() {
  std::lock_guard<std::mutex> lock(g_mu);
  for (auto& [path, s] : g_files) {
    if (s.fd >= 0) close(s.fd);
  }
  g_files.clear();
  sqlite3_vfs_register(Real(), 1);  // what a reboot opens the files with
  g_armed = false;
  g_cut = false;
  g_syncs_lie = false;
  g_cut_at = -1;
}

Report Observed() {
  std::lock_guard<std::mutex> lock(g_mu);
  return g_report;
}

}  // namespace rsoflow::testing::power_loss
