#include "db/backup.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

#include "db/connection.h"
#include "db/query.h"
#include "db/sql.h"

namespace rsoflow::db {
namespace {

std::string DirOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Removes the temporary copy unless it was renamed into place.
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)) {}
  ~TempFile() {
    if (!kept_) {
      unlink(path_.c_str());
      unlink((path_ + "-journal").c_str());
      unlink((path_ + "-wal").c_str());
      unlink((path_ + "-shm").c_str());
    }
  }
  const std::string& path() const { return path_; }
  void Keep() { kept_ = true; }

 private:
  std::string path_;
  bool kept_ = false;
};

Result<int64_t> QueryOneInt(Connection& c, const char* sql, const std::string& bind) {
  Query q(c, sql, "read");
  if (!bind.empty()) q.Bind(bind);
  return q.Single([](const Statement& s) { return s.Int(0); });
}

Result<AuditHead> QueryHead(Connection& c) {
  auto head = Query(c, sql::kAuditHead, "read the audit head").First([](const Statement& s) {
    return AuditHead{s.Int(0), s.Text(1)};
  });
  if (!head.ok()) return head.status();
  return head->value_or(AuditHead{});
}

// fsync of a file or (flags O_DIRECTORY) a directory, so the rename below is durable too.
Status Sync(const std::string& path, int flags) {
  const int fd = open(path.c_str(), O_RDONLY | flags);
  if (fd < 0) return Status::Unavailable("cannot open " + path + ": " + std::strerror(errno));
  const int rc = fsync(fd);
  close(fd);
  if (rc != 0) return Status::Unavailable("cannot sync " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

// Copies every page of the snapshot `src` holds open into `dst`, a step at a time.
Status CopyPages(Connection& src, Connection& dst, const BackupOptions& options,
                 BackupReport* report) {
  sqlite3_backup* b = sqlite3_backup_init(dst.handle(), "main", src.handle(), "main");
  if (b == nullptr) return dst.Error("start the backup");
  int rc = SQLITE_OK;
  const int per_step = options.pages_per_step > 0 ? options.pages_per_step : 256;
  while (rc == SQLITE_OK) {
    rc = sqlite3_backup_step(b, per_step);
    report->steps += 1;
    if ((rc == SQLITE_OK || rc == SQLITE_DONE) && options.after_step) {
      const int total = sqlite3_backup_pagecount(b);
      options.after_step(total - sqlite3_backup_remaining(b), total);
    }
  }
  report->pages = sqlite3_backup_pagecount(b);
  sqlite3_backup_finish(b);  // its result repeats the last step's
  if (rc != SQLITE_DONE) {
    return Status::Unavailable(std::string("backup step failed: ") + sqlite3_errstr(rc));
  }
  return Status::Ok();
}

}  // namespace

Result<BackupReport> Backup(const std::string& from, const std::string& to,
                            const BackupOptions& options) {
  struct stat st;
  if (stat(from.c_str(), &st) != 0) return Status::NotFound("no database at " + from);
  if (!S_ISREG(st.st_mode)) {
    return Status::InvalidRequest(from + " is not an rsoflow database (not a regular file)");
  }
  // Read-only and without the writer lock: the server may keep the database open and write.
  auto src = Connection::Open(from, true, 5000);
  if (!src.ok()) return src.status();
  auto is_ours = QueryOneInt(**src, sql::kTableExists, "schema_version");
  if (!is_ours.ok() || *is_ours == 0) {
    return Status::InvalidRequest(from + " is not an rsoflow database");
  }

  // mkstemp creates the file with mode 0600; SQLite gives its journal the same mode.
  std::vector<char> name(to.begin(), to.end());
  const std::string suffix = ".partial-XXXXXX";
  name.insert(name.end(), suffix.begin(), suffix.end());
  name.push_back('\0');
  const int fd = mkstemp(name.data());
  if (fd < 0) {
    return Status::InvalidRequest("cannot write the backup to " + to + ": " + std::strerror(errno),
                                  {"to"});
  }
  close(fd);
  TempFile tmp(name.data());

  BackupReport report;
  {
    auto dst = Connection::Open(tmp.path(), false, 5000);
    if (!dst.ok()) return dst.status();
    // One snapshot for the whole copy (db/backup.h): the read transaction starts with the
    // first read and lasts until the commit below.
    if (Status s = (*src)->Exec(sql::kBeginRead); !s.ok()) return s;
    if (auto snapshot = QueryHead(**src); !snapshot.ok()) return snapshot.status();
    Status copied = CopyPages(**src, **dst, options, &report);
    (void)(*src)->Exec(sql::kCommit);
    if (!copied.ok()) return copied;
    auto head = QueryHead(**dst);
    if (!head.ok()) return head.status();
    report.head = *head;
  }
  if (Status s = Sync(tmp.path(), 0); !s.ok()) return s;

  if (rename(tmp.path().c_str(), to.c_str()) != 0) {
    return Status::InvalidRequest("cannot move the backup to " + to + ": " + std::strerror(errno),
                                  {"to"});
  }
  tmp.Keep();
  if (Status s = Sync(DirOf(to), O_DIRECTORY); !s.ok()) return s;
  return report;
}

}  // namespace rsoflow::db
