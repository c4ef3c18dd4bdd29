// VerifyStoredAudit (engine/audit_walk.h) on a long stored chain: many pages read and hashed on
// several threads give the verdict of one thread walking page after page, and a change in the
// middle (past the first pages and the first round of threads) is named at its seq.
#include "engine/audit_walk.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "db/sqlite_store.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

constexpr int kEntries = 2500;
constexpr int kPage = 64;  // 40 pages: every thread count below holds many pages at once

class AuditWalk : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = db::SqliteStore::Open(dir.File("walk.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    store = std::move(opened).value();
    // Entries as the engine writes them: salted, some with a token, data of several shapes.
    ASSERT_TRUE(store->Begin().ok());
    std::string prev = kGenesisHash;
    for (int i = 1; i <= kEntries; ++i) {
      AuditEntry e;
      e.seq = i;
      e.at = 1772442000000 + 1000 * i;
      e.instance_id = 1 + i / 10;
      e.workflow = "council_ballot";
      e.event = i % 10 == 1 ? "create" : "vote";
      e.from_state = i % 10 == 1 ? "" : "open";
      e.to_state = "open";
      e.actor_user_id = std::to_string(i % 7);
      e.actor_username = "council.member" + std::to_string(i % 7);
      e.actor_role = "council";
      e.comment = i % 3 == 0 ? "" : "comment \"" + std::to_string(i) + "\"\n";
      e.data.Set("choice", i % 2 ? "approve" : "reject");
      if (i % 5 == 0) e.data.Set("n", i);
      e.request_id = "req-" + std::to_string(i);
      e.salt = std::string(32, "0123456789abcdef"[i % 16]);
      if (i % 4 == 0) {
        e.token_id = std::to_string(i);
        e.token_issued_by = "7";
      }
      e.prev_hash = prev;
      e.hash = audit::ComputeHash(e);
      prev = e.hash;
      heads.push_back(AuditHead{e.seq, e.hash});
      ASSERT_TRUE(store->AppendAudit(e).ok());
    }
    ASSERT_TRUE(store->Commit().ok());
    Forge("DROP TRIGGER audit_is_append_only_update; DROP TRIGGER audit_is_append_only_delete;");
  }
  void Forge(const std::string& sql) {
    sqlite3* conn = nullptr;
    ASSERT_EQ(sqlite3_open(dir.File("walk.db").c_str(), &conn), SQLITE_OK);
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(conn);
  }
  // The verdict of one AuditVerifier fed entry by entry (the walk before issue 21).
  AuditVerifyResult OneByOne(const AuditHead& start = AuditHead{}) {
    AuditVerifier v;
    v.StartAfter(start);
    EXPECT_TRUE(store->ForEachAudit(start.seq, [&](const AuditEntry& e) { return v.Add(e); }).ok());
    return v.Finish();
  }
  // Every way of walking (threads, page sizes) gives `expected`.
  void ExpectEveryWalkGives(const AuditVerifyResult& expected, AuditWalkOptions o = {}) {
    for (int threads : {0, 1, 2, 4}) {
      for (int page : {kPage, 1000, 4096}) {
        o.threads = threads;
        o.page = page;
        auto r = VerifyStoredAudit(*store, o);
        ASSERT_TRUE(r.ok()) << r.status().message();
        const std::string how =
            std::to_string(threads) + " threads, pages of " + std::to_string(page);
        EXPECT_EQ(r->ok, expected.ok) << how;
        EXPECT_EQ(r->entries, expected.entries) << how;
        EXPECT_EQ(r->head.seq, expected.head.seq) << how;
        EXPECT_EQ(r->head.hash, expected.head.hash) << how;
        EXPECT_EQ(r->first_bad_seq, expected.first_bad_seq) << how;
        EXPECT_EQ(r->problem, expected.problem) << how;
      }
    }
  }

  TempDir dir;
  std::unique_ptr<db::SqliteStore> store;
  std::vector<AuditHead> heads;  // heads[i]: entry i + 1
};

TEST_F(AuditWalk, ALongIntactChainVerifiesTheSameOnOneThreadAndOnSeveral) {
  const AuditVerifyResult one = OneByOne();
  ASSERT_TRUE(one.ok);
  EXPECT_EQ(one.entries, kEntries);
  EXPECT_EQ(one.head.hash, heads.back().hash);
  ExpectEveryWalkGives(one);
}

