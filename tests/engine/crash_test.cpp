// Durability under SIGKILL: a child process writes commands and reports each one only after it
// was acknowledged; the parent kills it at random moments. After every restart each
// acknowledged command is present exactly once, the file passes integrity_check and the audit
// chain verifies.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <random>
#include <set>
#include <string>

#include "db/sqlite_store.h"
#include "tests/support/harness.h"

extern char** environ;

namespace rsoflow::testing {
namespace {

struct Child {
  pid_t pid = -1;
  int out = -1;
};

Child Spawn(const std::string& db, const std::string& prefix) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::string bin = CRASH_WRITER_PATH;
  char* argv[] = {bin.data(), const_cast<char*>(db.c_str()), const_cast<char*>(prefix.c_str()),
                  nullptr};
  Child c;
  if (posix_spawn(&c.pid, bin.c_str(), &actions, nullptr, argv, environ) != 0) c.pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  c.out = fds[0];
  return c;
}

// Reads whole lines from fd into `lines`, returning after `stop_after` new lines, or at EOF
// when stop_after is 0.
void ReadLines(int fd, std::string* pending, std::vector<std::string>* lines, size_t stop_after) {
  const size_t start = lines->size();
  char buf[4096];
  for (;;) {
    if (stop_after > 0 && lines->size() - start >= stop_after) return;
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n <= 0) return;
    pending->append(buf, static_cast<size_t>(n));
    size_t nl;
    while ((nl = pending->find('\n')) != std::string::npos) {
      lines->push_back(pending->substr(0, nl));
      pending->erase(0, nl + 1);
    }
  }
}

std::string Scalar(sqlite3* db, const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  std::string out;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0) != nullptr) {
    out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  }
  sqlite3_finalize(s);
  return out;
}

// What a restart must find, checked after every kill: each acknowledged command applied
// exactly once, a file that passes integrity_check, and an audit chain that verifies.
void ExpectIntactAfterRestart(const std::string& db, const std::vector<std::string>& acknowledged,
                              int round) {
  SCOPED_TRACE("restart after kill " + std::to_string(round));
  // The restart: the store opens (recovering the WAL) as the server would.
  auto store = db::SqliteStore::Open(db);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  AuditVerifier verifier;
  ASSERT_TRUE((*store)->ForEachAudit(0, [&](const AuditEntry& e) { return verifier.Add(e); }).ok());
  auto verdict = verifier.Finish();
  EXPECT_TRUE(verdict.ok) << "seq " << verdict.first_bad_seq.value_or(0) << " " << verdict.problem;

  sqlite3* conn = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  EXPECT_EQ(Scalar(conn, "PRAGMA integrity_check"), "ok");
  std::set<std::string> stored;
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(conn,
                     "SELECT idempotency_key, COUNT(*) FROM audit WHERE idempotency_key IS "
                     "NOT NULL GROUP BY idempotency_key",
                     -1, &s, nullptr);
  while (sqlite3_step(s) == SQLITE_ROW) {
    const std::string key = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    EXPECT_EQ(sqlite3_column_int(s, 1), 1) << key << " applied more than once";
    stored.insert(key);
  }
  sqlite3_finalize(s);
  int missing = 0;
  for (const auto& key : acknowledged) {
    if (stored.count(key) == 0 && ++missing <= 5) ADD_FAILURE() << "acknowledged but lost: " << key;
  }
  EXPECT_EQ(missing, 0);
  // The counter equals the number of bumps the audit trail records.
  EXPECT_EQ(Scalar(conn, "SELECT json_extract(data, '$.count') FROM instances WHERE id = 1"),
            Scalar(conn, "SELECT COUNT(*) FROM audit WHERE event = 'bump'"));
  sqlite3_close(conn);
}

TEST(Crash, EveryAcknowledgedCommandSurvivesSigkillExactlyOnce) {
  TempDir dir;
  const std::string db = dir.File("crash.db");
  {  // the user the child acts as
    auto store = db::SqliteStore::Open(db);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->Begin().ok());
    UserRecord u{"", "sec", "sec", "secretariat", "", {}, "x", false, 0, "", "en"};
    ASSERT_TRUE((*store)->InsertUser(u).ok());
    ASSERT_TRUE((*store)->Commit().ok());
  }
  std::mt19937 rng(20261125);
  std::vector<std::string> acknowledged;
  constexpr int kKills = 20;
  for (int round = 0; round < kKills; ++round) {
    Child child = Spawn(db, "r" + std::to_string(round));
    ASSERT_GT(child.pid, 0);
    std::string pending;
    std::vector<std::string> lines;
    // Kill after a random number of acknowledgements: a random moment of the run.
    ReadLines(child.out, &pending, &lines, std::uniform_int_distribution<size_t>(1, 400)(rng));
    kill(child.pid, SIGKILL);
    ReadLines(child.out, &pending, &lines, 0);  // acknowledgements already in the pipe
    close(child.out);
    int status = 0;
    waitpid(child.pid, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child ended on its own in round " << round;
    acknowledged.insert(acknowledged.end(), lines.begin(), lines.end());
    ExpectIntactAfterRestart(db, acknowledged, round);
    if (::testing::Test::HasFatalFailure()) return;
  }
  ASSERT_GT(acknowledged.size(), static_cast<size_t>(kKills));
}

}  // namespace
}  // namespace rsoflow::testing
