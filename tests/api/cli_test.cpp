// The rsoflow executable, run as a user would run it.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "db/migrations.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

struct CliRun {
  int code;
  std::string out;  // stdout and stderr
};

CliRun Rsoflow(const std::string& args, const std::string& stdin_text = "") {
  std::string cmd = "RSOFLOW_PBKDF2_ITERATIONS=1000 ";
  if (!stdin_text.empty()) cmd += "printf '%s\\n' '" + stdin_text + "' | ";
  cmd += std::string(RSOFLOW_BIN) + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  CliRun r{-1, ""};
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

TEST(Cli, HelpListsEveryCommandAndExitsZero) {
  CliRun r = Rsoflow("--help");
  EXPECT_EQ(r.code, 0);
  for (const char* c :
       {"serve", "migrate", "user add", "token create", "audit verify", "workflows diagram"}) {
    EXPECT_NE(r.out.find(c), std::string::npos) << c;
  }
  for (const char* c : {"serve", "migrate", "user", "token", "audit", "workflows"}) {
    EXPECT_EQ(Rsoflow(std::string(c) + " --help").code, 0) << c;
  }
}

TEST(Cli, UnknownCommandOrOptionExitsTwoWithUsage) {
  EXPECT_EQ(Rsoflow("frobnicate").code, 2);
  CliRun r = Rsoflow("migrate --colour red");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("unknown option --colour"), std::string::npos);
}

TEST(Cli, MigrateCreatesTheDatabase) {
  TempDir dir;
  CliRun r = Rsoflow("migrate --db " + dir.File("x.db"));
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("schema version " + std::to_string(db::Migrations().back().version)),
            std::string::npos)
      << r.out;
}

TEST(Cli, UserAddValidatesAndNamesTheBadField) {
  TempDir dir;
  const std::string db = " --db " + dir.File("x.db");
  CliRun bad = Rsoflow("user add liaison1 --role rso_liaison" + db);
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.out.find("rso_id"), std::string::npos);
  CliRun shortpw = Rsoflow("user add bob --role auditor --password-stdin" + db, "short");
  EXPECT_EQ(shortpw.code, 2);
  EXPECT_NE(shortpw.out.find("password"), std::string::npos);
  CliRun ok =
      Rsoflow("user add bob --role auditor --password-stdin" + db, "a long enough password");
  EXPECT_EQ(ok.code, 0) << ok.out;
  CliRun dup = Rsoflow("user add bob --role auditor" + db);
  EXPECT_EQ(dup.code, 2);
  EXPECT_NE(dup.out.find("duplicate"), std::string::npos);
}

TEST(Cli, TokenCreatePrintsATokenWhoseHashAloneIsStored) {
  TempDir dir;
  const std::string db = dir.File("x.db");
  ASSERT_EQ(Rsoflow("user add carol --role admin --db " + db).code, 0);
  CliRun r = Rsoflow("token create carol --expires-days 30 --db " + db);
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string token = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(token.size(), 43u);
  sqlite3* conn = nullptr;
  sqlite3_open(db.c_str(), &conn);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(conn, "SELECT token_hash, expires_at IS NOT NULL FROM tokens", -1, &s,
                     nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  const std::string stored = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  EXPECT_NE(stored, token);
  EXPECT_EQ(stored.size(), 64u);
  EXPECT_EQ(sqlite3_column_int(s, 1), 1);
  sqlite3_finalize(s);
  sqlite3_close(conn);
  EXPECT_EQ(Rsoflow("token create nobody --db " + db).code, 2);
}

TEST(Cli, AuditVerifyExitsZeroOnACleanChainAndOneNamingTheFirstBadSeq) {
  Harness h;
  Actor sec = h.AddUser("sec", "secretariat");
  auto r = h.Start("counter", sec, J("{}"));
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(h.Fire(r->instance.id, "bump", sec).ok());
  h.engine->Stop();
  CliRun clean = Rsoflow("audit verify --db " + h.db_path);
  EXPECT_EQ(clean.code, 0) << clean.out;
  EXPECT_NE(clean.out.find("5 entries"), std::string::npos);

  sqlite3* conn = nullptr;
  sqlite3_open(h.db_path.c_str(), &conn);
  sqlite3_exec(conn,
               "DROP TRIGGER audit_is_append_only_update; "
               "UPDATE audit SET to_state = 'done' WHERE seq = 3",
               nullptr, nullptr, nullptr);
  sqlite3_close(conn);
  CliRun broken = Rsoflow("audit verify --db " + h.db_path);
  EXPECT_EQ(broken.code, 1);
  EXPECT_NE(broken.out.find("seq 3"), std::string::npos) << broken.out;
}

TEST(Cli, WorkflowsDiagramRendersMermaidAndDot) {
  CliRun m = Rsoflow("workflows diagram council_ballot");
  EXPECT_EQ(m.code, 0);
  EXPECT_NE(m.out.find("open --> no_quorum : close"), std::string::npos) << m.out;
  CliRun d = Rsoflow("workflows diagram council_ballot --format dot");
  EXPECT_NE(d.out.find("digraph \"council_ballot\""), std::string::npos);
  EXPECT_EQ(Rsoflow("workflows diagram nope").code, 2);
  EXPECT_EQ(Rsoflow("workflows diagram council_ballot --format svg").code, 2);
}

}  // namespace
}  // namespace rsoflow::testing
