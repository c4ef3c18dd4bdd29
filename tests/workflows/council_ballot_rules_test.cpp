// Council ballot rules (DESIGN 4.2) as pure functions over hand-built Ballot structs:
// eligibility, quorum, thresholds, outcome, vote and recusal checks, resolution numbers and
// creation data validation. No engine, no database.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "engine/clock.h"
#include "tests/support/harness.h"
#include "workflows/council_ballot/rules.h"

namespace rsoflow::council_ballot {
namespace {

using rsoflow::testing::J;
using rsoflow::testing::kT0;

constexpr int64_t kDeadline = kT0 + 14 * kMsPerDay;  // 2026-03-16T09:00:00Z

// A ballot whose electorate is u1..un, open until kDeadline.
Ballot WithElectorate(int n) {
  Ballot b;
  for (int i = 1; i <= n; ++i) b.electorate.push_back("u" + std::to_string(i));
  b.deadline = kDeadline;
  return b;
}

// Casts `choices[i]` for u(i+1); an empty string skips that member.
void Cast(Ballot& b, const std::vector<std::string>& choices) {
  for (size_t i = 0; i < choices.size(); ++i) {
    if (!choices[i].empty()) b.votes["u" + std::to_string(i + 1)] = choices[i];
  }
}

bool HasReason(const Status& s, const std::string& reason) {
  return std::find(s.reasons().begin(), s.reasons().end(), reason) != s.reasons().end();
}

bool HasField(const Status& s, const std::string& field) {
  return std::find(s.fields().begin(), s.fields().end(), field) != s.fields().end();
}

Json CreateData(const std::string& extra_members = "") {
  return J(R"({"title":"T","question":"Q?","deadline":"2026-03-16T09:00:00Z")" + extra_members +
           "}");
}

// ---- eligibility ----

TEST(CouncilBallotRules, EligibleIsTheElectorateMinusExcludedAndRecused) {
  Ballot b = WithElectorate(5);
  b.excluded = {"u2"};
  b.recused = {"u4"};
  EXPECT_EQ(Eligible(b), (std::vector<std::string>{"u1", "u3", "u5"}));
}

TEST(CouncilBallotRules, EligibleIsEmptyWhenEveryoneIsExcludedOrRecused) {
  Ballot b = WithElectorate(2);
  b.excluded = {"u1"};
  b.recused = {"u2"};
  EXPECT_TRUE(Eligible(b).empty());
  EXPECT_FALSE(QuorumMet(b));
  EXPECT_FALSE(AllEligibleVoted(b));
}

TEST(CouncilBallotRules, CountIgnoresVotesOfMembersWhoAreNotEligible) {
  Ballot b = WithElectorate(3);
  b.excluded = {"u1"};
  Cast(b, {"approve", "reject", "abstain"});
  b.votes["stranger"] = "approve";
  const Tally t = Count(b);
  EXPECT_EQ(t.approve, 0);
  EXPECT_EQ(t.reject, 1);
  EXPECT_EQ(t.abstain, 1);
  EXPECT_EQ(t.cast(), 2);
}

// ---- quorum ----

TEST(CouncilBallotRules, QuorumIsStrictTwoOfFourIsNotMet) {
  Ballot b = WithElectorate(4);
  Cast(b, {"approve", "approve"});
  EXPECT_FALSE(QuorumMet(b));
}

TEST(CouncilBallotRules, QuorumThreeOfFiveIsMet) {
  Ballot b = WithElectorate(5);
  Cast(b, {"approve", "reject", "approve"});
  EXPECT_TRUE(QuorumMet(b));
}

TEST(CouncilBallotRules, QuorumTwoOfFiveIsNotMet) {
  Ballot b = WithElectorate(5);
  Cast(b, {"approve", "approve"});
  EXPECT_FALSE(QuorumMet(b));
}

TEST(CouncilBallotRules, AbstentionsCountTowardQuorum) {
  Ballot b = WithElectorate(5);
  Cast(b, {"abstain", "abstain", "abstain"});
  EXPECT_TRUE(QuorumMet(b));
}

TEST(CouncilBallotRules, RecusedReviewersLeaveTheDenominator) {
  Ballot b = WithElectorate(5);
  Cast(b, {"approve", "approve"});
  EXPECT_FALSE(QuorumMet(b));  // 2 of 5
  b.recused = {"u4", "u5"};
  EXPECT_TRUE(QuorumMet(b));  // 2 of 3 > 1.5
}

TEST(CouncilBallotRules, ExcludedReviewersLeaveTheDenominator) {
  Ballot b = WithElectorate(5);
  b.excluded = {"u4", "u5"};
  Cast(b, {"approve", "approve"});
  EXPECT_TRUE(QuorumMet(b));
}

TEST(CouncilBallotRules, QuorumUsesTheBallotsFraction) {
  Ballot b = WithElectorate(4);
  Cast(b, {"approve", "approve", "approve"});
  b.quorum = 0.75;
  EXPECT_FALSE(QuorumMet(b));  // 3 > 3 is false
  b.quorum = 0.7;
  EXPECT_TRUE(QuorumMet(b));
}

TEST(CouncilBallotRules, QuorumZeroNeedsAtLeastOneVote) {
  Ballot b = WithElectorate(4);
  b.quorum = 0;
  EXPECT_FALSE(QuorumMet(b));
  Cast(b, {"abstain"});
  EXPECT_TRUE(QuorumMet(b));
}

// ---- thresholds ----

TEST(CouncilBallotRules, SimpleMajorityNeedsMoreApprovalsThanRejections) {
  Ballot b = WithElectorate(5);
  Cast(b, {"approve", "approve", "reject", "abstain", "abstain"});
  EXPECT_TRUE(ThresholdMet(b));
}

TEST(CouncilBallotRules, SimpleMajorityTieIsNotMet) {
  Ballot b = WithElectorate(5);
  Cast(b, {"approve", "approve", "reject", "reject", "abstain"});
  EXPECT_FALSE(ThresholdMet(b));
}

TEST(CouncilBallotRules, SimpleMajorityWithOnlyAbstentionsIsNotMet) {
  Ballot b = WithElectorate(3);
  Cast(b, {"abstain", "abstain", "abstain"});
  EXPECT_FALSE(ThresholdMet(b));
}

TEST(CouncilBallotRules, TwoThirdsIsMetByTwoApprovalsToOneRejection) {
  Ballot b = WithElectorate(3);
  b.threshold = Threshold::kTwoThirds;
  Cast(b, {"approve", "approve", "reject"});
  EXPECT_TRUE(ThresholdMet(b));
}

TEST(CouncilBallotRules, TwoThirdsIsNotMetByOneApprovalToOneRejection) {
  Ballot b = WithElectorate(2);
  b.threshold = Threshold::kTwoThirds;
  Cast(b, {"approve", "reject"});
  EXPECT_FALSE(ThresholdMet(b));
}

TEST(CouncilBallotRules, TwoThirdsIsNotMetByThreeApprovalsToTwoRejections) {
  Ballot b = WithElectorate(5);
  b.threshold = Threshold::kTwoThirds;
  Cast(b, {"approve", "approve", "approve", "reject", "reject"});
  EXPECT_FALSE(ThresholdMet(b));
}

TEST(CouncilBallotRules, TwoThirdsIgnoresAbstentions) {
  Ballot b = WithElectorate(8);
  b.threshold = Threshold::kTwoThirds;
  Cast(b, {"approve", "approve", "reject", "abstain", "abstain", "abstain", "abstain", "abstain"});
  EXPECT_TRUE(ThresholdMet(b));
}

TEST(CouncilBallotRules, TwoThirdsWithNoApprovalsAndNoRejectionsIsNotMet) {
  Ballot b = WithElectorate(3);
  b.threshold = Threshold::kTwoThirds;
  EXPECT_FALSE(ThresholdMet(b));
  Cast(b, {"abstain", "abstain", "abstain"});
  EXPECT_FALSE(ThresholdMet(b));
}

TEST(CouncilBallotRules, UnanimousIsMetByApprovalsWithAnAbstention) {
  Ballot b = WithElectorate(4);
  b.threshold = Threshold::kUnanimous;
  Cast(b, {"approve", "approve", "approve", "abstain"});
  EXPECT_TRUE(ThresholdMet(b));
}

TEST(CouncilBallotRules, UnanimousFailsOnAnyRejection) {
  Ballot b = WithElectorate(5);
  b.threshold = Threshold::kUnanimous;
  Cast(b, {"approve", "approve", "approve", "approve", "reject"});
  EXPECT_FALSE(ThresholdMet(b));
}

TEST(CouncilBallotRules, UnanimousFailsWhenEveryoneAbstains) {
  Ballot b = WithElectorate(3);
  b.threshold = Threshold::kUnanimous;
  Cast(b, {"abstain", "abstain", "abstain"});
  EXPECT_FALSE(ThresholdMet(b));
}

TEST(CouncilBallotRules, ThresholdNamesRoundTrip) {
  for (Threshold t : {Threshold::kSimpleMajority, Threshold::kTwoThirds, Threshold::kUnanimous}) {
    Threshold parsed = Threshold::kSimpleMajority;
    ASSERT_TRUE(ParseThreshold(ThresholdName(t), &parsed)) << ThresholdName(t);
    EXPECT_EQ(parsed, t);
  }
  EXPECT_STREQ(ThresholdName(Threshold::kSimpleMajority), "simple_majority");
  EXPECT_STREQ(ThresholdName(Threshold::kTwoThirds), "two_thirds");
  EXPECT_STREQ(ThresholdName(Threshold::kUnanimous), "unanimous");
  Threshold untouched = Threshold::kUnanimous;
  EXPECT_FALSE(ParseThreshold("majority", &untouched));
  EXPECT_EQ(untouched, Threshold::kUnanimous);
}

// ---- outcome and closability ----

TEST(CouncilBallotRules, OutcomeIsNoQuorumWhenQuorumIsNotMet) {
  Ballot b = WithElectorate(5);
  Cast(b, {"approve", "approve"});
  EXPECT_EQ(Outcome(b), "no_quorum");
}

TEST(CouncilBallotRules, OutcomeIsApprovedWhenQuorumAndThresholdAreMet) {
  Ballot b = WithElectorate(5);
  Cast(b, {"approve", "approve", "reject"});
  EXPECT_EQ(Outcome(b), "approved");
}

TEST(CouncilBallotRules, OutcomeIsRejectedWhenQuorumIsMetButThresholdIsNot) {
  Ballot b = WithElectorate(5);
  Cast(b, {"approve", "reject", "reject"});
  EXPECT_EQ(Outcome(b), "rejected");
}

TEST(CouncilBallotRules, OutcomeOfATieIsRejected) {
  Ballot b = WithElectorate(4);
  Cast(b, {"approve", "approve", "reject", "reject"});
  EXPECT_EQ(Outcome(b), "rejected");
}

TEST(CouncilBallotRules, AllEligibleVotedIgnoresExcludedAndRecused) {
  Ballot b = WithElectorate(4);
  b.excluded = {"u3"};
  b.recused = {"u4"};
  Cast(b, {"approve"});
  EXPECT_FALSE(AllEligibleVoted(b));
  Cast(b, {"", "abstain"});
  EXPECT_TRUE(AllEligibleVoted(b));
}

TEST(CouncilBallotRules, ClosableAfterTheDeadlineOrWhenEveryoneVoted) {
  Ballot b = WithElectorate(2);
  EXPECT_FALSE(Closable(b, kDeadline - 1));
  EXPECT_TRUE(Closable(b, kDeadline));
  Cast(b, {"approve", "reject"});
  EXPECT_TRUE(Closable(b, kDeadline - 1));
}

// ---- vote and recusal checks ----

TEST(CouncilBallotRules, CheckVoteAcceptsAnEligibleMemberBeforeTheDeadline) {
  const Ballot b = WithElectorate(3);
  EXPECT_TRUE(CheckVote(b, "u1", kT0).ok());
}

TEST(CouncilBallotRules, CheckVoteForbidsSomeoneOutsideTheElectorate) {
  const Ballot b = WithElectorate(3);
  EXPECT_EQ(CheckVote(b, "u9", kT0).code(), Status::Code::kForbidden);
}

TEST(CouncilBallotRules, CheckVoteRefusesAnExcludedMemberAsConflictOfInterest) {
  Ballot b = WithElectorate(3);
  b.excluded = {"u2"};
  EXPECT_EQ(CheckVote(b, "u2", kT0).code(), Status::Code::kConflictOfInterest);
}

TEST(CouncilBallotRules, CheckVoteRefusesARecusedMemberAsConflictOfInterest) {
  Ballot b = WithElectorate(3);
  b.recused = {"u3"};
  EXPECT_EQ(CheckVote(b, "u3", kT0).code(), Status::Code::kConflictOfInterest);
}

TEST(CouncilBallotRules, CheckVoteRefusesASecondVoteAsAlreadyVoted) {
  Ballot b = WithElectorate(3);
  Cast(b, {"approve"});
  EXPECT_EQ(CheckVote(b, "u1", kT0).code(), Status::Code::kAlreadyVoted);
}

TEST(CouncilBallotRules, CheckVoteRefusesAfterTheDeadlineAsGuardFailed) {
  const Ballot b = WithElectorate(3);
  const Status at = CheckVote(b, "u1", kDeadline);
  EXPECT_EQ(at.code(), Status::Code::kGuardFailed);
  EXPECT_TRUE(HasReason(at, "the voting deadline has passed")) << at.ToString();
  EXPECT_EQ(CheckVote(b, "u1", kDeadline + 1).code(), Status::Code::kGuardFailed);
  EXPECT_TRUE(CheckVote(b, "u1", kDeadline - 1).ok());
}

TEST(CouncilBallotRules, CheckRecuseAcceptsAnEligibleMemberWhoHasNotVoted) {
  const Ballot b = WithElectorate(3);
  EXPECT_TRUE(CheckRecuse(b, "u2").ok());
}

TEST(CouncilBallotRules, CheckRecuseForbidsSomeoneOutsideTheElectorate) {
  const Ballot b = WithElectorate(3);
  EXPECT_EQ(CheckRecuse(b, "u9").code(), Status::Code::kForbidden);
}

TEST(CouncilBallotRules, CheckRecuseRefusesAfterVoting) {
  Ballot b = WithElectorate(3);
  Cast(b, {"approve"});
  const Status s = CheckRecuse(b, "u1");
  EXPECT_EQ(s.code(), Status::Code::kGuardFailed);
  EXPECT_TRUE(HasReason(s, "already voted")) << s.ToString();
}

TEST(CouncilBallotRules, CheckRecuseRefusesASecondRecusal) {
  Ballot b = WithElectorate(3);
  b.recused = {"u1"};
  const Status s = CheckRecuse(b, "u1");
  EXPECT_EQ(s.code(), Status::Code::kGuardFailed);
  EXPECT_TRUE(HasReason(s, "already recused")) << s.ToString();
}

TEST(CouncilBallotRules, CheckRecuseRefusesAnExcludedMember) {
  Ballot b = WithElectorate(3);
  b.excluded = {"u1"};
  EXPECT_EQ(CheckRecuse(b, "u1").code(), Status::Code::kGuardFailed);
}

// ---- resolution numbers ----

TEST(CouncilBallotRules, FormatResolutionPadsToTwoDigits) {
  EXPECT_EQ(FormatResolution(1, 2026), "01/2026");
  EXPECT_EQ(FormatResolution(39, 2020), "39/2020");
  EXPECT_EQ(FormatResolution(123, 2026), "123/2026");
}

TEST(CouncilBallotRules, ResolutionCountersArePerYear) {
  EXPECT_NE(ResolutionCounter(2026), ResolutionCounter(2027));
  EXPECT_EQ(ResolutionCounter(2026), ResolutionCounter(2026));
}

// ---- ParseBallot ----

TEST(CouncilBallotRules, ParseBallotReadsTheStoredData) {
  const Ballot b = ParseBallot(J(R"({
      "electorate": ["1", "2", "3"], "excluded": ["2"], "recused": ["3"],
      "votes": {"1": {"choice": "approve", "at": "2026-03-03T09:00:00.000Z"}},
      "deadline": "2026-03-16T09:00:00.000Z", "threshold": "two_thirds", "quorum": 0.6})"));
  EXPECT_EQ(b.electorate, (std::vector<std::string>{"1", "2", "3"}));
  EXPECT_EQ(b.excluded, (std::vector<std::string>{"2"}));
  EXPECT_EQ(b.recused, (std::vector<std::string>{"3"}));
  ASSERT_EQ(b.votes.size(), 1u);
  EXPECT_EQ(b.votes.at("1"), "approve");
  EXPECT_EQ(b.deadline, kDeadline);
  EXPECT_EQ(b.threshold, Threshold::kTwoThirds);
  EXPECT_DOUBLE_EQ(b.quorum, 0.6);
}

TEST(CouncilBallotRules, ParseBallotDefaultsThresholdAndQuorum) {
  const Ballot b = ParseBallot(J(R"({"electorate": ["1"]})"));
  EXPECT_EQ(b.threshold, Threshold::kSimpleMajority);
  EXPECT_DOUBLE_EQ(b.quorum, 0.5);
}

// ---- ValidateCreate ----

TEST(CouncilBallotRules, ValidateCreateNormalizesAndAppliesDefaults) {
  auto r = ValidateCreate(CreateData(), kT0);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->GetString("title"), "T");
  EXPECT_EQ(r->GetString("question"), "Q?");
  EXPECT_EQ(r->GetString("deadline"), "2026-03-16T09:00:00.000Z");
  EXPECT_EQ(r->GetString("threshold"), "simple_majority");
  EXPECT_DOUBLE_EQ(r->GetDouble("quorum", -1), 0.5);
  ASSERT_TRUE(r->Has("basis"));
  EXPECT_TRUE(r->Get("basis")->is_null());
  EXPECT_FALSE(r->Has("electorate"));
}

TEST(CouncilBallotRules, ValidateCreateKeepsThresholdQuorumAndBasis) {
  auto r = ValidateCreate(CreateData(R"(,"threshold":"unanimous","quorum":0.75,"basis":"26/1992")"),
                          kT0);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->GetString("threshold"), "unanimous");
  EXPECT_DOUBLE_EQ(r->GetDouble("quorum", -1), 0.75);
  EXPECT_EQ(r->GetString("basis"), "26/1992");
}

