// Online backup (db/backup.h) of a database the engine keeps writing: the copy is one
// consistent snapshot whose audit chain verifies against the head the backup reports.
#include "db/backup.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

Command Bump(int64_t id, const Actor& actor, const std::string& key) {
  Command c;
  c.instance_id = id;
  c.event = "bump";
  c.actor = actor;
  c.idempotency_key = key;
  return c;
}

AuditVerifyResult VerifyCopy(const std::string& path, const AuditHead& head) {
  AuditVerifier verifier;
  verifier.ExpectHead(head);
  auto store = db::SqliteStore::OpenReadOnly(path);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  if (!store.ok()) return {};
  Status st = (*store)->ForEachAudit(0, [&](const AuditEntry& e) { return verifier.Add(e); });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return verifier.Finish();
}

TEST(OnlineBackup, ACopyTakenWhileCommandsCommitVerifiesAgainstTheHeadItReports) {
  Harness h;
  Actor sec = h.AddUser("sec", "secretariat");
  auto counter = h.Start("counter", sec, J("{}"));
  ASSERT_TRUE(counter.ok());
  const int64_t id = counter->instance.id;
  // Enough entries that the copy takes many steps of a few pages.
  for (int n = 0; n < 300; ++n)
    ASSERT_TRUE(h.engine->Execute(Bump(id, sec, "pre" + std::to_string(n))).ok());

  // Write load: one thread commits commands as fast as it can, and every step of the backup
  // waits for one more command of its own, so commits surely land between steps.
  std::atomic<bool> stop{false};
  std::atomic<int> committed{0};
  std::thread writer([&] {
    for (int n = 0; !stop; ++n) {
      if (h.engine->Execute(Bump(id, sec, "load" + std::to_string(n))).ok()) ++committed;
    }
  });
  int steps_with_a_commit = 0;
  db::BackupOptions options;
  options.pages_per_step = 2;
  options.after_step = [&](int, int) {
    while (committed == 0) std::this_thread::yield();  // the load thread is under way
    if (h.engine->Execute(Bump(id, sec, "step" + std::to_string(steps_with_a_commit))).ok()) {
      ++steps_with_a_commit;
    }
  };
  const std::string copy = h.dir.File("backup.db");
  auto report = db::Backup(h.db_path, copy, options);
  stop = true;
  writer.join();
  ASSERT_TRUE(report.ok()) << report.status().ToString();

  EXPECT_GT(report->steps, 10);
  EXPECT_EQ(steps_with_a_commit, report->steps);
  EXPECT_GT(committed.load(), 0);
  // The copy holds a prefix of the live chain: the head it reports, with the live entry's hash.
  EXPECT_GE(report->head.seq, 301);
  EXPECT_LT(report->head.seq, h.AuditCount());
  EXPECT_EQ(h.QueryText("SELECT hash FROM audit WHERE seq = " + std::to_string(report->head.seq)),
            report->head.hash);
  const AuditVerifyResult verdict = VerifyCopy(copy, report->head);
  EXPECT_TRUE(verdict.ok) << verdict.problem;
  EXPECT_EQ(verdict.entries, report->head.seq);
  EXPECT_EQ(QueryFile(copy, "PRAGMA integrity_check"), "ok");
  // Only the owner reads a backup; no temporary file is left beside it.
  struct stat st;
  ASSERT_EQ(stat(copy.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  for (const auto& entry : std::filesystem::directory_iterator(h.dir.path())) {
    EXPECT_EQ(entry.path().filename().string().find(".partial"), std::string::npos) << entry.path();
  }
}

TEST(OnlineBackup, AMissingDirectoryIsRefusedNamingTheTargetAndCreatesNothing) {
  Harness h;
  Actor sec = h.AddUser("sec", "secretariat");
  ASSERT_TRUE(h.Start("counter", sec, J("{}")).ok());
  auto report = db::Backup(h.db_path, h.dir.File("no/such/dir/backup.db"));
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.status().code(), Status::Code::kInvalidRequest);
  EXPECT_NE(report.status().message().find("no/such/dir/backup.db"), std::string::npos)
      << report.status().message();
  EXPECT_FALSE(std::filesystem::exists(h.dir.File("no")));
}

TEST(OnlineBackup, AFailedBackupLeavesAnEarlierBackupUnchanged) {
  TempDir dir;
  const std::string target = dir.File("backup.db");
  std::ofstream(target) << "the earlier backup";
  auto missing = db::Backup(dir.File("typo.db"), target);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), Status::Code::kNotFound);
  std::ofstream(dir.File("notes.txt")) << "not a database, but long enough to look like one?";
  EXPECT_FALSE(db::Backup(dir.File("notes.txt"), target).ok());
  std::ifstream in(target);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "the earlier backup");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()),
                          std::filesystem::directory_iterator()),
            2);
}

}  // namespace
}  // namespace rsoflow::testing
