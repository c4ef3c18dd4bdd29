// `rsoflow backup` run as an operator runs it, beside a process that holds the database's
// writer lock and keeps committing (as `rsoflow serve` would), and the copy proven with
// `rsoflow audit verify --head`.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>

#include "tests/app/cli_run.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

TEST(BackupCommand, BacksUpUnderWriteLoadAndTheCopyVerifiesAgainstThePrintedHead) {
  Harness h;  // holds the writer lock, like a running server
  Actor sec = h.AddUser("sec", "secretariat");
  auto counter = h.Start("counter", sec, J("{}"));
  ASSERT_TRUE(counter.ok());
  for (int n = 0; n < 200; ++n) {
    Command c;
    c.instance_id = counter->instance.id;
    c.event = "bump";
    c.actor = sec;
    ASSERT_TRUE(h.engine->Execute(std::move(c)).ok());
  }
  std::atomic<bool> stop{false};
  std::atomic<int> committed{0};
  std::thread writer([&] {
    while (!stop) {
      Command c;
      c.instance_id = counter->instance.id;
      c.event = "bump";
      c.actor = sec;
      if (h.engine->Execute(std::move(c)).ok()) ++committed;
    }
  });
  const std::string copy = h.dir.File("rsoflow-backup.db");
  CliRun backup = Rsoflow("backup --db " + h.db_path + " --to " + copy);
  const int during = committed.load();
  stop = true;
  writer.join();
  ASSERT_EQ(backup.code, 0) << backup.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(backup.out, m, std::regex("head ([0-9]+):([0-9a-f]{64})")))
      << backup.out;
  const std::string head = m[1].str() + ":" + m[2].str();
  EXPECT_GE(std::stoll(m[1].str()), 202);
  EXPECT_GT(during, 0) << "no command committed while the backup ran";

  CliRun verify = Rsoflow("audit verify --db " + copy + " --head " + head);
  EXPECT_EQ(verify.code, 0) << verify.out;
  EXPECT_NE(verify.out.find("head seq " + m[1].str()), std::string::npos) << verify.out;
  struct stat st;
  ASSERT_EQ(stat(copy.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(BackupCommand, AMissingDirectoryFailsWithExitTwoAndAMessage) {
  Harness h;
  CliRun r = Rsoflow("backup --db " + h.db_path + " --to " + h.dir.File("nowhere/copy.db"));
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("cannot write the backup to " + h.dir.File("nowhere/copy.db")),
            std::string::npos)
      << r.out;
  EXPECT_FALSE(std::filesystem::exists(h.dir.File("nowhere")));
}

TEST(BackupCommand, RefusesAMissingDatabaseOrNoTargetWithExitTwo) {
  TempDir dir;
  CliRun missing = Rsoflow("backup --db " + dir.File("typo.db") + " --to " + dir.File("copy.db"));
  EXPECT_EQ(missing.code, 2) << missing.out;
  EXPECT_NE(missing.out.find("no database at"), std::string::npos) << missing.out;
  EXPECT_FALSE(std::filesystem::exists(dir.File("typo.db")));
  EXPECT_FALSE(std::filesystem::exists(dir.File("copy.db")));
  CliRun no_target = Rsoflow("backup --db " + dir.File("typo.db"));
  EXPECT_EQ(no_target.code, 2);
  EXPECT_NE(no_target.out.find("--to is required"), std::string::npos) << no_target.out;
  EXPECT_EQ(Rsoflow("backup --help").code, 0);
  EXPECT_NE(Rsoflow("--help").out.find("rsoflow backup --to FILE [--db PATH]"), std::string::npos);
}

}  // namespace
}  // namespace rsoflow::testing
