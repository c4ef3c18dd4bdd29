#include "db/layered_vfs.h"

namespace rsoflow::db {
namespace {

sqlite3_vfs* Of(sqlite3_vfs* layered) { return Below(*layered); }

int FullPathname(sqlite3_vfs* v, const char* name, int n, char* out) {
  return Of(v)->xFullPathname(Of(v), name, n, out);
}
void* DlOpen(sqlite3_vfs* v, const char* name) { return Of(v)->xDlOpen(Of(v), name); }
void DlError(sqlite3_vfs* v, int n, char* out) { Of(v)->xDlError(Of(v), n, out); }
void (*DlSym(sqlite3_vfs* v, void* handle, const char* symbol))(void) {
  return Of(v)->xDlSym(Of(v), handle, symbol);
}
void DlClose(sqlite3_vfs* v, void* handle) { Of(v)->xDlClose(Of(v), handle); }
int Randomness(sqlite3_vfs* v, int n, char* out) { return Of(v)->xRandomness(Of(v), n, out); }
int Sleep(sqlite3_vfs* v, int us) { return Of(v)->xSleep(Of(v), us); }
int CurrentTime(sqlite3_vfs* v, double* out) { return Of(v)->xCurrentTime(Of(v), out); }
int GetLastError(sqlite3_vfs* v, int n, char* out) { return Of(v)->xGetLastError(Of(v), n, out); }
int CurrentTimeInt64(sqlite3_vfs* v, sqlite3_int64* out) {
  return Of(v)->xCurrentTimeInt64(Of(v), out);
}

}  // namespace

sqlite3_vfs LayeredVfs(const char* name, sqlite3_vfs* below, size_t file_bytes) {
  sqlite3_vfs vfs{};
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(file_bytes) + below->szOsFile;
  vfs.mxPathname = below->mxPathname;
  vfs.zName = name;
  vfs.pAppData = below;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  return vfs;
}

}  // namespace rsoflow::db
