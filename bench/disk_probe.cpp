// What the disk gives on its own, for the "bare commits/s" column of docs/PERFORMANCE.md:
//
// 1. bare commits: 3 000 single-row INSERT transactions, SQLite in WAL mode with
//    synchronous=FULL (the same library and settings as rsoflow, no rsoflow code);
// 2. write + fdatasync: 2 000 rounds of one pwrite of N pages then fdatasync, going round a
//    4 MiB file that already has its size (as a WAL reused after a checkpoint does: 1 000
//    pages); wall time and the process's system time per round, for N = 1, 8 and 32.
//
//   build-perf/bench/disk_probe [directory]      (default: the system's temporary directory)
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double SystemSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_stime.tv_sec) + static_cast<double>(u.ru_stime.tv_usec) * 1e-6;
}

bool Exec(sqlite3* db, const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &error) == SQLITE_OK) return true;
  std::fprintf(stderr, "disk_probe: %s: %s\n", sql, error ? error : "?");
  sqlite3_free(error);
  return false;
}

bool BareCommits(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    std::fprintf(stderr, "disk_probe: cannot open %s: %s\n", path.c_str(), sqlite3_errmsg(db));
    sqlite3_close(db);
    return false;
  }
  // The journal mode SQLite answers is the one it runs in: a file system without WAL support
  // keeps the rollback journal, which this probe must not time as WAL.
  sqlite3_stmt* mode = nullptr;
  bool ok = sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &mode, nullptr) == SQLITE_OK &&
            sqlite3_step(mode) == SQLITE_ROW &&
            std::string(reinterpret_cast<const char*>(sqlite3_column_text(mode, 0))) == "wal";
  sqlite3_finalize(mode);
  if (!ok) std::fprintf(stderr, "disk_probe: %s does not run in WAL mode here\n", path.c_str());
  ok = ok && Exec(db, "PRAGMA synchronous=FULL") && Exec(db, "CREATE TABLE t (x INTEGER)");
  sqlite3_stmt* insert = nullptr;
  ok = ok && sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?1)", -1, &insert, nullptr) == SQLITE_OK;
  constexpr int kCommits = 3000;
  const auto t0 = Clock::now();
  for (int i = 0; ok && i < kCommits; ++i) {
    ok = Exec(db, "BEGIN");
    sqlite3_bind_int(insert, 1, i);
    ok = ok && sqlite3_step(insert) == SQLITE_DONE;
    sqlite3_reset(insert);
    ok = ok && Exec(db, "COMMIT");
  }
  const double s = Seconds(Clock::now() - t0);
  sqlite3_finalize(insert);
  sqlite3_close(db);
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  if (ok) std::printf("bare commits/s            %6.0f\n", kCommits / s);
  return ok;
}

bool WriteAndSync(const std::string& path, int pages) {
  constexpr int kRounds = 2000;
  constexpr off_t kSpan = off_t{1024} * 4096;  // a multiple of every write below
  const size_t bytes = static_cast<size_t>(pages) * 4096;
  const int fd = open(path.c_str(), O_CREAT | O_RDWR | O_TRUNC, 0600);
  if (fd < 0) {
    std::perror("disk_probe: open");
    return false;
  }
  std::vector<char> page(bytes, 7);
  bool ok = true;
  errno = 0;  // a short write sets none
  auto round = [&](int i) {
    const off_t at = (static_cast<off_t>(i) * static_cast<off_t>(bytes)) % kSpan;
    return pwrite(fd, page.data(), bytes, at) == static_cast<ssize_t>(bytes);
  };
  for (off_t at = 0; ok && at < kSpan; at += static_cast<off_t>(bytes))  // the file's size first
    ok = pwrite(fd, page.data(), bytes, at) == static_cast<ssize_t>(bytes);
  ok = ok && fdatasync(fd) == 0;
  const double sys0 = SystemSeconds();
  const auto t0 = Clock::now();
  for (int i = 0; ok && i < kRounds; ++i) ok = round(i) && fdatasync(fd) == 0;
  const double wall = Seconds(Clock::now() - t0);
  const double sys = SystemSeconds() - sys0;
  close(fd);
  std::filesystem::remove(path);
  if (!ok) {
    std::fprintf(stderr, "disk_probe: writing %s failed (%s)\n", path.c_str(),
                 errno != 0 ? std::strerror(errno) : "a short write");
    return false;
  }
  std::printf("write %2d page(s) + fdatasync: %6.0f/s, %5.0f us wall, %4.0f us system a round\n",
              pages, kRounds / wall, wall / kRounds * 1e6, sys / kRounds * 1e6);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 2 || (argc == 2 && (std::string(argv[1]) == "--help" || argv[1][0] == '-'))) {
    std::printf(
        "usage: disk_probe [directory]\n"
        "  SQLite WAL/FULL bare commits/s, and pwrite + fdatasync of 1, 8 and 32 pages,\n"
        "  on files in the directory (default: the system's temporary directory)\n");
    return argc == 2 && std::string(argv[1]) == "--help" ? 0 : 2;
  }
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);  // as rsoflow runs SQLite (db::ConfigureSqlite)
  const std::filesystem::path dir =
      argc == 2 ? std::filesystem::path(argv[1]) : std::filesystem::temp_directory_path();
  const std::string stem = (dir / ("disk-probe-" + std::to_string(getpid()))).string();
  bool ok = BareCommits(stem + ".db");
  for (int pages : {1, 8, 32}) ok = ok && WriteAndSync(stem + ".dat", pages);
  return ok ? 0 : 1;
}
