#include "db/writer_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rsoflow::db {
namespace {

// The pid the holder wrote, or "" when it wrote none (yet).
std::string HolderPid(int fd) {
  char buf[32] = {};
  const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  std::string pid;
  for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i) pid += buf[i];
  return pid;
}

}  // namespace

std::string WriterLock::LockFile(const std::string& db_path) { return db_path + ".lock"; }

Result<std::unique_ptr<WriterLock>> WriterLock::Acquire(const std::string& db_path) {
  const std::string path = LockFile(db_path);
  // O_CLOEXEC: a child process must not inherit (and so keep) the lock.
  // 0600 like the database (issue 17, finding 7).
  const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Status::Unavailable("cannot create the lock file " + path + ": " + std::strerror(errno));
  }
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const std::string pid = err == EWOULDBLOCK ? HolderPid(fd) : "";
    close(fd);
    if (err != EWOULDBLOCK) {
      return Status::Unavailable("cannot lock " + path + ": " + std::strerror(err));
    }
    return Status::Unavailable("database " + db_path + " is in use by another rsoflow process" +
                               (pid.empty() ? "" : " (pid " + pid + ")") +
                               "; only one process may write to it");
  }
  const std::string pid = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) != 0 || pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The lock is held all the same; only the pid in the refusal message is missing.
  }
  return std::unique_ptr<WriterLock>(new WriterLock(fd));
}

WriterLock::~WriterLock() {
  if (ftruncate(fd_, 0) != 0) {
    // Nothing to do: the pid of a process that no longer holds the lock is never shown.
  }
  close(fd_);
}

}  // namespace rsoflow::db
