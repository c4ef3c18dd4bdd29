// WriterLock: the one-writer rule (DESIGN 3.2) across processes. Every process that opens a
// database read-write holds an exclusive advisory lock (flock) on "<database>.lock" for as long
// as it keeps the database open, so a second writer is refused before it touches the file.
// The kernel drops the lock when the holder exits, SIGKILL included; a stale lock file left
// behind is harmless (the lock, not the file, is what counts).
//
// Thread-safety: an object is owned by one thread; Acquire may be called from any thread.
#pragma once

#include <memory>
#include <string>

#include "engine/status.h"

namespace rsoflow::db {

class WriterLock {
 public:
  // Takes the lock without waiting and records this process's pid in the lock file.
  // Unavailable "database PATH is in use by another rsoflow process (pid N)" when another open
  // file holds it (another process, or another store in this one); Unavailable naming the lock
  // file when it cannot be created.
  static Result<std::unique_ptr<WriterLock>> Acquire(const std::string& db_path);
  ~WriterLock();  // releases the lock
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

  // "<db_path>.lock".
  static std::string LockFile(const std::string& db_path);

 private:
  explicit WriterLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace rsoflow::db
