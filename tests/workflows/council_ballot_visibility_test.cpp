// Ballot secrecy as the council_ballot workflow states it (workflows/council_ballot/
// visibility.cpp), over hand-built ballots and audit entries: what each role reads of an
// audit entry while the ballot is open and once it has closed, whether a liaison reads the
// ballot as created, and when a Council member's ballot leaves its inbox. No engine, no
// database; tests/api/ballot_secrecy_test.cpp holds the same promises end to end.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "tests/support/harness.h"
#include "workflows/council_ballot/workflow.h"

namespace rsoflow::council_ballot {
namespace {

using rsoflow::testing::J;

Actor Viewer(const std::string& role, const std::string& user_id = "") {
  Actor a;
  a.user_id = user_id;
  a.username = user_id.empty() ? role : "user" + user_id;
  a.role = role;
  if (role == role::kLiaison) a.rso_id = "7";
  return a;
}

// A ballot of RSO 7 whose electorate is 11, 12 and 13 (13 excluded), 11 has voted.
Instance Ballot(const std::string& state) {
  Instance b;
  b.id = 5;
  b.workflow = "council_ballot";
  b.state = state;
  b.rso_id = "7";
  b.version = 4;
  b.created_at = 1000;
  b.updated_at = 9000;
  b.data = J(R"({"title":"Recognise RSO 7","electorate":["11","12","13"],"excluded":["13"],
                 "recused":[],"votes":{"11":{"choice":"approve","at":"2026-03-02T09:00:00Z"}},
                 "outcome":null,"resolution":null})");
  if (state != "open") {
    b.data.Set("outcome", "approved");
    b.data.Set("resolution", "CR 12/2026");
  }
  return b;
}

// Member 11's vote on ballot 5.
AuditEntry Vote() {
  AuditEntry e;
  e.seq = 3;
  e.instance_id = 5;
  e.workflow = "council_ballot";
  e.event = "vote";
  e.from_state = "open";
  e.to_state = "open";
  e.actor_user_id = "11";
  e.actor_username = "user11";
  e.actor_role = role::kCouncil;
  e.comment = "for the record";
  e.data = J(R"({"choice":"approve"})");
  e.request_id = "r-3";
  return e;
}

class CouncilBallotVisibility : public ::testing::Test {
 protected:
  std::optional<AuditEntryView> Read(const AuditEntry& e, const std::string& state,
                                     const Actor& viewer) {
    const Instance ballot = Ballot(state);
    return wf.ReadAuditEntry(e, &ballot, viewer);
  }