TEST_F(AuditWalk, AFieldChangedInTheMiddleIsNamedAtItsSeqByEveryWalk) {
  Forge("UPDATE audit SET comment = 'nothing to see' WHERE seq = 1733");
  const AuditVerifyResult one = OneByOne();
  EXPECT_FALSE(one.ok);
  EXPECT_EQ(one.first_bad_seq, 1733);
  EXPECT_EQ(one.problem, "hash does not match the entry's content");
  EXPECT_EQ(one.head.seq, 1732);
  ExpectEveryWalkGives(one);
}

// A stored hash changed breaks its own entry; a stored prev_hash changed, its link.
TEST_F(AuditWalk, AStoredHashOrLinkChangedIsNamedAtItsEntry) {
  Forge("UPDATE audit SET hash = '" + std::string(64, 'a') + "' WHERE seq = 1200");
  const AuditVerifyResult one = OneByOne();
  EXPECT_EQ(one.first_bad_seq, 1200);
  ExpectEveryWalkGives(one);
  Forge("UPDATE audit SET hash = '" + heads[1199].hash + "' WHERE seq = 1200; " +
        "UPDATE audit SET prev_hash = '" + std::string(64, 'b') + "' WHERE seq = 1201");
  const AuditVerifyResult link = OneByOne();
  EXPECT_EQ(link.first_bad_seq, 1201);
  EXPECT_EQ(link.problem, "prev_hash does not link to the entry before");
  ExpectEveryWalkGives(link);
}

// A deleted entry shifts every later page of the parallel walk; the gap is named all the same.
TEST_F(AuditWalk, AnEntryDeletedInTheMiddleIsNamedAsMissingByEveryWalk) {
  Forge("DELETE FROM audit WHERE seq = 1500");
  const AuditVerifyResult one = OneByOne();
  EXPECT_EQ(one.first_bad_seq, 1500);
  EXPECT_EQ(one.problem, "entry 1500 is missing");
  ExpectEveryWalkGives(one);
}

// An entry moved far past the end leaves a gap; no walk reads its way through the seqs between.
TEST_F(AuditWalk, AnEntryMovedFarAwayIsNamedAtTheGapItLeft) {
  Forge("UPDATE audit SET seq = 900000000000000 WHERE seq = 2000");
  const AuditVerifyResult one = OneByOne();
  EXPECT_EQ(one.first_bad_seq, 2000);
  ExpectEveryWalkGives(one);
}

TEST_F(AuditWalk, ATailCutOffIsNamedAgainstAnEarlierHead) {
  Forge("DELETE FROM audit WHERE seq > 2300");
  AuditWalkOptions o;
  o.expected_head = heads.back();
  auto r = VerifyStoredAudit(*store, o);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->ok);
  EXPECT_EQ(r->first_bad_seq, 2301);
  AuditVerifier v;
  v.ExpectHead(heads.back());
  ASSERT_TRUE(store->ForEachAudit(0, [&](const AuditEntry& e) { return v.Add(e); }).ok());
  ExpectEveryWalkGives(v.Finish(), o);
}

// From a checkpoint: only the entries after it are walked (a change before it is the full
// walk's to find), a change after it is named, and so is the checkpoint's own entry rewritten.
TEST_F(AuditWalk, FromACheckpointOnlyTheEntriesAfterItAreWalked) {
  AuditWalkOptions o;
  o.start = heads[999];
  Forge("UPDATE audit SET comment = 'before' WHERE seq = 700");
  AuditVerifyResult after = OneByOne(heads[999]);
  EXPECT_TRUE(after.ok);
  EXPECT_EQ(after.entries, kEntries - 1000);
  ExpectEveryWalkGives(after, o);

  Forge("UPDATE audit SET comment = 'after' WHERE seq = 2222");
  after = OneByOne(heads[999]);
  EXPECT_EQ(after.first_bad_seq, 2222);
  ExpectEveryWalkGives(after, o);

  Forge("UPDATE audit SET hash = '" + std::string(64, 'c') + "' WHERE seq = 1000");
  auto own = VerifyStoredAudit(*store, o);
  ASSERT_TRUE(own.ok());
  EXPECT_FALSE(own->ok);
  EXPECT_EQ(own->first_bad_seq, 1000);
  EXPECT_EQ(own->problem,
            "entry 1000 no longer holds the hash the last verification recorded for it");
}

}  // namespace
}  // namespace rsoflow::testing