TEST(CouncilBallotRules, ValidateCreateListsUnknownFields) {
  auto r = ValidateCreate(CreateData(R"(,"colour":"blue","electorate":["1"])"), kT0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidRequest);
  EXPECT_TRUE(HasField(r.status(), "colour")) << r.status().ToString();
  EXPECT_TRUE(HasField(r.status(), "electorate")) << r.status().ToString();
}

TEST(CouncilBallotRules, ValidateCreateListsMissingFields) {
  auto r = ValidateCreate(J("{}"), kT0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidRequest);
  EXPECT_TRUE(HasField(r.status(), "title"));
  EXPECT_TRUE(HasField(r.status(), "question"));
  EXPECT_TRUE(HasField(r.status(), "deadline"));
}

TEST(CouncilBallotRules, ValidateCreateRefusesAnEmptyTitleAndAnUnparsableDeadline) {
  auto r = ValidateCreate(J(R"({"title":"","question":"Q?","deadline":"next week"})"), kT0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), (std::vector<std::string>{"title", "deadline"}));
}

TEST(CouncilBallotRules, ValidateCreateRefusesAnUnknownThreshold) {
  auto r = ValidateCreate(CreateData(R"(,"threshold":"majority")"), kT0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), (std::vector<std::string>{"threshold"}));
}

