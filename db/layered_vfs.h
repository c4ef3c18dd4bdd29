// The plumbing of a SQLite VFS layered over another, shared by the writer's coalescing WAL
// VFS (db/wal_vfs.cpp) and the tests' power-loss VFS (tests/support/power_loss_vfs.cpp): the
// calls that concern no file go to the VFS below, and a file of the layer is the layer's own
// struct followed, in the room SQLite allocates, by the file of the VFS below. Each layer's
// file methods stay its own (the writer's are on its hot path).
//
// Thread-safety: LayeredVfs is called once, while the layer registers; the forwarding
// functions are as thread-safe as the VFS below.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <new>

namespace rsoflow::db {

// A VFS named `name` over `below` (kept in pAppData) whose files take `file_bytes` of the
// layer's own before the file of `below`: full path names, dynamic libraries, randomness,
// sleep, time and the last error go to `below`; the layer sets xOpen, xDelete and xAccess.
sqlite3_vfs LayeredVfs(const char* name, sqlite3_vfs* below, size_t file_bytes);

inline sqlite3_vfs* Below(const sqlite3_vfs& layered) {
  return static_cast<sqlite3_vfs*>(layered.pAppData);
}

// Constructs the layer's file T (its first members `sqlite3_file base` and `sqlite3_file*
// real`) in `f` and opens `name` with `below` in the room after it. T's base.pMethods stays
// null, for the caller to set: until then SQLite skips xClose. On failure T is destroyed and
// the error returned (SQLITE_CANTOPEN when `below` opened nothing).
template <typename T>
int OpenLayered(sqlite3_vfs* below, sqlite3_filename name, sqlite3_file* f, int flags,
                int* out_flags, T** out) {
  T* file = new (f) T();
  file->base.pMethods = nullptr;
  file->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + sizeof(T));
  const int rc = below->xOpen(below, name, file->real, flags, out_flags);
  if (rc != SQLITE_OK || file->real->pMethods == nullptr) {
    if (rc == SQLITE_OK) file->real->pMethods = nullptr;
    file->~T();
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  *out = file;
  return SQLITE_OK;
}

}  // namespace rsoflow::db
