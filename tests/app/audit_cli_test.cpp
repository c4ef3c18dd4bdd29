// `rsoflow audit verify --from checkpoint` (issue 21): the routine check of the command line
// walks only the entries after the checkpoint the server recorded, still checks that entry,
// and records nothing itself.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "tests/app/cli_run.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

// Runs SQL on its own connection, as someone with the file would.
void Forge(const std::string& db, const std::string& sql) {
  sqlite3* conn = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &conn), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(conn);
}

// Five entries (a creation and four events); with `checkpoint_seq`, the server's writer
// records entry checkpoint_seq as verified, as GET /audit/verify does after a good full walk.
// The engine is stopped so the command line may open the database.
void WriteFiveEntries(Harness& h, int64_t checkpoint_seq) {
  Actor sec = h.AddUser("sec", "secretariat");
  auto r = h.Start("counter", sec, J("{}"));
  ASSERT_TRUE(r.ok());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(h.Fire(r->instance.id, "bump", sec).ok());
  ASSERT_GE(h.AuditCount(), 5);
  if (checkpoint_seq > 0) {
    const AuditHead head{checkpoint_seq, h.QueryText("SELECT hash FROM audit WHERE seq = " +
                                                     std::to_string(checkpoint_seq))};
    auto saved = h.engine
                     ->SubmitJob([head](Store& s) -> Result<Json> {
                       RSOFLOW_RETURN_IF_ERROR(s.SaveAuditCheckpoint(head, 1));
                       return Json();
                     })
                     .get();
    ASSERT_TRUE(saved.ok()) << saved.status().message();
  }
  h.engine->Stop();
  Forge(h.db_path,
        "DROP TRIGGER audit_is_append_only_update; DROP TRIGGER audit_is_append_only_delete;");
}

std::string Head(Harness& h) { return h.QueryText("SELECT MAX(seq) FROM audit"); }

TEST(AuditVerifyCommand, FromTheCheckpointWalksOnlyTheEntriesAfterItAndRecordsNothing) {
  Harness h;
  ASSERT_NO_FATAL_FAILURE(WriteFiveEntries(h, 3));
  const std::string head = Head(h);
  const int64_t after = std::stoll(head) - 3;
  CliRun routine = Rsoflow("audit verify --from checkpoint --db " + h.db_path);
  EXPECT_EQ(routine.code, 0) << routine.out;
  EXPECT_NE(routine.out.find("ok from the checkpoint at seq 3: " + std::to_string(after) +
                             " entries after it, head seq " + head),
            std::string::npos)
      << routine.out;
  // The default is still the whole chain, which a change before the checkpoint breaks; the
  // routine check leaves that to it.
  CliRun full = Rsoflow("audit verify --db " + h.db_path);
  EXPECT_EQ(full.code, 0) << full.out;
  EXPECT_NE(full.out.find("audit chain ok: " + head + " entries"), std::string::npos) << full.out;
  Forge(h.db_path, "UPDATE audit SET comment = 'rewritten' WHERE seq = 2");
  EXPECT_EQ(Rsoflow("audit verify --from checkpoint --db " + h.db_path).code, 0);
  CliRun caught = Rsoflow("audit verify --from genesis --db " + h.db_path);
  EXPECT_EQ(caught.code, 1) << caught.out;
  EXPECT_NE(caught.out.find("BROKEN at seq 2"), std::string::npos) << caught.out;
  // Read only: the good walks above moved no checkpoint.
  EXPECT_EQ(h.QueryText("SELECT seq FROM audit_checkpoint"), "3");
}

TEST(AuditVerifyCommand, FromTheCheckpointFindsAnEntryChangedAfterIt) {
  Harness h;
  ASSERT_NO_FATAL_FAILURE(WriteFiveEntries(h, 3));
  Forge(h.db_path, "UPDATE audit SET actor_role = 'council' WHERE seq = 4");
  CliRun caught = Rsoflow("audit verify --from checkpoint --db " + h.db_path);
  EXPECT_EQ(caught.code, 1) << caught.out;
  EXPECT_NE(caught.out.find("BROKEN at seq 4: hash does not match"), std::string::npos)
      << caught.out;
}

// A tail cut back past the checkpoint (its own entry gone) is not an empty, good walk.
TEST(AuditVerifyCommand, FromTheCheckpointFindsTheCheckpointsOwnEntryGone) {
  Harness h;
  ASSERT_NO_FATAL_FAILURE(WriteFiveEntries(h, 3));
  Forge(h.db_path, "DELETE FROM audit WHERE seq >= 3");
  CliRun caught = Rsoflow("audit verify --from checkpoint --db " + h.db_path);
  EXPECT_EQ(caught.code, 1) << caught.out;
  EXPECT_NE(caught.out.find("BROKEN at seq 3: entry 3 no longer holds the hash"), std::string::npos)
      << caught.out;
}

TEST(AuditVerifyCommand, WithNoCheckpointYetItSaysSoAndVerifiesTheWholeChain) {
  Harness h;
  ASSERT_NO_FATAL_FAILURE(WriteFiveEntries(h, 0));
  CliRun r = Rsoflow("audit verify --from checkpoint --db " + h.db_path);
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("no checkpoint recorded yet"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("audit chain ok: " + Head(h) + " entries"), std::string::npos) << r.out;
}

TEST(AuditVerifyCommand, AFromOtherThanGenesisOrCheckpointIsRefusedWithTheUsage) {
  Harness h;
  ASSERT_NO_FATAL_FAILURE(WriteFiveEntries(h, 3));
  for (const char* from : {"yesterday", "3", "Checkpoint", "''"}) {
    CliRun bad = Rsoflow(std::string("audit verify --from ") + from + " --db " + h.db_path);
    EXPECT_EQ(bad.code, 2) << from << ": " << bad.out;
    EXPECT_NE(bad.out.find("--from is genesis"), std::string::npos) << bad.out;
    EXPECT_NE(bad.out.find("audit verify [--db PATH]"), std::string::npos) << bad.out;
  }
}

}  // namespace
}  // namespace rsoflow::testing