// Issue 17: a decision was manufactured with quorum 0 (also -0, 1e-400). A quorum of 0.5
// already asks for more than half of the eligible (votes cast > q x eligible); 1 asks for all.
TEST(CouncilBallotRules, ValidateCreateRefusesAQuorumBelowAMajorityOrNotANumber) {
  for (const char* q : {"0", "-0", "-0.0", "1e-400", "0.49", "0.4999999", "-0.1", "1.0000001",
                        "1.5", "\"0.6\"", "\"NaN\"", "true", "[]"}) {
    auto r = ValidateCreate(CreateData(std::string(R"(,"quorum":)") + q), kT0);
    ASSERT_FALSE(r.ok()) << q;
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidRequest) << q;
    EXPECT_EQ(r.status().fields(), (std::vector<std::string>{"quorum"})) << q;
  }
  for (const char* q : {"0.5", "0.99", "1", "1.0"}) {
    EXPECT_TRUE(ValidateCreate(CreateData(std::string(R"(,"quorum":)") + q), kT0).ok()) << q;
  }
  // A setting may raise the floor: then a quorum under it is refused, and the default is it.
  Floors raised;
  raised.min_quorum = 0.6;
  EXPECT_FALSE(ValidateCreate(CreateData(R"(,"quorum":0.55)"), kT0, raised).ok());
  auto d = ValidateCreate(CreateData(""), kT0, raised);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_DOUBLE_EQ(d->GetDouble("quorum", -1), 0.6);
}

