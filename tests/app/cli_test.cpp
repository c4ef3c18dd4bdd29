// The rsoflow executable, run as a user would run it.
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "db/migrations.h"
#include "engine/documents.h"
#include "tests/app/cli_run.h"
#include "tests/support/harness.h"

extern char** environ;

namespace rsoflow::testing {
namespace {

// A `rsoflow serve` process started through the shell (`env` is a prefix such as
// "RSOFLOW_DB=x"; RSOFLOW_DB, RSOFLOW_BIND and RSOFLOW_PORT are unset first). Start() returns
// once it printed "rsoflow serving ..." (ready: its database is open) or exited.
class ServeProcess {
 public:
  ServeProcess(const std::string& env, const std::string& args) {
    const std::string cmd =
        "unset RSOFLOW_DB RSOFLOW_BIND RSOFLOW_PORT RSOFLOW_CALLER_POLL_US "
        "RSOFLOW_MAX_POLLING_CALLERS RSOFLOW_WRITER_POLL_US; " +
        env + " exec " + RSOFLOW_BIN + " serve " + args + " 2>&1";
    int fds[2];
    if (pipe(fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::string sh = "/bin/sh", dash_c = "-c";
    char* argv[] = {sh.data(), dash_c.data(), const_cast<char*>(cmd.c_str()), nullptr};
    if (posix_spawn(&pid_, sh.c_str(), &actions, nullptr, argv, environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    out_ = fds[0];
    char buf[4096];
    while (output_.find("rsoflow serving") == std::string::npos ||
           output_.find('\n', output_.find("rsoflow serving")) == std::string::npos) {
      const ssize_t n = read(out_, buf, sizeof buf);
      if (n <= 0) break;  // it exited
      output_.append(buf, static_cast<size_t>(n));
    }
  }
  ~ServeProcess() { Kill(SIGKILL); }

  pid_t pid() const { return pid_; }
  bool serving() const { return output_.find("rsoflow serving") != std::string::npos; }
  // What it printed up to the "rsoflow serving" line (or up to its exit).
  const std::string& output() const { return output_; }
  // The line "rsoflow serving DB at http://ADDR:PORT".
  std::string ServingLine() const {
    const size_t at = output_.find("rsoflow serving");
    return at == std::string::npos ? "" : output_.substr(at, output_.find('\n', at) - at);
  }
  // Sends `sig` and waits for the process to end; its exit status.
  int Kill(int sig) {
    if (pid_ <= 0) return -1;
    kill(pid_, sig);
    if (out_ >= 0) close(out_);
    out_ = -1;
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  std::string output_;
};

TEST(Cli, HelpListsEveryCommandAndExitsZero) {
  CliRun r = Rsoflow("--help");
  EXPECT_EQ(r.code, 0);
  for (const char* c : {"serve", "migrate", "user add", "user disable", "user enable",
                        "user set-role", "token create", "audit verify", "workflows diagram"}) {
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

TEST(Cli, ACommandsHelpListsEachOfItsOptionsAndABadOneIsNamed) {
  CliRun serve = Rsoflow("serve --help", "", "2>/dev/null");
  EXPECT_EQ(serve.code, 0);
  for (const char* option : {"--db", "--bind", "--port", "--config", "--web-dir", "--help",
                             "RSOFLOW_MAX_CONNECTIONS_PER_ADDRESS", "council_min_voting_hours"}) {
    EXPECT_NE(serve.out.find(option), std::string::npos) << option;
  }
  CliRun user = Rsoflow("user --help", "", "2>/dev/null");
  for (const char* option : {"--role", "--rso", "--display-name", "--affiliated",
                             "--password-stdin", "set-role USERNAME ROLE"}) {
    EXPECT_NE(user.out.find(option), std::string::npos) << option;
  }
  // --help wins over what follows it; a bad option before it does not.
  EXPECT_EQ(Rsoflow("migrate --help --colour red").code, 0);
  EXPECT_EQ(Rsoflow("migrate --colour red --help").code, 2);
  // The command's help follows the error on standard error, and nothing goes to standard output.
  CliRun missing = Rsoflow("token create someone --name", "", "2>&1 >/dev/null");
  EXPECT_EQ(missing.code, 2);
  EXPECT_EQ(missing.out.rfind("rsoflow: --name needs a value\n", 0), 0u) << missing.out;
  EXPECT_NE(missing.out.find("--expires-days"), std::string::npos);
  EXPECT_EQ(Rsoflow("token create someone --name", "", "2>/dev/null").out, "");
  CliRun flag = Rsoflow("seed --if-empty=yes");
  EXPECT_EQ(flag.code, 2);
  EXPECT_NE(flag.out.find("--if-empty takes no value"), std::string::npos) << flag.out;
  // An option by its exact name only: no abbreviation, no other case, no ':' before a value.
  TempDir dir;
  for (const std::string inexact : {"--d ", "--DB ", "--db:"}) {
    CliRun r = Rsoflow("migrate " + inexact + dir.File("x.db"));
    EXPECT_EQ(r.code, 2) << inexact;
    EXPECT_NE(r.out.find("unknown option " + inexact.substr(0, inexact.find(' '))),
              std::string::npos)
        << r.out;
  }
  EXPECT_FALSE(std::filesystem::exists(dir.File("x.db")));
  CliRun stray = Rsoflow("backup -x");
  EXPECT_EQ(stray.code, 2);
  EXPECT_NE(stray.out.find("unknown option -x"), std::string::npos) << stray.out;
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

TEST(Cli, LogLinesGoToStandardErrorAndAnswersToStandardOutput) {
  TempDir dir;
  CliRun logs = Rsoflow("migrate --db " + dir.File("x.db"), "", "2>&1 >/dev/null");
  ASSERT_EQ(logs.code, 0) << logs.out;
  EXPECT_NE(logs.out.find("applied migration 0001"), std::string::npos) << logs.out;
  EXPECT_EQ(logs.out.find("schema version"), std::string::npos) << logs.out;
  // A fresh database: its migrations are logged, and standard output is the answer alone.
  const std::string db = dir.File("y.db");
  CliRun added = Rsoflow("user add carol --role admin --db " + db, "", "2>/dev/null");
  ASSERT_EQ(added.code, 0) << added.out;
  EXPECT_EQ(added.out.find("migration"), std::string::npos) << added.out;
  CliRun token = Rsoflow("token create carol --db " + db, "", "2>/dev/null");
  ASSERT_EQ(token.code, 0) << token.out;
  EXPECT_EQ(token.out.size(), 44u) << token.out;  // the token's 43 characters and a newline
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

// A chain of five audit entries (a creation and four events), the engine stopped so the
// command line may open the database.
void WriteFiveEntriesAndStop(Harness& h) {
  Actor sec = h.AddUser("sec", "secretariat");
  auto r = h.Start("counter", sec, J("{}"));
  ASSERT_TRUE(r.ok());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(h.Fire(r->instance.id, "bump", sec).ok());
  h.engine->Stop();
}

TEST(Cli, AuditVerifyExitsZeroOnACleanChainAndOneNamingTheFirstBadSeq) {
  Harness h;
  ASSERT_NO_FATAL_FAILURE(WriteFiveEntriesAndStop(h));
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

// --documents: every stored document's bytes hashed again against its audit entry; one byte
// changed in the database is named by the command line as by GET /audit/verify?documents=true.
TEST(Cli, AuditVerifyWithDocumentsNamesADocumentWhoseBytesChanged) {
  Harness h;
  Actor sec = h.AddUser("sec", "secretariat");
  auto r = h.Start("counter", sec, J("{}"));
  ASSERT_TRUE(r.ok());
  Command by;
  by.actor = sec;
  DocumentUpload upload;
  upload.instance_id = r->instance.id;
  upload.filename = "statute.txt";
  upload.media_type = "text/plain";
  upload.bytes = "Statute of ARSO";
  auto doc = AttachDocument(*h.engine, by, upload);
  ASSERT_TRUE(doc.ok()) << doc.status().message();
  h.engine->Stop();

  CliRun clean = Rsoflow("audit verify --documents --db " + h.db_path);
  EXPECT_EQ(clean.code, 0) << clean.out;
  EXPECT_NE(clean.out.find("documents ok: 1 checked"), std::string::npos) << clean.out;

  sqlite3* conn = nullptr;
  sqlite3_open(h.db_path.c_str(), &conn);
  const std::string sql =
      "UPDATE documents SET content = CAST('Statute of BRSO' AS BLOB) WHERE id = " +
      std::to_string(doc->id);
  ASSERT_EQ(sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(conn);
  // The chain alone still verifies; with --documents the changed document is named.
  EXPECT_EQ(Rsoflow("audit verify --db " + h.db_path).code, 0);
  CliRun caught = Rsoflow("audit verify --documents --db " + h.db_path);
  EXPECT_EQ(caught.code, 1) << caught.out;
  EXPECT_NE(caught.out.find("document " + std::to_string(doc->id)), std::string::npos)
      << caught.out;
}

// --head SEQ:HASH, as printed before: the last entry deleted, the chain still verifies on its
// own, but not against the earlier head.
TEST(Cli, AuditVerifyAgainstAnEarlierHeadCatchesATruncatedTail) {
  Harness h;
  ASSERT_NO_FATAL_FAILURE(WriteFiveEntriesAndStop(h));
  const std::string hash = h.QueryText("SELECT hash FROM audit WHERE seq = 5");
  ASSERT_EQ(hash.size(), 64u);
  EXPECT_EQ(Rsoflow("audit verify --db " + h.db_path + " --head 5:" + hash).code, 0);

  sqlite3* conn = nullptr;
  sqlite3_open(h.db_path.c_str(), &conn);
  sqlite3_exec(conn, "DROP TRIGGER audit_is_append_only_delete; DELETE FROM audit WHERE seq = 5",
               nullptr, nullptr, nullptr);
  sqlite3_close(conn);
  EXPECT_EQ(Rsoflow("audit verify --db " + h.db_path).code, 0);
  CliRun cut = Rsoflow("audit verify --db " + h.db_path + " --head 5:" + hash);
  EXPECT_EQ(cut.code, 1) << cut.out;
  EXPECT_NE(cut.out.find("BROKEN at seq 5"), std::string::npos) << cut.out;
  CliRun bad = Rsoflow("audit verify --db " + h.db_path + " --head 5");
  EXPECT_EQ(bad.code, 2) << bad.out;
}

// API.md: `--rso ACRONYM`. The acronym (any case) or the RSO's id is resolved to the id that is
// stored; an RSO that is not registered is refused and nothing is stored.
TEST(Cli, UserAddTakesRsosByAcronymOrIdAndRefusesUnknownOnes) {
  std::string db, arso, sarso;
  TempDir keep;
  {
    Harness h;
    const Actor sec = h.AddUser("sec", "secretariat");
    for (auto [acronym, id] : {std::pair{"ARSO", &arso}, std::pair{"SARSO", &sarso}}) {
      auto r = h.Start("rso_recognition", sec,
                       J(std::string(R"({"acronym": ")") + acronym +
                         R"(", "name": "A Standards Organization", "kind": "regional",
                             "region": "Africa", "member_bodies": ["KE", "GH"]})"));
      ASSERT_TRUE(r.ok()) << r.status().ToString();
      *id = r->instance.rso_id;
    }
    h.engine->Stop();
    h.engine.reset();
    h.store.reset();  // the CLI is the writer now
    db = keep.File("rsos.db");
    std::filesystem::copy_file(h.db_path, db);
  }
  const std::string on = " --db " + db;
  const std::string rso_of = "SELECT COALESCE(rso_id, '') || '|' || affiliated_rso_ids FROM users ";

  CliRun by_acronym = Rsoflow("user add liaison.arso --role rso_liaison --rso arso" + on);
  EXPECT_EQ(by_acronym.code, 0) << by_acronym.out;
  EXPECT_EQ(QueryFile(db, rso_of + "WHERE username = 'liaison.arso'"), arso + "|[]");
  CliRun by_id = Rsoflow("user add liaison.sarso --role rso_liaison --rso " + sarso + on);
  EXPECT_EQ(by_id.code, 0) << by_id.out;
  EXPECT_EQ(QueryFile(db, rso_of + "WHERE username = 'liaison.sarso'"), sarso + "|[]");
  CliRun affiliated =
      Rsoflow("user add council.kebs --role council --affiliated SARSO," + arso + on);
  EXPECT_EQ(affiliated.code, 0) << affiliated.out;
  EXPECT_EQ(QueryFile(db, rso_of + "WHERE username = 'council.kebs'"),
            "|[\"" + sarso + "\",\"" + arso + "\"]");

  CliRun unknown = Rsoflow("user add liaison.x --role rso_liaison --rso NOPE" + on);
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.out.find("--rso: no registered RSO has the acronym or id 'NOPE'"),
            std::string::npos)
      << unknown.out;
  CliRun unknown_id = Rsoflow("user add liaison.y --role rso_liaison --rso 999" + on);
  EXPECT_EQ(unknown_id.code, 2);
  CliRun unknown_aff = Rsoflow("user add council.x --role council --affiliated ARSO,NOPE" + on);
  EXPECT_EQ(unknown_aff.code, 2);
  EXPECT_NE(unknown_aff.out.find("--affiliated: no registered RSO"), std::string::npos)
      << unknown_aff.out;
  EXPECT_EQ(QueryFile(db,
                      "SELECT COUNT(*) FROM users WHERE username LIKE '%.x' OR username LIKE "
                      "'%.y'"),
            "0");
}

// The same accounts::UpdateUser as PATCH /api/v1/users/{id}: the same validation, tokens
// revoked with the disabling, and the last active admin kept.
TEST(Cli, UserDisableEnableAndSetRoleChangeTheUserAsTheApiWould) {
  std::string db, arso;
  TempDir keep;
  {
    Harness h;
    const Actor sec = h.AddUser("sec", "secretariat");
    auto r =
        h.Start("rso_recognition", sec, J(R"({"acronym": "ARSO", "name": "A Standards Organization",
                           "kind": "regional", "region": "Africa",
                           "member_bodies": ["KE", "GH"]})"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    arso = r->instance.rso_id;
    h.engine->Stop();
    h.engine.reset();
    h.store.reset();  // the CLI is the writer now
    db = keep.File("users.db");
    std::filesystem::copy_file(h.db_path, db);
  }
  const std::string on = " --db " + db;
  const std::string bob =
      "SELECT role || '|' || COALESCE(rso_id, '') || '|' || disabled "
      "FROM users WHERE username = 'bob'";
  const std::string live_tokens =
      "SELECT COUNT(*) FROM tokens WHERE revoked_at IS NULL AND user_id = "
      "(SELECT id FROM users WHERE username = 'bob')";
  ASSERT_EQ(Rsoflow("user add root --role admin" + on).code, 0);
  ASSERT_EQ(Rsoflow("user add bob --role auditor" + on).code, 0);
  ASSERT_EQ(Rsoflow("token create bob" + on).code, 0);
  ASSERT_EQ(QueryFile(db, live_tokens), "1");

  CliRun off = Rsoflow("user disable bob" + on);
  EXPECT_EQ(off.code, 0) << off.out;
  EXPECT_NE(off.out.find("disabled"), std::string::npos) << off.out;
  EXPECT_EQ(QueryFile(db, bob), "auditor||1");
  EXPECT_EQ(QueryFile(db, live_tokens), "0");
  CliRun on_again = Rsoflow("user enable bob" + on);
  EXPECT_EQ(on_again.code, 0) << on_again.out;
  EXPECT_EQ(QueryFile(db, bob), "auditor||0");
  EXPECT_EQ(QueryFile(db, live_tokens), "0");  // revoked tokens stay revoked

  CliRun liaison = Rsoflow("user set-role bob rso_liaison --rso arso" + on);
  EXPECT_EQ(liaison.code, 0) << liaison.out;
  EXPECT_EQ(QueryFile(db, bob), "rso_liaison|" + arso + "|0");
  CliRun council = Rsoflow("user set-role bob council" + on);
  EXPECT_EQ(council.code, 0) << council.out;
  EXPECT_EQ(QueryFile(db, bob), "council||0");  // a liaison no more: its RSO is dropped
  // Each is an entry of the audit chain (issue 17), by the system (the command line), with
  // the token's issuer "system" recorded on the token; the chain still verifies.
  EXPECT_EQ(QueryFile(db,
                      "SELECT group_concat(event || ':' || actor_username || ':' || "
                      "COALESCE(from_state, '') || '>' || to_state, ' ') FROM audit "
                      "WHERE workflow = 'accounts'"),
            "user_created:system:>enabled user_created:system:>enabled "
            "token_created:system:>live user_changed:system:enabled>disabled "
            "user_changed:system:disabled>enabled user_changed:system:enabled>enabled "
            "user_changed:system:enabled>enabled");
  EXPECT_EQ(QueryFile(db, "SELECT created_by FROM tokens"), "system");
  EXPECT_EQ(Rsoflow("audit verify" + on).code, 0);

  for (auto [args, expect] :
       {std::pair{"user set-role bob superuser", "role"},
        std::pair{"user set-role bob rso_liaison", "rso_id"},
        std::pair{"user set-role bob auditor --rso ARSO", "rso_id"},
        std::pair{"user set-role bob rso_liaison --rso NOPE", "--rso: no registered RSO"},
        std::pair{"user disable root", "at least one active admin"},
        std::pair{"user set-role root auditor", "at least one active admin"},
        std::pair{"user disable nobody", "no such user"},
        std::pair{"user disable", "expected: user disable USERNAME"},
        std::pair{"user set-role bob", "expected: user set-role USERNAME ROLE"},
        std::pair{"user disable bob --rso ARSO", "--rso is for set-role"},
        std::pair{"user enable bob --role admin", "--role is for user add"}}) {
    CliRun r = Rsoflow(std::string(args) + on);
    EXPECT_EQ(r.code, 2) << args << ": " << r.out;
    EXPECT_NE(r.out.find(expect), std::string::npos) << args << ": " << r.out;
  }
  EXPECT_EQ(QueryFile(db, bob), "council||0");
  EXPECT_EQ(QueryFile(db, "SELECT role || disabled FROM users WHERE username = 'root'"), "admin0");
  CliRun help = Rsoflow("user --help");
  EXPECT_EQ(help.code, 0);
  for (const char* c : {"user disable USERNAME", "user enable USERNAME",
                        "user set-role USERNAME ROLE [--rso ACRONYM]"}) {
    EXPECT_NE(help.out.find(c), std::string::npos) << c;
  }
}

// `audit verify` only reads: a mistyped path is an error (and is not created), so is a file
// that is not an rsoflow database, and an older schema is not migrated.
TEST(Cli, AuditVerifyRefusesAMissingOrForeignFileAndNeverWrites) {
  TempDir dir;
  CliRun missing = Rsoflow("audit verify --db " + dir.File("var/typo.db"));
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.out.find("no database at " + dir.File("var/typo.db")), std::string::npos)
      << missing.out;
  EXPECT_FALSE(std::filesystem::exists(dir.File("var")));

  { std::ofstream(dir.File("notes.txt")) << "meeting notes, not a database\n"; }
  CliRun garbage = Rsoflow("audit verify --db " + dir.File("notes.txt"));
  EXPECT_EQ(garbage.code, 2);
  EXPECT_NE(garbage.out.find("is not an rsoflow database"), std::string::npos) << garbage.out;
  EXPECT_EQ(std::filesystem::file_size(dir.File("notes.txt")), 30u);

  const std::string old = dir.File("old.db");
  sqlite3* conn = nullptr;
  ASSERT_EQ(sqlite3_open(old.c_str(), &conn), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(conn,
                         (std::string(db::Migrations()[0].sql) +
                          "; CREATE TABLE schema_version (version INTEGER NOT NULL);"
                          " INSERT INTO schema_version VALUES (1);")
                             .c_str(),
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(conn);
  CliRun clean = Rsoflow("audit verify --db " + old);
  EXPECT_EQ(clean.code, 0) << clean.out;
  EXPECT_NE(clean.out.find("0 entries"), std::string::npos) << clean.out;
  EXPECT_EQ(QueryFile(old, "SELECT MAX(version) FROM schema_version"), "1");  // not migrated
}

// DESIGN 3.2: one writing process per database. While `serve` runs, every other writing
// command is refused naming the server's pid; reading (audit verify) is not. A server killed
// with SIGKILL releases the database at once.
TEST(Cli, ASecondWriterIsRefusedWhileServeRunsAndAdmittedOnceItIsKilled) {
  TempDir dir;
  const std::string db = dir.File("one.db");
  {
    std::ofstream(dir.File("data.json")) << R"({"users": [{"username": "sec.amina",
                                                 "display_name": "A", "role": "secretariat"}]})";
  }
  ServeProcess server("", "--db " + db + " --port 0");
  ASSERT_TRUE(server.serving()) << server.output();
  const std::string held =
      "in use by another rsoflow process (pid " + std::to_string(server.pid()) + ")";
  const std::string on = " --db " + db;
  for (const std::string& command :
       {"migrate" + on, "user add sec.amina --role secretariat" + on, "token create sec.amina" + on,
        "seed --dataset " + dir.File("data.json") + on}) {
    CliRun r = Rsoflow(command);
    EXPECT_EQ(r.code, 2) << command << ": " << r.out;
    EXPECT_NE(r.out.find(held), std::string::npos) << command << ": " << r.out;
  }
  EXPECT_NE(Rsoflow("user add sec.amina --role secretariat" + on).out.find("POST /api/v1/users"),
            std::string::npos);
  ServeProcess second("", "--db " + db + " --port 0");
  EXPECT_FALSE(second.serving());
  EXPECT_NE(second.output().find(held), std::string::npos) << second.output();
  EXPECT_EQ(Rsoflow("audit verify" + on).code, 0);
  EXPECT_EQ(QueryFile(db, "SELECT COUNT(*) FROM users"), "0");

  const int status = server.Kill(SIGKILL);
  EXPECT_TRUE(WIFSIGNALED(status));
  CliRun after = Rsoflow("user add sec.amina --role secretariat" + on);
  EXPECT_EQ(after.code, 0) << after.out;
}

// API.md / OPERATIONS.md: defaults < config file < environment < flags.
TEST(Cli, ServeSettingsRiseFromDefaultsThroughConfigAndEnvironmentToFlags) {
  TempDir dir;
  // The config file's port is out of range: serving at all shows that the environment won.
  { std::ofstream(dir.File("serve.conf")) << "db=" << dir.File("config.db") << "\nport=99999\n"; }
  { std::ofstream(dir.File("port0.conf")) << "db=" << dir.File("config.db") << "\nport=0\n"; }
  const std::string env = "RSOFLOW_DB=" + dir.File("env.db") + " RSOFLOW_PORT=0";
  {
    ServeProcess config_only("", "--config " + dir.File("port0.conf"));
    EXPECT_NE(config_only.ServingLine().find("serving " + dir.File("config.db") + " at"),
              std::string::npos)
        << config_only.output();
  }
  {
    ServeProcess env_over_config(env, "--config " + dir.File("serve.conf"));
    EXPECT_NE(env_over_config.ServingLine().find("serving " + dir.File("env.db") + " at"),
              std::string::npos)
        << env_over_config.output();
  }
  {
    ServeProcess flag_over_env(env,
                               "--config " + dir.File("serve.conf") + " --db " + dir.File("f.db"));
    EXPECT_NE(flag_over_env.ServingLine().find("serving " + dir.File("f.db") + " at"),
              std::string::npos)
        << flag_over_env.output();
  }
}

// A misspelt or repeated key in serve's config file is refused with its line, so a setting
// is never ignored without a word; blanks around keys and values do not count.
TEST(Cli, ServeRefusesAConfigFileWithAnUnknownOrRepeatedKey) {
  TempDir dir;
  const std::string db = " --db " + dir.File("c.db");
  { std::ofstream(dir.File("typo.conf")) << "# settings\nport=0\nprot = 9090\n"; }
  { std::ofstream(dir.File("twice.conf")) << "port=0\nbind=127.0.0.1\nport=1\n"; }
  {
    ServeProcess typo("", "--config " + dir.File("typo.conf") + db);
    EXPECT_FALSE(typo.serving());
    EXPECT_NE(typo.output().find(dir.File("typo.conf") + ":3: unknown key 'prot' (known: db,"),
              std::string::npos)
        << typo.output();
  }
  {
    ServeProcess twice("", "--config " + dir.File("twice.conf") + db);
    EXPECT_FALSE(twice.serving());
    EXPECT_NE(twice.output().find(dir.File("twice.conf") + ":3: key 'port' is given twice"),
              std::string::npos)
        << twice.output();
  }
  { std::ofstream(dir.File("empty.conf")) << "port=0\ndb =  # none\n"; }
  {
    ServeProcess empty("", "--config " + dir.File("empty.conf"));
    EXPECT_FALSE(empty.serving());
    EXPECT_NE(empty.output().find(dir.File("empty.conf") + ":2: key 'db' has no value"),
              std::string::npos)
        << empty.output();
  }
  EXPECT_FALSE(std::filesystem::exists(dir.File("c.db")));  // refused before opening anything
  { std::ofstream(dir.File("blanks.conf")) << "  port = 0   # ephemeral\n\tbind\t=\t127.0.0.1\n"; }
  ServeProcess blanks("", "--config " + dir.File("blanks.conf") + db);
  EXPECT_NE(blanks.ServingLine().find(" at http://127.0.0.1:"), std::string::npos)
      << blanks.output();
}

// The Council floors may be raised but a setting below a majority or a day is refused at
// start-up (issue 17, finding 3), before the database is opened.
TEST(Cli, ServeRefusesCouncilFloorsBelowAMajorityOrADay) {
  TempDir dir;
  const std::string args = "--port 0 --db " + dir.File("f.db");
  for (const char* conf :
       {"council_min_quorum=0.4\n", "council_min_quorum=0\n", "council_min_quorum=nan\n",
        "council_min_voting_hours=23\n", "council_min_voting_hours=0\n"}) {
    { std::ofstream(dir.File("floors.conf")) << conf; }
    ServeProcess refused("", args + " --config " + dir.File("floors.conf"));
    EXPECT_FALSE(refused.serving()) << conf;
    EXPECT_NE(refused.output().find("council_min_"), std::string::npos) << refused.output();
  }
  EXPECT_FALSE(std::filesystem::exists(dir.File("f.db")));
  {
    std::ofstream(dir.File("raised.conf"))
        << "council_min_quorum=0.6\ncouncil_min_voting_hours=96\n";
  }
  ServeProcess raised("", args + " --config " + dir.File("raised.conf"));
  EXPECT_TRUE(raised.serving()) << raised.output();
}

// The connection limits of issue 17, finding 4: zero or nonsense refused, naming the
// setting; sensible values taken (and logged at start).
TEST(Cli, ServeTakesConnectionLimitsAndRefusesNonsense) {
  TempDir dir;
  const std::string args = "--port 0 --db " + dir.File("c.db");
  for (const char* conf : {"keep_alive_timeout=0\n", "request_timeout=0\n", "max_connections=0\n",
                           "max_connections_per_address=-1\n", "request_timeout=ten\n"}) {
    { std::ofstream(dir.File("limits.conf")) << conf; }
    ServeProcess refused("", args + " --config " + dir.File("limits.conf"));
    EXPECT_FALSE(refused.serving()) << conf;
    const std::string key = std::string(conf).substr(0, std::string(conf).find('='));
    EXPECT_NE(refused.output().find(key), std::string::npos) << refused.output();
  }
  {
    std::ofstream(dir.File("ok.conf")) << "keep_alive_timeout=2\nrequest_timeout=30\n"
                                          "max_connections=100\nmax_connections_per_address=0\n";
  }
  ServeProcess taken("", args + " --config " + dir.File("ok.conf"));
  EXPECT_TRUE(taken.serving()) << taken.output();
}

int ModeOf(const std::string& file) {
  struct stat st;
  return stat(file.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 0777) : -1;
}

// Issue 17, finding 7: every command that creates the database makes it 0600 and its missing
// directories 0700 under the usual umask 022; serve warns about a file others may read.
TEST(Cli, CommandsCreateTheDatabasePrivateAndServeWarnsWhenItIsNot) {
  const mode_t old_umask = umask(022);
  TempDir dir;
  const std::string migrated = dir.File("m/var/x.db");
  EXPECT_EQ(Rsoflow("migrate --db " + migrated).code, 0);
  const std::string added = dir.File("u/var/x.db");
  CliRun user =
      Rsoflow("user add bob --role auditor --password-stdin --db " + added, "a long password");
  EXPECT_EQ(user.code, 0) << user.out;
  for (const std::string& db : {migrated, added}) {
    EXPECT_EQ(ModeOf(db), 0600) << db;
    EXPECT_EQ(ModeOf(db + ".lock"), 0600) << db;
    const std::string var = std::filesystem::path(db).parent_path().string();
    EXPECT_EQ(ModeOf(var), 0700) << var;
    EXPECT_EQ(ModeOf(std::filesystem::path(var).parent_path().string()), 0700) << var;
  }
  {
    ServeProcess quiet("", "--port 0 --db " + migrated);
    ASSERT_TRUE(quiet.serving()) << quiet.output();
    EXPECT_EQ(quiet.output().find("readable"), std::string::npos) << quiet.output();
  }
  chmod(migrated.c_str(), 0644);
  ServeProcess warned("", "--port 0 --db " + migrated);
  ASSERT_TRUE(warned.serving()) << warned.output();
  EXPECT_NE(warned.output().find(migrated + " is readable or writable by group or others (mode "
                                            "644)"),
            std::string::npos)
      << warned.output();
  umask(old_umask);
}

// The polling settings (OPERATIONS.md, "Threads") reach the engine, which says so at
// start-up; the environment overrides the config file; a value out of range is refused.
TEST(Cli, ServePassesThePollingSettingsToTheEngine) {
  TempDir dir;
  const std::string args = "--port 0 --db " + dir.File("p.db");
  {
    ServeProcess defaults("", args);
    EXPECT_NE(defaults.output().find("short waits: a caller polls up to 1000 us for its answer "
                                     "(at most 1 at once), the writer up to 100 us"),
              std::string::npos)
        << defaults.output();
  }
  { std::ofstream(dir.File("poll.conf")) << "caller_poll_us=250\nmax_polling_callers=4\n"; }
  {
    ServeProcess tuned("RSOFLOW_WRITER_POLL_US=0 RSOFLOW_MAX_POLLING_CALLERS=2",
                       args + " --config " + dir.File("poll.conf"));
    EXPECT_NE(tuned.output().find("a caller polls up to 250 us for its answer (at most 2 at "
                                  "once), the writer up to 0 us"),
              std::string::npos)
        << tuned.output();
  }
  ServeProcess refused("RSOFLOW_CALLER_POLL_US=-1", args);
  EXPECT_FALSE(refused.serving());
  EXPECT_NE(refused.output().find(
                "caller_poll_us (RSOFLOW_CALLER_POLL_US) must be a number from 0 to 100000"),
            std::string::npos)
      << refused.output();
  { std::ofstream(dir.File("many.conf")) << "max_polling_callers=65\n"; }
  ServeProcess too_many("", args + " --config " + dir.File("many.conf"));
  EXPECT_FALSE(too_many.serving());
  EXPECT_NE(too_many.output().find(
                "max_polling_callers (RSOFLOW_MAX_POLLING_CALLERS) must be a number from 0 to 64"),
            std::string::npos)
      << too_many.output();
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
