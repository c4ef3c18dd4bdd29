// What the disk gives on its own, for the "bare commits/s" column of docs/PERFORMANCE.md:
//
// 1. bare commits: 3 000 single-row INSERT transactions, SQLite in WAL mode with
//    synchronous=FULL (the same library and settings as rsoflow, no rsoflow code);
// 2. write + fdatasync: 2 000 rounds of one pwrite of N pages, rewriting a file that already
//    has its size (as a reused WAL does), then fdatasync; wall time and the process's system
//    time per round, for N = 1, 8 and 32.
//
//   build-perf/bench/disk_probe [directory]      (default: the system's temporary directory)
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
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
    std::fprintf(stderr, "disk_probe: cannot open %s\n", path.c_str());
    return false;
  }
  bool ok = Exec(db, "PRAGMA journal_mode=WAL") && Exec(db, "PRAGMA synchronous=FULL") &&
            Exec(db, "CREATE TABLE t (x INTEGER)");
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
  const size_t bytes = static_cast<size_t>(pages) * 4096;
  const int fd = open(path.c_str(), O_CREAT | O_RDWR | O_TRUNC, 0600);
  if (fd < 0) {
    std::perror("disk_probe: open");
    return false;
  }
  std::vector<char> page(bytes, 7);
  bool ok = true;
  auto round = [&](int i) {
    const auto at = static_cast<off_t>(i) * static_cast<off_t>(bytes);
    return pwrite(fd, page.data(), bytes, at) == static_cast<ssize_t>(bytes);
  };
  for (int i = 0; ok && i < kRounds; ++i) ok = round(i);  // the file has its size first
  ok = ok && fdatasync(fd) == 0;
  const double sys0 = SystemSeconds();
  const auto t0 = Clock::now();
  for (int i = 0; ok && i < kRounds; ++i) ok = round(i) && fdatasync(fd) == 0;
  const double wall = Seconds(Clock::now() - t0);
  const double sys = SystemSeconds() - sys0;
  close(fd);
  std::filesystem::remove(path);
  if (!ok) {
    std::perror("disk_probe: write");
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
  const std::filesystem::path dir =
      argc == 2 ? std::filesystem::path(argv[1]) : std::filesystem::temp_directory_path();
  const std::string stem = (dir / ("disk-probe-" + std::to_string(getpid()))).string();
  bool ok = BareCommits(stem + ".db");
  for (int pages : {1, 8, 32}) ok = ok && WriteAndSync(stem + ".dat", pages);
  return ok ? 0 : 1;
}