TEST(CouncilBallotRules, ValidateCreateRefusesAVotingPeriodUnderTheFloor) {
  auto at = [](int64_t ms_after_t0) {
    return std::string(R"({"title":"T","question":"Q?","deadline":")") +
           FormatTime(kT0 + ms_after_t0) + "\"}";
  };
  auto minute = ValidateCreate(J(at(60 * 1000)), kT0);
  ASSERT_FALSE(minute.ok());
  EXPECT_EQ(minute.status().code(), Status::Code::kGuardFailed);
  EXPECT_TRUE(HasReason(minute.status(),
                        "the voting period (from opening to the deadline) must be "
                        "at least 72 hours"))
      << minute.status().ToString();
  EXPECT_FALSE(ValidateCreate(J(at(72 * kMsPerHour - 1)), kT0).ok());
  EXPECT_TRUE(ValidateCreate(J(at(72 * kMsPerHour)), kT0).ok());
  Floors day;
  day.min_voting_ms = 24 * kMsPerHour;
  EXPECT_TRUE(ValidateCreate(J(at(24 * kMsPerHour)), kT0, day).ok());
}

TEST(CouncilBallotRules, FloorSettingsCannotGoBelowAMajorityOrADay) {
  EXPECT_TRUE(CheckFloors(Floors()).ok());
  Floors f;
  f.min_quorum = 0.49;
  EXPECT_EQ(CheckFloors(f).fields(), (std::vector<std::string>{"council_min_quorum"}));
  f.min_quorum = 1.01;
  EXPECT_FALSE(CheckFloors(f).ok());
  f.min_quorum = std::nan("");
  EXPECT_FALSE(CheckFloors(f).ok());
  f = Floors();
  f.min_voting_ms = 24 * kMsPerHour - 1;
  EXPECT_EQ(CheckFloors(f).fields(), (std::vector<std::string>{"council_min_voting_hours"}));
  f.min_voting_ms = 24 * kMsPerHour;
  EXPECT_TRUE(CheckFloors(f).ok());
}

