// Tampering with the audit table directly in the SQLite file (triggers dropped, as an attacker
// with file access would): verification names the first bad seq for an edited field, a
// deleted entry, an inserted entry and two swapped entries.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

class AuditTamper : public ::testing::Test {
 protected:
  void SetUp() override {
    Actor sec = h.AddUser("sec", "secretariat");
    auto r = h.Start("counter", sec, J("{}"));
    ASSERT_TRUE(r.ok());
    for (int i = 0; i < 9; ++i) {
      ASSERT_TRUE(h.Fire(r->instance.id, "bump", sec, J("{}"), "bump " + std::to_string(i)).ok());
    }
    ASSERT_TRUE(h.VerifyAudit().ok);
    h.engine->Stop();
    Forge("DROP TRIGGER audit_is_append_only_update; DROP TRIGGER audit_is_append_only_delete;");
  }
  void Forge(const std::string& sql) {
    sqlite3* conn = nullptr;
    ASSERT_EQ(sqlite3_open(h.db_path.c_str(), &conn), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(conn);
  }
  Harness h;
};

TEST_F(AuditTamper, EditedFieldIsReportedAtItsSeq) {
  Forge("UPDATE audit SET comment = 'nothing to see' WHERE seq = 4");
  auto r = h.VerifyAudit();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.first_bad_seq, 4);
}

TEST_F(AuditTamper, EditedActorIsReportedAtItsSeq) {
  Forge("UPDATE audit SET actor_role = 'council' WHERE seq = 7");
  EXPECT_EQ(h.VerifyAudit().first_bad_seq, 7);
}

TEST_F(AuditTamper, DeletedEntryIsReportedAtTheMissingSeq) {
  Forge("DELETE FROM audit WHERE seq = 5");
  EXPECT_EQ(h.VerifyAudit().first_bad_seq, 5);
}

TEST_F(AuditTamper, InsertedEntryIsReported) {
  // Make room at seq 4 (renumbering from the top) and insert a copy of entry 3 there.
  Forge(
      "UPDATE audit SET seq = seq + 100 WHERE seq >= 4; UPDATE audit SET seq = seq - 99 WHERE "
      "seq >= 104; INSERT INTO audit SELECT 4, at, instance_id, workflow, workflow_version, "
      "event, from_state, to_state, actor_user_id, actor_username, actor_role, on_behalf_of, "
      "'inserted', data, request_id, idempotency_key, client_ip, hash, hash, salt, token_id, "
      "token_issued_by FROM audit "
      "WHERE seq = 3");
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM audit"), "11");
  EXPECT_EQ(h.VerifyAudit().first_bad_seq, 4);
}

TEST_F(AuditTamper, SwappedEntriesAreReportedAtTheFirstOfThem) {
  Forge(
      "UPDATE audit SET seq = 1000 WHERE seq = 6; UPDATE audit SET seq = 6 WHERE seq = 7; "
      "UPDATE audit SET seq = 7 WHERE seq = 1000");
  EXPECT_EQ(h.VerifyAudit().first_bad_seq, 6);
}

TEST_F(AuditTamper, UntouchedChainStillVerifiesAfterTheTriggersAreGone) {
  auto r = h.VerifyAudit();
  EXPECT_TRUE(r.ok);
  EXPECT_EQ(r.entries, 10);
}

}  // namespace
}  // namespace rsoflow::testing
