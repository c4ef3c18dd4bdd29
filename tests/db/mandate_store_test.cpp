// The SQLite MandateStore (migration 0010): mandates are found by either user, by the day they
// are in force, and are never deleted: a revoked one keeps its row with revoked_at.
#include <gtest/gtest.h>

#include "db/sqlite_store.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

Mandate MandateOf(const std::string& from, const std::string& to, const std::string& starts,
                  const std::string& ends) {
  Mandate m;
  m.from_user_id = from;
  m.to_user_id = to;
  m.starts_on = starts;
  m.ends_on = ends;
  m.workflows = {"council_ballot"};
  m.reason = "leave";
  m.created_by = from;
  m.created_at = kT0;
  return m;
}

std::vector<int64_t> Ids(const Result<std::vector<Mandate>>& found) {
  std::vector<int64_t> ids;
  if (found.ok()) {
    for (const Mandate& m : *found) ids.push_back(m.id);
  }
  return ids;
}

TEST(MandateStore, FindsMandatesByEitherUserAndByTheDayTheyAreInForce) {
  TempDir dir;
  auto store = db::SqliteStore::Open(dir.File("m.db"));
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  db::SqliteStore& s = **store;
  ASSERT_TRUE(s.Begin().ok());
  auto march = s.InsertMandate(MandateOf("1", "2", "2026-03-01", "2026-03-10"));
  auto april = s.InsertMandate(MandateOf("3", "1", "2026-04-01", "2026-04-30"));
  ASSERT_TRUE(march.ok() && april.ok());
  ASSERT_TRUE(s.Commit().ok());

  auto read = s.GetMandate(*march);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->workflows, std::vector<std::string>{"council_ballot"});
  EXPECT_EQ(read->reason, "leave");
  EXPECT_FALSE(read->revoked_at.has_value());
  EXPECT_TRUE(read->Covers("council_ballot", "2026-03-10"));
  EXPECT_FALSE(read->Covers("momentum_plan", "2026-03-05"));
  EXPECT_FALSE(read->Covers("council_ballot", "2026-03-11"));

  MandateQuery by_user;
  by_user.user_id = "1";
  EXPECT_EQ(Ids(s.ListMandates(by_user)), (std::vector<int64_t>{*march, *april}));
  MandateQuery received;
  received.to_user_id = "1";
  EXPECT_EQ(Ids(s.ListMandates(received)), std::vector<int64_t>{*april});
  MandateQuery in_force;
  in_force.active_on = "2026-03-05";
  EXPECT_EQ(Ids(s.ListMandates(in_force)), std::vector<int64_t>{*march});

  ASSERT_TRUE(s.Begin().ok());
  ASSERT_TRUE(s.RevokeMandate(*march, kT0 + 1000).ok());
  ASSERT_TRUE(s.RevokeMandate(*march, kT0 + 9000).ok());  // the first revocation stays
  ASSERT_TRUE(s.Commit().ok());
  EXPECT_TRUE(Ids(s.ListMandates(in_force)).empty());
  auto revoked = s.GetMandate(*march);
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->revoked_at, kT0 + 1000);
  MandateQuery live;
  live.user_id = "1";
  live.live_only = true;
  EXPECT_EQ(Ids(s.ListMandates(live)), std::vector<int64_t>{*april});
  EXPECT_EQ(s.GetMandate(999).status().code(), Status::Code::kNotFound);
}

TEST(MandateStore, RefusesAMandateToOneselfOrEndingBeforeItStarts) {
  TempDir dir;
  auto store = db::SqliteStore::Open(dir.File("m.db"));
  ASSERT_TRUE(store.ok());
  db::SqliteStore& s = **store;
  ASSERT_TRUE(s.Begin().ok());
  EXPECT_FALSE(s.InsertMandate(MandateOf("1", "1", "2026-03-01", "2026-03-02")).ok());
  ASSERT_TRUE(s.Rollback().ok());
  ASSERT_TRUE(s.Begin().ok());
  EXPECT_FALSE(s.InsertMandate(MandateOf("1", "2", "2026-03-02", "2026-03-01")).ok());
  ASSERT_TRUE(s.Rollback().ok());
}

}  // namespace
}  // namespace rsoflow::testing