TEST(CouncilBallotRules, AQuorumOfOneIsMetWhenEveryEligibleMemberVoted) {
  Ballot b = WithElectorate(3);
  b.quorum = 1;
  Cast(b, {"approve", "approve"});
  EXPECT_FALSE(QuorumMet(b));
  Cast(b, {"", "", "reject"});
  EXPECT_TRUE(QuorumMet(b));
}

TEST(CouncilBallotRules, ValidateCreateRefusesADeadlineInThePastAsGuardFailed) {
  auto r = ValidateCreate(CreateData(), kDeadline);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kGuardFailed);
  EXPECT_TRUE(HasReason(r.status(), "the deadline must be in the future")) << r.status().ToString();
  EXPECT_EQ(ValidateCreate(CreateData(), kDeadline + 1).status().code(),
            Status::Code::kGuardFailed);
}

TEST(CouncilBallotRules, ValidateCreateRefusesDataThatIsNotAnObject) {
  auto r = ValidateCreate(J("[]"), kT0);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidRequest);
}

// ---- who a ballot about an RSO excludes (DESIGN 8)

TEST(Exclusions, EveryMemberAffiliatedWithTheRsoIsExcludedWithTheReason) {
  const std::vector<UserRef> council = {{"1", "ana", {}},
                                        {"2", "bo", {"7", "8"}},
                                        {"3", "cy", {"8"}},
                                        {"4", "di", {"7"}}};
  EXPECT_EQ(Exclusions(council, "7", true).Dump(),
            R"([{"reason":"affiliated_with_rso","user_id":"2","username":"bo"},)"
            R"({"reason":"affiliated_with_rso","user_id":"4","username":"di"}])");
  EXPECT_EQ(Exclusions(council, "9", true).Dump(), "[]");
}

TEST(Exclusions, NoneWhenTheSecretariatReferredWithoutExcludingOrWithoutAnRso) {
  const std::vector<UserRef> council = {{"1", "ana", {"7"}}, {"2", "bo", {}}};
  EXPECT_EQ(Exclusions(council, "7", false).Dump(), "[]");
  EXPECT_EQ(Exclusions(council, "", true).Dump(), "[]");
}

TEST(ValidateCreate, ExcludeAffiliatedIsKeptWhenABooleanAndRefusedOtherwise) {
  Json d = J(R"({"title": "Recognition: X", "question": "Approve X?",
                 "deadline": "2026-03-20T09:00:00Z", "exclude_affiliated": false})");
  auto ok = ValidateCreate(d, kT0);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->Get("exclude_affiliated")->Dump(), "false");
  d.Set("exclude_affiliated", "no");
  auto r = ValidateCreate(d, kT0);
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"exclude_affiliated"});
}

}  // namespace
}  // namespace rsoflow::council_ballot
