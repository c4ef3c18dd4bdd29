// The register of resolutions as ballots use it (DESIGN 8, API.md 1.1 "Council resolutions"):
// a ballot closing approved or rejected takes the next free number of its year in the register
// and records itself there in the same transaction; no_quorum and cancelled take none.
#include <gtest/gtest.h>

#include <future>
#include <set>
#include <string>
#include <vector>

#include "engine/clock.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

constexpr int64_t kDeadline = kT0 + 14 * kMsPerDay;  // 2026-03-16T09:00:00Z

class ResolutionRegister : public ::testing::Test {
 protected:
  void SetUp() override {
    sec = h.AddUser("sec", role::kSecretariat);
    for (int i = 1; i <= 3; ++i) council.push_back(h.AddUser("c" + std::to_string(i), role::kCouncil));
  }

  int64_t NewBallot() {
    auto r = h.Start("council_ballot", sec,
                     J(R"({"title":"Budget","question":"Q?","deadline":"2026-03-16T09:00:00Z"})"));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->instance.id : 0;
  }

  Result<CommandResult> Vote(int64_t id, size_t member, const std::string& choice) {
    Json d = Json::MakeObject();
    d.Set("choice", choice);
    return h.Fire(id, "vote", council[member], d);
  }

  void VoteAll(int64_t id, const std::string& choice) {
    for (size_t i = 0; i < council.size(); ++i) ASSERT_TRUE(Vote(id, i, choice).ok());
  }

  // A decision taken in session, recorded directly in the register (the writer side).
  void RecordInSession(int64_t ordinal, int year) {
    Resolution r;
    r.ordinal = ordinal;
    r.year = year;
    r.number = std::to_string(ordinal) + "/" + std::to_string(year);
    r.decided_on = std::to_string(year) + "-01-15";
    r.title = "In session";
    r.outcome = "approved";
    r.source = "session";
    r.recorded_at = kT0;
    r.recorded_by = sec.user_id;
    auto done = h.engine
                    ->SubmitJob([r](Store& store) -> Result<Json> {
                      RSOFLOW_RETURN_IF_ERROR(store.InsertResolution(r));
                      return Json();
                    })
                    .get();
    ASSERT_TRUE(done.ok()) << done.status().ToString();
  }

  std::vector<Resolution> Register() {
    auto all = h.store->ListResolutions(ResolutionQuery{});
    EXPECT_TRUE(all.ok()) << all.status().ToString();
    return all.ok() ? *all : std::vector<Resolution>{};
  }

  std::string ResolutionOf(int64_t id) {
    const Json d = h.Load(id).data;
    return d.Get("resolution") != nullptr && d.Get("resolution")->is_string()
               ? d.GetString("resolution")
               : "";
  }

  Harness h;
  Actor sec;
  std::vector<Actor> council;
};

TEST_F(ResolutionRegister, AnApprovedBallotIsRecordedInTheRegisterWithItsNumber) {
  const int64_t id = NewBallot();
  VoteAll(id, "approve");
  EXPECT_EQ(ResolutionOf(id), "01/2026");
  const auto reg = Register();
  ASSERT_EQ(reg.size(), 1u);
  EXPECT_EQ(reg[0].number, "01/2026");
  EXPECT_EQ(reg[0].year, 2026);
  EXPECT_EQ(reg[0].source, "ballot");
  EXPECT_EQ(reg[0].outcome, "approved");
  EXPECT_EQ(reg[0].ballot_id, id);
  EXPECT_EQ(reg[0].title, "Budget");
  EXPECT_EQ(reg[0].decided_on, "2026-03-02");
}

TEST_F(ResolutionRegister, ARejectedBallotIsAResolutionToo) {
  const int64_t id = NewBallot();
  VoteAll(id, "reject");
  EXPECT_EQ(h.Load(id).state, "rejected");
  const auto reg = Register();
  ASSERT_EQ(reg.size(), 1u);
  EXPECT_EQ(reg[0].outcome, "rejected");
  EXPECT_EQ(reg[0].number, ResolutionOf(id));
}

TEST_F(ResolutionRegister, ABallotWithoutQuorumTakesNoNumber) {
  const int64_t id = NewBallot();
  h.clock.Set(kDeadline + 1);
  auto closed = h.Fire(id, "close", sec);
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  EXPECT_EQ(closed->instance.state, "no_quorum");
  EXPECT_EQ(ResolutionOf(id), "");
  EXPECT_TRUE(Register().empty());

  h.clock.Set(kT0);
  const int64_t next = NewBallot();
  VoteAll(next, "approve");
  EXPECT_EQ(ResolutionOf(next), "01/2026");  // the no_quorum ballot used no number
}

TEST_F(ResolutionRegister, ACancelledBallotTakesNoNumber) {
  const int64_t id = NewBallot();
  ASSERT_TRUE(h.Fire(id, "cancel", sec, Json::MakeObject(), "mistake").ok());
  EXPECT_TRUE(Register().empty());
}

TEST_F(ResolutionRegister, ABallotTakesTheNumberAfterTheHighestTakenInSession) {
  RecordInSession(39, 2026);
  const int64_t id = NewBallot();
  VoteAll(id, "approve");
  EXPECT_EQ(ResolutionOf(id), "40/2026");
  EXPECT_EQ(Register().size(), 2u);
}

TEST_F(ResolutionRegister, ASessionNumberOfAnotherYearDoesNotMoveThisYearsNumbers) {
  RecordInSession(39, 2025);
  const int64_t id = NewBallot();
  VoteAll(id, "approve");
  EXPECT_EQ(ResolutionOf(id), "01/2026");
}

TEST_F(ResolutionRegister, NumbersMintedBeforeTheRegisterAreNotReused) {
  // A database from before migration 0007 numbered ballots with a per-year counter.
  auto raised = h.engine
                    ->SubmitJob([this](Store&) -> Result<Json> {
                      RSOFLOW_RETURN_IF_ERROR(h.store->RaiseCounter("resolution/2026", 7));
                      return Json();
                    })
                    .get();
  ASSERT_TRUE(raised.ok());
  const int64_t id = NewBallot();
  VoteAll(id, "approve");
  EXPECT_EQ(ResolutionOf(id), "08/2026");
}

TEST_F(ResolutionRegister, BallotsClosingInOneBatchGetDistinctConsecutiveNumbers) {
  constexpr int kBallots = 32;
  std::vector<int64_t> ids;
  for (int i = 0; i < kBallots; ++i) {
    ids.push_back(NewBallot());
    ASSERT_TRUE(Vote(ids.back(), 0, "approve").ok());
    ASSERT_TRUE(Vote(ids.back(), 1, "approve").ok());
  }
  // The last votes all at once: the writer takes them in as few batches as it can.
  std::vector<std::future<Result<CommandResult>>> last;
  for (int64_t id : ids) {
    Command c;
    c.instance_id = id;
    c.event = "vote";
    c.actor = council[2];
    c.data = J(R"({"choice":"approve"})");
    last.push_back(h.engine->Submit(std::move(c)));
  }
  for (auto& f : last) ASSERT_TRUE(f.get().ok());
  std::set<std::string> numbers;
  for (int64_t id : ids) numbers.insert(ResolutionOf(id));
  ASSERT_EQ(numbers.size(), static_cast<size_t>(kBallots));
  EXPECT_EQ(*numbers.begin(), "01/2026");
  EXPECT_EQ(*numbers.rbegin(), "32/2026");
  EXPECT_EQ(Register().size(), static_cast<size_t>(kBallots));
}

}  // namespace
}  // namespace rsoflow::testing