  CouncilBallotWorkflow wf;
};

TEST_F(CouncilBallotVisibility, AnotherMembersVoteOnAnOpenBallotReadsToACouncilMemberAsAVoteCast) {
  auto v = Read(Vote(), "open", Viewer(role::kCouncil, "12"));
  ASSERT_TRUE(v.has_value());
  EXPECT_TRUE(v->redacted);
  EXPECT_TRUE(v->actor_hidden);  // how many voted, not who
  EXPECT_EQ(v->entry.data.Dump(), "{}");
  EXPECT_EQ(v->entry.comment, "");
  EXPECT_EQ(v->entry.request_id, "");
  EXPECT_EQ(v->entry.event, "vote");
}

TEST_F(CouncilBallotVisibility, TheSecretariatSeesWhoVotedOnAnOpenBallotButNotHow) {
  auto v = Read(Vote(), "open", Viewer(role::kSecretariat, "2"));
  ASSERT_TRUE(v.has_value());
  EXPECT_TRUE(v->redacted);
  EXPECT_FALSE(v->actor_hidden);
  EXPECT_EQ(v->entry.actor_user_id, "11");
  EXPECT_EQ(v->entry.data.Dump(), "{}");
  EXPECT_EQ(v->entry.comment, "");
}

TEST_F(CouncilBallotVisibility, ACouncilMemberReadsItsOwnVoteInFull) {
  auto v = Read(Vote(), "open", Viewer(role::kCouncil, "11"));
  ASSERT_TRUE(v.has_value());
  EXPECT_FALSE(v->redacted);
  EXPECT_EQ(v->entry.data.GetString("choice"), "approve");
  EXPECT_EQ(v->entry.comment, "for the record");
}

TEST_F(CouncilBallotVisibility, OnceTheBallotHasClosedTheCouncilAndSecretariatReadEveryVote) {
  for (const Actor& viewer : {Viewer(role::kCouncil, "12"), Viewer(role::kSecretariat, "2")}) {
    auto v = Read(Vote(), "approved", viewer);
    ASSERT_TRUE(v.has_value()) << viewer.role;
    EXPECT_FALSE(v->redacted) << viewer.role;
    EXPECT_EQ(v->entry.data.GetString("choice"), "approve") << viewer.role;
  }
}

TEST_F(CouncilBallotVisibility, TheAuditorReadsEveryVoteOfAnOpenBallot) {
  auto v = Read(Vote(), "open", Viewer(role::kAuditor, "4"));
  ASSERT_TRUE(v.has_value());
  EXPECT_FALSE(v->redacted);
  EXPECT_EQ(v->entry.data.GetString("choice"), "approve");
  EXPECT_EQ(v->entry.request_id, "r-3");
}

TEST_F(CouncilBallotVisibility, ALiaisonReadsNothingThatLeavesTheBallotOpen) {
  EXPECT_FALSE(Read(Vote(), "open", Viewer(role::kLiaison, "9")).has_value());
  EXPECT_FALSE(Read(Vote(), "approved", Viewer(role::kLiaison, "9")).has_value());
}

TEST_F(CouncilBallotVisibility, ALiaisonReadsTheClosingEntryAsOutcomeAndResolutionOnly) {
  AuditEntry close = Vote();
  close.event = "close";
  close.to_state = "approved";
  close.data = J(R"({"tally":{"approve":1,"reject":0}})");
  auto v = Read(close, "approved", Viewer(role::kLiaison, "9"));
  ASSERT_TRUE(v.has_value());
  EXPECT_TRUE(v->redacted);
  EXPECT_EQ(v->entry.data.Dump(), R"({"outcome":"approved","resolution":"CR 12/2026"})");
  EXPECT_EQ(v->entry.comment, "");
  EXPECT_EQ(v->entry.request_id, "");
}

TEST_F(CouncilBallotVisibility, TheVotesOfAnOpenBallotImportedWithThemReadAsHidden) {
  AuditEntry import = Vote();
  import.event = "import";
  import.from_state = "";
  import.data =
      J(R"({"imported_state":"open","imported_data":{"votes":{"11":"approve"},"basis":"x"}})");
  auto v = Read(import, "open", Viewer(role::kCouncil, "12"));
  ASSERT_TRUE(v.has_value());
  EXPECT_TRUE(v->redacted);
  EXPECT_EQ(v->entry.data.Dump(), R"({"imported_data":{"basis":"x"},"imported_state":"open"})");
}

TEST_F(CouncilBallotVisibility, ALiaisonReadsAnOpenBallotAsCreatedAndAClosedOneAsItIs) {
  const Actor liaison = Viewer(role::kLiaison, "9");
  EXPECT_TRUE(wf.ReadsAsCreated(Ballot("open"), liaison));
  EXPECT_FALSE(wf.ReadsAsCreated(Ballot("approved"), liaison));
  EXPECT_FALSE(wf.ReadsAsCreated(Ballot("open"), Viewer(role::kCouncil, "12")));
}

TEST_F(CouncilBallotVisibility, ALiaisonReadsTheTitleOutcomeAndResolutionOfTheBallotOnly) {
  Json v = wf.View(Ballot("approved"), Viewer(role::kLiaison, "9"));
  EXPECT_EQ(v.Dump(),
            R"({"outcome":"approved","resolution":"CR 12/2026","title":"Recognise RSO 7"})");
}

TEST_F(CouncilBallotVisibility, ABallotIsDoneForAMemberWhoVotedOrCannotVoteAndWaitsForTheOthers) {
  const Instance open = Ballot("open");
  EXPECT_TRUE(wf.DoneFor(open, Viewer(role::kCouncil, "11")));   // voted
  EXPECT_FALSE(wf.DoneFor(open, Viewer(role::kCouncil, "12")));  // yet to vote
  EXPECT_TRUE(wf.DoneFor(open, Viewer(role::kCouncil, "13")));   // excluded
  EXPECT_TRUE(wf.DoneFor(open, Viewer(role::kCouncil, "14")));   // outside the electorate
  Instance recused = open;
  recused.data.Set("recused", J(R"(["12"])"));
  EXPECT_TRUE(wf.DoneFor(recused, Viewer(role::kCouncil, "12")));
  EXPECT_FALSE(wf.DoneFor(open, Viewer(role::kSecretariat, "2")));
}

}  // namespace
}  // namespace rsoflow::council_ballot
