// The council_ballot workflow (DESIGN 4.2) through the real engine and SQLite: one test per
// transition row, per guard reason and per role refusal, plus timers, resolution numbers and
// visibility.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <iterator>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "engine/clock.h"
#include "tests/support/harness.h"
#include "workflows/council_ballot/rules.h"

namespace rsoflow::testing {
namespace {

constexpr int64_t kHour = 3600000;
constexpr int64_t kDeadline = kT0 + 14 * kMsPerDay;  // 2026-03-16T09:00:00Z
constexpr const char* kBallot = "council_ballot";
constexpr const char* kRso = "rso-7";

using Code = Status::Code;

std::vector<std::string> Strings(const Json* j) {
  std::vector<std::string> out;
  if (j != nullptr && j->is_array()) {
    for (const auto& e : j->AsArray()) out.push_back(e.is_string() ? e.AsString() : e.Dump());
  }
  return out;
}

bool HasReason(const Status& s, const std::string& reason) {
  return std::find(s.reasons().begin(), s.reasons().end(), reason) != s.reasons().end();
}

int64_t TimeOf(const std::string& text) {
  auto t = ParseTime(text);
  EXPECT_TRUE(t.has_value()) << text;
  return t.value_or(0);
}

class CouncilBallot : public ::testing::Test {
 protected:
  void SetUp() override {
    sec = h.AddUser("sec", role::kSecretariat);
    auditor = h.AddUser("aud", role::kAuditor);
    for (int i = 1; i <= 5; ++i) {
      council.push_back(h.AddUser("c" + std::to_string(i), role::kCouncil));
    }
  }

  // Opens a ballot as the secretariat with title, question and a deadline of kDeadline, plus
  // the members of `extra` (a JSON object), about `rso_id`.
  int64_t NewBallot(const std::string& extra = "{}", const std::string& rso_id = "") {
    auto r = h.Start(kBallot, sec, BallotData(extra), rso_id);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->instance.id : 0;
  }

  static Json BallotData(const std::string& extra = "{}") {
    Json data = J(R"({"title":"T","question":"Q?","deadline":"2026-03-16T09:00:00Z"})");
    Json more = J(extra);
    if (more.is_object()) {
      for (const auto& [key, value] : more.AsObject()) data.Set(key, value);
    }
    return data;
  }

  Result<CommandResult> Vote(int64_t id, const Actor& who, const std::string& choice) {
    Json d = Json::MakeObject();
    d.Set("choice", choice);
    return h.Fire(id, "vote", who, d);
  }

  // council[i] votes choices[i]; each vote must be accepted.
  void VoteAll(int64_t id, const std::vector<std::string>& choices) {
    for (size_t i = 0; i < choices.size(); ++i) {
      auto r = Vote(id, council[i], choices[i]);
      EXPECT_TRUE(r.ok()) << council[i].username << ": " << r.status().ToString();
    }
  }

  Result<CommandResult> Extend(int64_t id, const Actor& who, const std::string& deadline,
                               const std::string& comment) {
    Json d = Json::MakeObject();
    d.Set("deadline", deadline);
    return h.Fire(id, "extend", who, d, comment);
  }

  void PassDeadline() { h.clock.Set(kDeadline + kHour); }

  // Stops the writer before the scheduler goes: the engine may still be calling the
  // scheduler's timer listener after it answered the last command (see FireDue).
  void TearDown() override {
    h.engine->Stop();
    timers.reset();
  }

  // Fires due timers deterministically. One scheduler lives for the whole test rather than one
  // per call: TimerScheduler registers a listener on the fake clock that is never removed, so
  // a destroyed scheduler would be called by later clock moves (see
  // TimerTest.DestroyedSchedulerIsNeverCalledByTheClock).
  int FireDue() {
    if (!timers) timers = std::make_unique<TimerScheduler>(*h.engine, h.clock);
    return timers->FireDue();
  }

  std::string StateOf(int64_t id) { return h.Load(id).state; }
  Json DataOf(int64_t id) { return h.Load(id).data; }
  Json ViewOf(int64_t id, const Actor& viewer) { return h.engine->ViewData(h.Load(id), viewer); }
  std::string TimerCount(int64_t id) {
    return h.QueryText("SELECT COUNT(*) FROM timers WHERE instance_id = " + std::to_string(id));
  }
  std::string ChoiceOf(int64_t id, const Actor& who) {
    const Json d = DataOf(id);
    const Json* votes = d.Get("votes");
    const Json* vote = votes ? votes->Get(who.user_id) : nullptr;
    return vote ? vote->GetString("choice") : "";
  }

  Harness h;
  std::unique_ptr<TimerScheduler> timers;  // after h: destroyed first
  Actor sec, auditor;
  std::vector<Actor> council;
};

// ---------------------------------------------------------------- creation

TEST_F(CouncilBallot, CreationSnapshotsTheActiveCouncilReviewersAsTheElectorate) {
  UserRecord disabled;
  disabled.username = "c-disabled";
  disabled.display_name = "c-disabled";
  disabled.role = role::kCouncil;
  disabled.password_hash = "test";
  disabled.disabled = true;
  disabled.created_at = h.clock.NowMs();
  auto job = h.engine
                 ->SubmitJob([disabled](Store& s) -> Result<Json> {
                   auto r = s.InsertUser(disabled);
                   if (!r.ok()) return r.status();
                   return Json(*r);
                 })
                 .get();
  ASSERT_TRUE(job.ok()) << job.status().ToString();

  auto r = h.Start(kBallot, sec, BallotData());
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Instance& inst = r->instance;
  EXPECT_EQ(inst.workflow, kBallot);
  EXPECT_EQ(inst.state, "open");
  EXPECT_EQ(inst.version, 1);
  EXPECT_FALSE(inst.terminal);
  EXPECT_EQ(inst.title, "T");
  std::vector<std::string> ids;
  for (const auto& c : council) ids.push_back(c.user_id);
  EXPECT_EQ(Strings(inst.data.Get("electorate")), ids);
  EXPECT_TRUE(Strings(inst.data.Get("excluded")).empty());
  EXPECT_TRUE(Strings(inst.data.Get("recused")).empty());
  ASSERT_NE(inst.data.Get("votes"), nullptr);
  EXPECT_EQ(inst.data.Get("votes")->size(), 0u);
  EXPECT_EQ(inst.data.GetString("threshold"), "simple_majority");
  EXPECT_DOUBLE_EQ(inst.data.GetDouble("quorum", -1), 0.5);
  EXPECT_EQ(inst.data.GetString("deadline"), FormatTime(kDeadline));
  EXPECT_EQ(inst.data.GetString("opened_at"), FormatTime(kT0));
  ASSERT_NE(inst.data.Get("outcome"), nullptr);
  EXPECT_TRUE(inst.data.Get("outcome")->is_null());
  ASSERT_NE(inst.data.Get("resolution"), nullptr);
  EXPECT_TRUE(inst.data.Get("resolution")->is_null());

  auto history = h.History(inst.id);
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].event, "create");
  EXPECT_EQ(history[0].actor_user_id, sec.user_id);
  EXPECT_EQ(history[0].actor_role, "secretariat");
  EXPECT_EQ(history[0].to_state, "open");
}

TEST_F(CouncilBallot, CouncilReviewerAddedAfterOpeningIsNotInTheElectorateAndCannotVote) {
  const int64_t id = NewBallot();
  const Actor late = h.AddUser("late", role::kCouncil);
  const auto electorate = Strings(DataOf(id).Get("electorate"));
  EXPECT_EQ(electorate.size(), 5u);
  EXPECT_EQ(std::count(electorate.begin(), electorate.end(), late.user_id), 0);
  auto r = Vote(id, late, "approve");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kForbidden) << r.status().ToString();
  EXPECT_EQ(h.Load(id).version, 1);
}

TEST_F(CouncilBallot, ReviewerAffiliatedWithTheBallotsRsoIsExcludedAtCreation) {
  const Actor conflicted = h.AddUser("c6", role::kCouncil, "", {"rso-other", kRso});
  const Actor unrelated = h.AddUser("c7", role::kCouncil, "", {"rso-other"});
  const int64_t id = NewBallot("{}", kRso);
  const Json d = DataOf(id);
  const auto electorate = Strings(d.Get("electorate"));
  EXPECT_EQ(electorate.size(), 7u);
  EXPECT_EQ(Strings(d.Get("excluded")), std::vector<std::string>{conflicted.user_id});
  EXPECT_EQ(h.Load(id).rso_id, kRso);
  const Json view = ViewOf(id, sec);
  EXPECT_EQ(view.GetInt("electorate_size"), 7);
  EXPECT_EQ(view.GetInt("eligible_size"), 6);
  (void)unrelated;
}

TEST_F(CouncilBallot, WithoutAnRsoNobodyIsExcluded) {
  h.AddUser("c6", role::kCouncil, "", {kRso});
  const int64_t id = NewBallot();
  EXPECT_TRUE(Strings(DataOf(id).Get("excluded")).empty());
}

TEST_F(CouncilBallot, CreationStoresTheDeadlineTimer) {
  const int64_t id = NewBallot();
  const Instance inst = h.Load(id);
  ASSERT_TRUE(inst.due_at.has_value());
  EXPECT_EQ(*inst.due_at, kDeadline);
  const std::string where = " FROM timers WHERE instance_id = " + std::to_string(id);
  EXPECT_EQ(h.QueryText("SELECT COUNT(*)" + where), "1");
  EXPECT_EQ(h.QueryText("SELECT name" + where), "deadline");
  EXPECT_EQ(h.QueryText("SELECT event" + where), "close");
  EXPECT_EQ(h.QueryText("SELECT due_at" + where), std::to_string(kDeadline));
}

// A vote writes only the ballot's data and version (the narrow update): the deadline timer
// and the instance's due_at, state and title stay as they were.
TEST_F(CouncilBallot, AVoteKeepsTheDeadlineAndChangesOnlyDataAndVersion) {
  const int64_t id = NewBallot();
  const Instance before = h.Load(id);
  auto r = Vote(id, council[0], "approve");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->instance.due_at.has_value());
  EXPECT_EQ(*r->instance.due_at, kDeadline);
  const Instance after = h.Load(id);
  EXPECT_EQ(after.version, before.version + 1);
  EXPECT_EQ(after.state, "open");
  EXPECT_EQ(after.title, before.title);
  ASSERT_TRUE(after.due_at.has_value());
  EXPECT_EQ(*after.due_at, kDeadline);
  EXPECT_EQ(after.data.Get("votes")->size(), 1u);
  EXPECT_EQ(after.data.Get("votes")->Get(council[0].user_id)->GetString("choice"), "approve");
  EXPECT_EQ(h.QueryText("SELECT due_at FROM timers WHERE instance_id = " + std::to_string(id)),
            std::to_string(kDeadline));
}

TEST_F(CouncilBallot, CreationIsRefusedWithoutActiveCouncilReviewers) {
  Harness empty;
  const Actor s = empty.AddUser("sec", role::kSecretariat);
  auto r = empty.Start(kBallot, s, BallotData());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kGuardFailed) << r.status().ToString();
  EXPECT_TRUE(HasReason(r.status(), "there are no active Council reviewers"))
      << r.status().ToString();
  EXPECT_EQ(empty.AuditCount(), 0);
  EXPECT_EQ(empty.QueryText("SELECT COUNT(*) FROM instances"), "0");
}

TEST_F(CouncilBallot, CreationIsRefusedWhenEveryReviewerHasAConflict) {
  Harness other;
  const Actor s = other.AddUser("sec", role::kSecretariat);
  other.AddUser("c1", role::kCouncil, "", {kRso});
  other.AddUser("c2", role::kCouncil, "", {kRso});
  auto r = other.Start(kBallot, s, BallotData(), kRso);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kGuardFailed) << r.status().ToString();
  EXPECT_EQ(other.AuditCount(), 0);
}

TEST_F(CouncilBallot, CouncilReviewerCannotOpenABallot) {
  auto r = h.Start(kBallot, council[0], BallotData());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kForbidden) << r.status().ToString();
  EXPECT_EQ(h.AuditCount(), 0);
}

TEST_F(CouncilBallot, AuditorCannotOpenABallot) {
  auto r = h.Start(kBallot, auditor, BallotData());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kForbidden) << r.status().ToString();
}

TEST_F(CouncilBallot, LiaisonCannotOpenABallotEvenForItsOwnRso) {
  const Actor liaison = h.AddUser("liaison", role::kLiaison, kRso);
  auto r = h.Start(kBallot, liaison, BallotData(), kRso);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kForbidden) << r.status().ToString();
}

TEST_F(CouncilBallot, CreationWithAnUnknownFieldIsAnInvalidRequestNamingIt) {
  auto r = h.Start(kBallot, sec, BallotData(R"({"electorate":["1"]})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidRequest) << r.status().ToString();
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"electorate"});
  EXPECT_EQ(h.AuditCount(), 0);
}

TEST_F(CouncilBallot, CreationWithoutAQuestionIsAnInvalidRequestNamingIt) {
  auto r = h.Start(kBallot, sec, J(R"({"title":"T","deadline":"2026-03-16T09:00:00Z"})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidRequest) << r.status().ToString();
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"question"});
}

TEST_F(CouncilBallot, CreationWithADeadlineInThePastIsRefused) {
  auto r = h.Start(kBallot, sec, BallotData(R"({"deadline":"2026-03-01T09:00:00Z"})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kGuardFailed) << r.status().ToString();
  EXPECT_EQ(h.AuditCount(), 0);
}

// ---------------------------------------------------------------- vote

TEST_F(CouncilBallot, CouncilReviewerVoteIsRecorded) {
  const int64_t id = NewBallot();
  h.clock.Advance(std::chrono::hours(1));
  auto r = Vote(id, council[0], "approve");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->instance.state, "open");
  EXPECT_EQ(r->instance.version, 2);
  const Json data = DataOf(id);
  ASSERT_NE(data.Get("votes"), nullptr);
  const Json* vote = data.Get("votes")->Get(council[0].user_id);
  ASSERT_NE(vote, nullptr);
  EXPECT_EQ(vote->GetString("choice"), "approve");
  EXPECT_EQ(vote->GetString("at"), FormatTime(kT0 + kHour));

  auto history = h.History(id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].event, "vote");
  EXPECT_EQ(history[1].actor_user_id, council[0].user_id);
  EXPECT_EQ(history[1].actor_role, "council");
  EXPECT_EQ(history[1].from_state, "open");
  EXPECT_EQ(history[1].to_state, "open");
  EXPECT_EQ(history[1].data, J(R"({"choice":"approve"})"));
  EXPECT_EQ(history[1].seq, r->seq);
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(CouncilBallot, AbstentionIsRecordedAsAVote) {
  const int64_t id = NewBallot();
  ASSERT_TRUE(Vote(id, council[1], "abstain").ok());
  EXPECT_EQ(ChoiceOf(id, council[1]), "abstain");
  EXPECT_EQ(ViewOf(id, sec).GetInt("votes_cast"), 1);
}

TEST_F(CouncilBallot, SecondVoteBySameReviewerIsRefusedAsAlreadyVoted) {
  const int64_t id = NewBallot();
  ASSERT_TRUE(Vote(id, council[0], "approve").ok());
  auto r = Vote(id, council[0], "reject");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kAlreadyVoted) << r.status().ToString();
  EXPECT_EQ(ChoiceOf(id, council[0]), "approve");
  EXPECT_EQ(h.Load(id).version, 2);
  EXPECT_EQ(h.History(id).size(), 2u);
}

TEST_F(CouncilBallot, ConflictedReviewerCannotVote) {
  const Actor conflicted = h.AddUser("c6", role::kCouncil, "", {kRso});
  const int64_t id = NewBallot("{}", kRso);
  auto r = Vote(id, conflicted, "approve");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kConflictOfInterest) << r.status().ToString();
  EXPECT_EQ(h.Load(id).version, 1);
}

TEST_F(CouncilBallot, RecusedReviewerCannotVote) {
  const int64_t id = NewBallot();
  ASSERT_TRUE(h.Fire(id, "recuse", council[2]).ok());
  auto r = Vote(id, council[2], "approve");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kConflictOfInterest) << r.status().ToString();
  EXPECT_EQ(ChoiceOf(id, council[2]), "");
}

TEST_F(CouncilBallot, SecretariatCannotVote) {
  const int64_t id = NewBallot();
  auto r = Vote(id, sec, "approve");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kForbidden) << r.status().ToString();
}

TEST_F(CouncilBallot, AuditorCannotVote) {
  const int64_t id = NewBallot();
  auto r = Vote(id, auditor, "approve");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kForbidden) << r.status().ToString();
}

TEST_F(CouncilBallot, LiaisonOfAnotherRsoCannotEvenSeeTheBallot) {
  const Actor liaison = h.AddUser("liaison", role::kLiaison, "rso-other");
  const int64_t id = NewBallot("{}", kRso);
  auto r = Vote(id, liaison, "approve");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kNotFound) << r.status().ToString();
  EXPECT_EQ(h.engine->GetInstance(id, liaison).status().code(), Code::kNotFound);
}

// The liaison of the ballot's own RSO can see the ballot, so its attempts are refused by role
// (403), not hidden (404): vote and recuse are Council's, extend, close and cancel the
// secretariat's (and the system's).
TEST_F(CouncilBallot, LiaisonOfTheBallotsRsoCanSeeItButFiresNothing) {
  const Actor liaison = h.AddUser("liaison", role::kLiaison, kRso);
  const int64_t id = NewBallot("{}", kRso);
  ASSERT_TRUE(h.engine->GetInstance(id, liaison).ok());
  const int64_t audit = h.AuditCount();
  auto r = Vote(id, liaison, "approve");
  EXPECT_EQ(r.status().code(), Code::kForbidden) << "vote: " << r.status().ToString();
  r = h.Fire(id, "recuse", liaison);
  EXPECT_EQ(r.status().code(), Code::kForbidden) << "recuse: " << r.status().ToString();
  r = Extend(id, liaison, "2026-03-23T09:00:00Z", "more time");
  EXPECT_EQ(r.status().code(), Code::kForbidden) << "extend: " << r.status().ToString();
  r = h.Fire(id, "cancel", liaison, Json::MakeObject(), "withdrawn by the RSO");
  EXPECT_EQ(r.status().code(), Code::kForbidden) << "cancel: " << r.status().ToString();
  PassDeadline();  // so that only the role, not the guard, stands in the way of closing
  r = h.Fire(id, "close", liaison);
  EXPECT_EQ(r.status().code(), Code::kForbidden) << "close: " << r.status().ToString();

  const Instance b = h.Load(id);
  EXPECT_EQ(b.state, "open");
  EXPECT_EQ(b.version, 1);
  EXPECT_EQ(b.data.Get("votes")->size(), 0u);
  EXPECT_TRUE(Strings(b.data.Get("recused")).empty());
  EXPECT_EQ(b.data.GetString("deadline"), FormatTime(kDeadline));
  EXPECT_EQ(TimerCount(id), "1");
  EXPECT_EQ(h.AuditCount(), audit);
}

TEST_F(CouncilBallot, VoteWithAnUnknownChoiceIsAnInvalidRequest) {
  const int64_t id = NewBallot();
  auto r = Vote(id, council[0], "maybe");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidRequest) << r.status().ToString();
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"data.choice"});
  EXPECT_EQ(h.Load(id).version, 1);
}

TEST_F(CouncilBallot, VoteWithoutAChoiceIsAnInvalidRequest) {
  const int64_t id = NewBallot();
  auto r = h.Fire(id, "vote", council[0]);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidRequest) << r.status().ToString();
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"data.choice"});
}

TEST_F(CouncilBallot, VoteWithAnUnknownFieldIsAnInvalidRequest) {
  const int64_t id = NewBallot();
  auto r = h.Fire(id, "vote", council[0], J(R"({"choice":"approve","weight":2})"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidRequest) << r.status().ToString();
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"data.weight"});
}

TEST_F(CouncilBallot, VoteAfterTheDeadlineIsRefused) {
  const int64_t id = NewBallot();
  PassDeadline();
  auto r = Vote(id, council[0], "approve");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kGuardFailed) << r.status().ToString();
  EXPECT_TRUE(HasReason(r.status(), "the voting deadline has passed")) << r.status().ToString();
  EXPECT_EQ(StateOf(id), "open");
}

TEST_F(CouncilBallot, UnknownEventIsAnInvalidRequest) {
  const int64_t id = NewBallot();
  auto r = h.Fire(id, "veto", sec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidRequest) << r.status().ToString();
}

TEST_F(CouncilBallot, LastEligibleVoteClosesTheBallotInTheSameTransaction) {
  const int64_t id = NewBallot();
  VoteAll(id, {"approve", "approve", "reject", "abstain"});
  const int64_t before = h.AuditCount();
  auto r = Vote(id, council[4], "approve");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  // The answer to the last vote already shows the closed ballot.
  EXPECT_EQ(r->instance.state, "approved");
  EXPECT_TRUE(r->instance.terminal);
  EXPECT_EQ(h.AuditCount(), before + 2);

  auto history = h.History(id);
  ASSERT_EQ(history.size(), 7u);
  const AuditEntry& vote = history[5];
  const AuditEntry& close = history[6];
  EXPECT_EQ(vote.event, "vote");
  EXPECT_EQ(vote.actor_user_id, council[4].user_id);
  EXPECT_EQ(vote.actor_role, "council");
  EXPECT_EQ(vote.seq, r->seq);
  EXPECT_EQ(close.event, "close");
  EXPECT_EQ(close.actor_role, "system");
  EXPECT_EQ(close.actor_user_id, "");
  EXPECT_EQ(close.from_state, "open");
  EXPECT_EQ(close.to_state, "approved");
  EXPECT_EQ(close.seq, vote.seq + 1);
  EXPECT_EQ(close.at, vote.at);

  const Instance inst = h.Load(id);
  EXPECT_EQ(inst.state, "approved");
  EXPECT_EQ(inst.data.GetString("outcome"), "approved");
  EXPECT_EQ(inst.data.GetString("resolution"), "01/2026");
  EXPECT_EQ(inst.data.GetString("closed_at"), FormatTime(kT0));
  EXPECT_FALSE(inst.due_at.has_value());
  EXPECT_EQ(TimerCount(id), "0");
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(CouncilBallot, LastEligibleVoteCanCloseTheBallotRejected) {
  const int64_t id = NewBallot();
  VoteAll(id, {"reject", "reject", "reject", "approve", "abstain"});
  EXPECT_EQ(StateOf(id), "rejected");
  EXPECT_EQ(DataOf(id).GetString("outcome"), "rejected");
  EXPECT_EQ(DataOf(id).GetString("resolution"), "01/2026");
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(CouncilBallot, VotesShortOfTheLastDoNotCloseTheBallot) {
  const int64_t id = NewBallot();
  VoteAll(id, {"approve", "approve", "approve", "approve"});
  EXPECT_EQ(StateOf(id), "open");
  EXPECT_EQ(h.History(id).back().event, "vote");
}

// ---------------------------------------------------------------- recuse

TEST_F(CouncilBallot, RecusalIsRecorded) {
  const int64_t id = NewBallot();
  auto r = h.Fire(id, "recuse", council[1], Json::MakeObject(), "I advised the applicant");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->instance.state, "open");
  EXPECT_EQ(Strings(DataOf(id).Get("recused")), std::vector<std::string>{council[1].user_id});
  const AuditEntry last = h.History(id).back();
  EXPECT_EQ(last.event, "recuse");
  EXPECT_EQ(last.actor_user_id, council[1].user_id);
  EXPECT_EQ(last.comment, "I advised the applicant");
  const Json view = ViewOf(id, sec);
  EXPECT_EQ(view.GetInt("eligible_size"), 4);
  EXPECT_EQ(Strings(view.Get("recused")), std::vector<std::string>{council[1].user_id});
}

TEST_F(CouncilBallot, RecusedReviewersLeaveTheDenominator) {
  const int64_t id = NewBallot();
  ASSERT_TRUE(h.Fire(id, "recuse", council[3]).ok());
  ASSERT_TRUE(h.Fire(id, "recuse", council[4]).ok());
  VoteAll(id, {"approve", "approve"});  // 2 of 3 eligible: quorum 2 > 1.5
  EXPECT_EQ(StateOf(id), "open");
  PassDeadline();
  auto r = h.Fire(id, "close", sec);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->instance.state, "approved");
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(CouncilBallot, RecusalAfterVotingIsRefused) {
  const int64_t id = NewBallot();
  ASSERT_TRUE(Vote(id, council[0], "reject").ok());
  auto r = h.Fire(id, "recuse", council[0]);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kGuardFailed) << r.status().ToString();
  EXPECT_TRUE(HasReason(r.status(), "already voted")) << r.status().ToString();
  EXPECT_TRUE(Strings(DataOf(id).Get("recused")).empty());
}

TEST_F(CouncilBallot, SecondRecusalIsRefused) {
  const int64_t id = NewBallot();
  ASSERT_TRUE(h.Fire(id, "recuse", council[0]).ok());
  auto r = h.Fire(id, "recuse", council[0]);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kGuardFailed) << r.status().ToString();
  EXPECT_TRUE(HasReason(r.status(), "already recused")) << r.status().ToString();
  EXPECT_EQ(Strings(DataOf(id).Get("recused")).size(), 1u);
}

TEST_F(CouncilBallot, ExcludedReviewerCannotRecuse) {
  const Actor conflicted = h.AddUser("c6", role::kCouncil, "", {kRso});
  const int64_t id = NewBallot("{}", kRso);
  auto r = h.Fire(id, "recuse", conflicted);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kGuardFailed) << r.status().ToString();
}

TEST_F(CouncilBallot, ReviewerOutsideTheElectorateCannotRecuse) {
  const int64_t id = NewBallot();
  const Actor late = h.AddUser("late", role::kCouncil);
  auto r = h.Fire(id, "recuse", late);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kForbidden) << r.status().ToString();
}

TEST_F(CouncilBallot, SecretariatCannotRecuse) {
  const int64_t id = NewBallot();
  auto r = h.Fire(id, "recuse", sec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kForbidden) << r.status().ToString();
}

TEST_F(CouncilBallot, FinalRecusalThatLeavesEveryoneVotedClosesTheBallot) {
  const int64_t id = NewBallot();
  VoteAll(id, {"approve", "approve", "approve", "reject"});
  ASSERT_EQ(StateOf(id), "open");
  auto r = h.Fire(id, "recuse", council[4]);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->instance.state, "approved");
  auto history = h.History(id);
  ASSERT_GE(history.size(), 2u);
  EXPECT_EQ(history[history.size() - 2].event, "recuse");
  EXPECT_EQ(history[history.size() - 2].actor_user_id, council[4].user_id);
  EXPECT_EQ(history.back().event, "close");
  EXPECT_EQ(history.back().actor_role, "system");
  EXPECT_EQ(DataOf(id).GetString("resolution"), "01/2026");
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(CouncilBallot, EveryoneRecusingLeavesTheBallotOpen) {
  const int64_t id = NewBallot();
  for (const Actor& c : council) ASSERT_TRUE(h.Fire(id, "recuse", c).ok()) << c.username;
  EXPECT_EQ(StateOf(id), "open");
  PassDeadline();
  auto r = h.Fire(id, "close", sec);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->instance.state, "no_quorum");
}

// ---------------------------------------------------------------- extend

TEST_F(CouncilBallot, ExtendMovesTheDeadlineAndTheTimer) {
  const int64_t id = NewBallot();
  const std::string later = "2026-03-23T09:00:00Z";
  auto r = Extend(id, sec, later, "two members are travelling");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->instance.state, "open");
  const Instance inst = h.Load(id);
  EXPECT_EQ(inst.data.GetString("deadline"), FormatTime(TimeOf(later)));
  ASSERT_TRUE(inst.due_at.has_value());
  EXPECT_EQ(*inst.due_at, TimeOf(later));
  EXPECT_EQ(TimerCount(id), "1");
  EXPECT_EQ(h.QueryText("SELECT due_at FROM timers WHERE instance_id = " + std::to_string(id)),
            std::to_string(TimeOf(later)));
  const AuditEntry last = h.History(id).back();
  EXPECT_EQ(last.event, "extend");
  EXPECT_EQ(last.actor_user_id, sec.user_id);
  EXPECT_EQ(last.comment, "two members are travelling");

  // The old deadline no longer closes the ballot, and voting goes on.
  PassDeadline();
  EXPECT_EQ(FireDue(), 0);
  EXPECT_EQ(StateOf(id), "open");
  EXPECT_TRUE(Vote(id, council[0], "approve").ok());
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(CouncilBallot, ExtendWithoutACommentIsRefused) {
  const int64_t id = NewBallot();
  auto r = Extend(id, sec, "2026-03-23T09:00:00Z", "");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kGuardFailed) << r.status().ToString();
  EXPECT_EQ(r.status().reasons(), std::vector<std::string>{"a comment is required"});
  EXPECT_EQ(DataOf(id).GetString("deadline"), FormatTime(kDeadline));
}

TEST_F(CouncilBallot, ExtendToAnEarlierDeadlineIsRefused) {
  const int64_t id = NewBallot();
  auto r = Extend(id, sec, "2026-03-10T09:00:00Z", "shorter");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kGuardFailed) << r.status().ToString();
  EXPECT_EQ(r.status().reasons(),
            std::vector<std::string>{"the new deadline must be later than the current one"});
  EXPECT_EQ(*h.Load(id).due_at, kDeadline);
}

TEST_F(CouncilBallot, ExtendToTheSameDeadlineIsRefused) {
  const int64_t id = NewBallot();
  auto r = Extend(id, sec, "2026-03-16T09:00:00Z", "same");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kGuardFailed) << r.status().ToString();
}

TEST_F(CouncilBallot, ExtendWithoutADeadlineIsAnInvalidRequest) {
  const int64_t id = NewBallot();
  auto r = h.Fire(id, "extend", sec, Json::MakeObject(), "more time");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidRequest) << r.status().ToString();
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"data.deadline"});
}

TEST_F(CouncilBallot, CouncilCannotExtend) {
  const int64_t id = NewBallot();
  auto r = Extend(id, council[0], "2026-03-23T09:00:00Z", "more time");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kForbidden) << r.status().ToString();
}

// ---------------------------------------------------------------- close

TEST_F(CouncilBallot, SecretariatCannotCloseBeforeTheDeadlineWhileVotesAreOutstanding) {
  const int64_t id = NewBallot();
  VoteAll(id, {"approve", "approve", "approve"});
  auto r = h.Fire(id, "close", sec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kGuardFailed) << r.status().ToString();
  EXPECT_EQ(r.status().reasons(),
            std::vector<std::string>{
                "the deadline has not passed and not every eligible member has voted"});
  EXPECT_EQ(StateOf(id), "open");
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM counters"), "0");
}

TEST_F(CouncilBallot, SecretariatClosesAfterTheDeadlineApproved) {
  const int64_t id = NewBallot();
  VoteAll(id, {"approve", "approve", "reject"});
  PassDeadline();
  auto r = h.Fire(id, "close", sec);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->instance.state, "approved");
  EXPECT_TRUE(r->instance.terminal);
  const Json d = DataOf(id);
  EXPECT_EQ(d.GetString("outcome"), "approved");
  EXPECT_EQ(d.GetString("resolution"), "01/2026");
  EXPECT_EQ(d.GetString("closed_at"), FormatTime(kDeadline + kHour));
  const AuditEntry last = h.History(id).back();
  EXPECT_EQ(last.event, "close");
  EXPECT_EQ(last.actor_user_id, sec.user_id);
  EXPECT_EQ(last.actor_role, "secretariat");
  EXPECT_EQ(last.to_state, "approved");
  EXPECT_FALSE(h.Load(id).due_at.has_value());
  EXPECT_EQ(TimerCount(id), "0");
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(CouncilBallot, SecretariatClosesAfterTheDeadlineRejected) {
  const int64_t id = NewBallot();
  VoteAll(id, {"approve", "reject", "reject"});
  PassDeadline();
  auto r = h.Fire(id, "close", sec);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->instance.state, "rejected");
  EXPECT_EQ(DataOf(id).GetString("outcome"), "rejected");
  EXPECT_EQ(DataOf(id).GetString("resolution"), "01/2026");
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(CouncilBallot, SecretariatClosesAfterTheDeadlineWithoutQuorum) {
  const int64_t id = NewBallot();
  VoteAll(id, {"approve", "approve"});  // 2 of 5 is not > 2.5
  PassDeadline();
  auto r = h.Fire(id, "close", sec);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->instance.state, "no_quorum");
  EXPECT_EQ(DataOf(id).GetString("outcome"), "no_quorum");
  // A ballot without quorum is no resolution at all: it takes no number (issue 18).
  EXPECT_TRUE(DataOf(id).Get("resolution")->is_null());
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(CouncilBallot, CouncilCannotClose) {
  const int64_t id = NewBallot();
  PassDeadline();
  auto r = h.Fire(id, "close", council[0]);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kForbidden) << r.status().ToString();
  EXPECT_EQ(StateOf(id), "open");
}

TEST_F(CouncilBallot, AuditorCannotClose) {
  const int64_t id = NewBallot();
  PassDeadline();
  auto r = h.Fire(id, "close", auditor);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kForbidden) << r.status().ToString();
}

TEST_F(CouncilBallot, TiesDoNotApprove) {
  const int64_t id = NewBallot();
  VoteAll(id, {"approve", "approve", "reject", "reject", "abstain"});
  EXPECT_EQ(StateOf(id), "rejected");
}

TEST_F(CouncilBallot, QuorumNotMetClosesNoQuorumEvenWithAMajority) {
  const int64_t id = NewBallot(R"({"quorum":0.75})");
  VoteAll(id, {"approve", "approve", "approve"});  // 3 of 5 is not > 3.75
  PassDeadline();
  auto r = h.Fire(id, "close", sec);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->instance.state, "no_quorum");
}

TEST_F(CouncilBallot, TwoThirdsIsMetByTwoApprovalsToOneRejection) {
  const int64_t id = NewBallot(R"({"threshold":"two_thirds"})");
  VoteAll(id, {"approve", "approve", "reject", "abstain", "abstain"});
  EXPECT_EQ(StateOf(id), "approved");
}

TEST_F(CouncilBallot, TwoThirdsIsNotMetByThreeApprovalsToTwoRejections) {
  const int64_t id = NewBallot(R"({"threshold":"two_thirds"})");
  VoteAll(id, {"approve", "approve", "approve", "reject", "reject"});
  EXPECT_EQ(StateOf(id), "rejected");
}

TEST_F(CouncilBallot, TwoThirdsIsNotMetWhenEveryoneAbstains) {
  const int64_t id = NewBallot(R"({"threshold":"two_thirds"})");
  VoteAll(id, {"abstain", "abstain", "abstain", "abstain", "abstain"});
  EXPECT_EQ(StateOf(id), "rejected");
}

TEST_F(CouncilBallot, UnanimousIsMetByApprovalsWithAnAbstention) {
  const int64_t id = NewBallot(R"({"threshold":"unanimous"})");
  VoteAll(id, {"approve", "approve", "approve", "approve", "abstain"});
  EXPECT_EQ(StateOf(id), "approved");
}

TEST_F(CouncilBallot, UnanimousFailsOnASingleRejection) {
  const int64_t id = NewBallot(R"({"threshold":"unanimous"})");
  VoteAll(id, {"approve", "approve", "approve", "approve", "reject"});
  EXPECT_EQ(StateOf(id), "rejected");
}

TEST_F(CouncilBallot, UnanimousFailsWhenEveryoneAbstains) {
  const int64_t id = NewBallot(R"({"threshold":"unanimous"})");
  VoteAll(id, {"abstain", "abstain", "abstain", "abstain", "abstain"});
  EXPECT_EQ(StateOf(id), "rejected");
}

// ---------------------------------------------------------------- deadline timer

TEST_F(CouncilBallot, DeadlineTimerDoesNotFireBeforeTheDeadline) {
  const int64_t id = NewBallot();
  h.clock.Set(kDeadline - 1);
  EXPECT_EQ(FireDue(), 0);
  EXPECT_EQ(StateOf(id), "open");
  EXPECT_EQ(TimerCount(id), "1");
}

TEST_F(CouncilBallot, DeadlineTimerClosesTheBallot) {
  const int64_t id = NewBallot();
  VoteAll(id, {"approve", "approve", "abstain"});
  PassDeadline();
  EXPECT_EQ(FireDue(), 1);
  const Instance inst = h.Load(id);
  EXPECT_EQ(inst.state, "approved");
  EXPECT_TRUE(inst.terminal);
  EXPECT_FALSE(inst.due_at.has_value());
  EXPECT_EQ(TimerCount(id), "0");
  EXPECT_EQ(inst.data.GetString("resolution"), "01/2026");
  const AuditEntry last = h.History(id).back();
  EXPECT_EQ(last.event, "close");
  EXPECT_EQ(last.actor_role, "system");
  EXPECT_EQ(last.actor_user_id, "");
  EXPECT_EQ(last.at, kDeadline + kHour);
  EXPECT_EQ(FireDue(), 0);
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(CouncilBallot, DeadlineTimerClosesAnUnvotedBallotWithoutQuorum) {
  const int64_t id = NewBallot();
  PassDeadline();
  EXPECT_EQ(FireDue(), 1);
  EXPECT_EQ(StateOf(id), "no_quorum");
  EXPECT_TRUE(DataOf(id).Get("resolution")->is_null());  // no quorum, no number (issue 18)
}

// Engine defect found while writing the timer tests above: ~TimerScheduler leaves its
// FakeClock listener registered, so moving the clock later calls Wake() on a destroyed object
// (heap-use-after-free under ASan when the scheduler was heap-allocated). The scheduler here
// lives in storage the test owns and zeroes after destruction (an all-zero mutex and condition
// variable are valid on glibc), so the stray call is observed deterministically instead of
// corrupting memory: any byte that changed was written by Wake() on the dead scheduler.
// ---------------------------------------------------------------- cancel

TEST_F(CouncilBallot, CancelWithACommentCancelsAndClearsTimers) {
  const int64_t id = NewBallot();
  ASSERT_TRUE(Vote(id, council[0], "approve").ok());
  auto r = h.Fire(id, "cancel", sec, Json::MakeObject(), "the application was withdrawn");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->instance.state, "cancelled");
  const Instance inst = h.Load(id);
  EXPECT_EQ(inst.state, "cancelled");
  EXPECT_TRUE(inst.terminal);
  EXPECT_FALSE(inst.due_at.has_value());
  EXPECT_EQ(TimerCount(id), "0");
  EXPECT_EQ(inst.data.GetString("cancelled_at"), FormatTime(kT0));
  const AuditEntry last = h.History(id).back();
  EXPECT_EQ(last.event, "cancel");
  EXPECT_EQ(last.actor_user_id, sec.user_id);
  EXPECT_EQ(last.comment, "the application was withdrawn");
  PassDeadline();
  EXPECT_EQ(FireDue(), 0);
  EXPECT_EQ(StateOf(id), "cancelled");
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(CouncilBallot, CancelWithoutACommentIsRefused) {
  const int64_t id = NewBallot();
  auto r = h.Fire(id, "cancel", sec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kGuardFailed) << r.status().ToString();
  EXPECT_EQ(r.status().reasons(), std::vector<std::string>{"a comment is required"});
  EXPECT_EQ(StateOf(id), "open");
  EXPECT_EQ(TimerCount(id), "1");
}

TEST_F(CouncilBallot, CouncilCannotCancel) {
  const int64_t id = NewBallot();
  auto r = h.Fire(id, "cancel", council[0], Json::MakeObject(), "no");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kForbidden) << r.status().ToString();
}

TEST_F(CouncilBallot, SystemCanCancelWithAComment) {
  const int64_t id = NewBallot();
  auto r = h.Fire(id, "cancel", Actor::System(), Json::MakeObject(), "subject withdrawn");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->instance.state, "cancelled");
  EXPECT_EQ(h.History(id).back().actor_role, "system");
}

TEST_F(CouncilBallot, CancelledBallotGetsNoResolutionAndDoesNotConsumeANumber) {
  const int64_t cancelled = NewBallot();
  ASSERT_TRUE(h.Fire(cancelled, "cancel", sec, Json::MakeObject(), "mistake").ok());
  const Json d = DataOf(cancelled);
  ASSERT_NE(d.Get("resolution"), nullptr);
  EXPECT_TRUE(d.Get("resolution")->is_null());
  ASSERT_NE(d.Get("outcome"), nullptr);
  EXPECT_TRUE(d.Get("outcome")->is_null());

  const int64_t closed = NewBallot();
  VoteAll(closed, {"approve", "approve", "approve", "approve", "approve"});
  EXPECT_EQ(DataOf(closed).GetString("resolution"), "01/2026");
}

// ---------------------------------------------------------------- closed ballots

TEST_F(CouncilBallot, AnyEventOnAClosedBallotIsAnInvalidTransition) {
  const int64_t id = NewBallot();
  const Actor late = h.AddUser("late", role::kCouncil);
  VoteAll(id, {"approve", "approve", "approve", "approve", "approve"});
  ASSERT_EQ(StateOf(id), "approved");
  const int64_t audit = h.AuditCount();
  struct Attempt {
    std::string event;
    Actor actor;
    Json data;
    std::string comment;
  };
  const std::vector<Attempt> attempts = {
      {"vote", council[0], J(R"({"choice":"reject"})"), ""},
      {"vote", late, J(R"({"choice":"reject"})"), ""},
      {"recuse", council[1], Json::MakeObject(), ""},
      {"extend", sec, J(R"({"deadline":"2026-04-01T09:00:00Z"})"), "more"},
      {"close", sec, Json::MakeObject(), ""},
      {"close", Actor::System(), Json::MakeObject(), ""},
      {"cancel", sec, Json::MakeObject(), "too late"},
  };
  for (const Attempt& a : attempts) {
    auto r = h.Fire(id, a.event, a.actor, a.data, a.comment);
    ASSERT_FALSE(r.ok()) << a.event;
    EXPECT_EQ(r.status().code(), Code::kInvalidTransition)
        << a.event << ": " << r.status().ToString();
    EXPECT_EQ(r.status().state(), "approved") << a.event;
  }
  EXPECT_EQ(h.AuditCount(), audit);
  EXPECT_EQ(DataOf(id).GetString("resolution"), "01/2026");
}

TEST_F(CouncilBallot, AnyEventOnACancelledBallotIsAnInvalidTransition) {
  const int64_t id = NewBallot();
  ASSERT_TRUE(h.Fire(id, "cancel", sec, Json::MakeObject(), "mistake").ok());
  auto vote = Vote(id, council[0], "approve");
  EXPECT_EQ(vote.status().code(), Code::kInvalidTransition) << vote.status().ToString();
  auto cancel = h.Fire(id, "cancel", sec, Json::MakeObject(), "again");
  EXPECT_EQ(cancel.status().code(), Code::kInvalidTransition) << cancel.status().ToString();
  PassDeadline();
  auto close = h.Fire(id, "close", sec);
  EXPECT_EQ(close.status().code(), Code::kInvalidTransition) << close.status().ToString();
}

TEST_F(CouncilBallot, RoleIsCheckedBeforeTheStateOfAClosedBallot) {
  const int64_t id = NewBallot();
  VoteAll(id, {"approve", "approve", "approve", "approve", "approve"});
  ASSERT_EQ(StateOf(id), "approved");
  auto r = Extend(id, council[0], "2026-04-01T09:00:00Z", "more");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kForbidden) << r.status().ToString();
}

TEST_F(CouncilBallot, StaleExpectedVersionIsRefusedWithoutRecordingTheVote) {
  const int64_t id = NewBallot();
  ASSERT_TRUE(Vote(id, council[0], "approve").ok());
  Command c;
  c.instance_id = id;
  c.event = "vote";
  c.actor = council[1];
  c.data = J(R"({"choice":"reject"})");
  c.expected_version = 1;
  auto r = h.engine->Execute(std::move(c));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kVersionMismatch) << r.status().ToString();
  EXPECT_EQ(r.status().current_version(), 2);
  EXPECT_EQ(ChoiceOf(id, council[1]), "");
}

// ---------------------------------------------------------------- resolution numbers

TEST_F(CouncilBallot, ResolutionNumbersAreSequentialWithinAYear) {
  const int64_t first = NewBallot();
  const int64_t second = NewBallot();
  VoteAll(first, {"approve", "approve", "approve", "approve", "approve"});
  VoteAll(second, {"reject", "reject", "reject", "reject", "reject"});
  EXPECT_EQ(DataOf(first).GetString("resolution"), "01/2026");
  EXPECT_EQ(DataOf(second).GetString("resolution"), "02/2026");
  const int64_t third = NewBallot();
  PassDeadline();
  ASSERT_TRUE(h.Fire(third, "close", sec).ok());
  // Closed without quorum: no resolution, so no number (issue 18: it used to take 03/2026).
  EXPECT_TRUE(DataOf(third).Get("resolution")->is_null());
}

TEST_F(CouncilBallot, ResolutionNumbersRestartInANewYear) {
  const int64_t old_year = NewBallot();
  VoteAll(old_year, {"approve", "approve", "approve", "approve", "approve"});
  ASSERT_EQ(DataOf(old_year).GetString("resolution"), "01/2026");

  h.clock.Set(TimeOf("2027-01-04T09:00:00Z"));
  const int64_t new_year = NewBallot(R"({"deadline":"2027-01-18T09:00:00Z"})");
  VoteAll(new_year, {"approve", "approve", "approve", "approve", "approve"});
  EXPECT_EQ(DataOf(new_year).GetString("resolution"), "01/2027");
  const int64_t next = NewBallot(R"({"deadline":"2027-01-18T09:00:00Z"})");
  VoteAll(next, {"approve", "approve", "approve", "approve", "approve"});
  EXPECT_EQ(DataOf(next).GetString("resolution"), "02/2027");
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(CouncilBallot, ABallotOpenedInOneYearAndClosedInTheNextTakesTheClosingYearsNumber) {
  h.clock.Set(TimeOf("2026-12-28T09:00:00Z"));
  const int64_t id = NewBallot(R"({"deadline":"2027-01-05T09:00:00Z"})");
  // Decided in the new year (a ballot closing without quorum would take no number at all).
  h.clock.Set(TimeOf("2027-01-04T10:00:00Z"));
  VoteAll(id, {"approve", "approve", "approve", "approve", "approve"});
  EXPECT_EQ(DataOf(id).GetString("resolution"), "01/2027");
}

// ---------------------------------------------------------------- visibility

TEST_F(CouncilBallot, CouncilSeesVotesCastAndItsOwnVoteButNoTallyWhileOpen) {
  const int64_t id = NewBallot();
  VoteAll(id, {"approve", "reject"});
  const Json mine = ViewOf(id, council[0]);
  EXPECT_EQ(mine.GetInt("votes_cast"), 2);
  EXPECT_EQ(mine.GetString("my_vote"), "approve");
  EXPECT_TRUE(mine.GetBool("eligible"));
  EXPECT_FALSE(mine.Has("tally"));
  EXPECT_FALSE(mine.Has("roll_call"));
  EXPECT_FALSE(mine.Has("votes"));
  EXPECT_EQ(mine.GetString("question"), "Q?");

  const Json other = ViewOf(id, council[4]);
  EXPECT_EQ(other.GetInt("votes_cast"), 2);
  ASSERT_NE(other.Get("my_vote"), nullptr);
  EXPECT_TRUE(other.Get("my_vote")->is_null());
  EXPECT_FALSE(other.Has("tally"));
}

TEST_F(CouncilBallot, SecretariatSeesTheTallyWhileOpen) {
  const int64_t id = NewBallot();
  VoteAll(id, {"approve", "reject", "abstain", "approve"});
  const Json v = ViewOf(id, sec);
  EXPECT_EQ(v.GetInt("votes_cast"), 4);
  ASSERT_NE(v.Get("tally"), nullptr);
  EXPECT_EQ(*v.Get("tally"), J(R"({"approve":2,"reject":1,"abstain":1})"));
  EXPECT_FALSE(v.Has("my_vote"));
  EXPECT_FALSE(v.Has("roll_call"));
  EXPECT_EQ(v.GetInt("electorate_size"), 5);
}

TEST_F(CouncilBallot, AuditorSeesTheTallyWhileOpen) {
  const int64_t id = NewBallot();
  VoteAll(id, {"reject"});
  const Json v = ViewOf(id, auditor);
  ASSERT_NE(v.Get("tally"), nullptr);
  EXPECT_EQ(*v.Get("tally"), J(R"({"approve":0,"reject":1,"abstain":0})"));
}

TEST_F(CouncilBallot, CouncilSeesTheRollCallAfterClosing) {
  const int64_t id = NewBallot();
  VoteAll(id, {"approve", "approve", "reject", "abstain", "approve"});
  ASSERT_EQ(StateOf(id), "approved");
  const Json v = ViewOf(id, council[1]);
  ASSERT_NE(v.Get("tally"), nullptr);
  EXPECT_EQ(*v.Get("tally"), J(R"({"approve":3,"reject":1,"abstain":1})"));
  const Json* roll = v.Get("roll_call");
  ASSERT_NE(roll, nullptr);
  ASSERT_TRUE(roll->is_array());
  ASSERT_EQ(roll->size(), 5u);
  std::vector<std::string> seen;
  for (const Json& r : roll->AsArray()) {
    seen.push_back(r.GetString("user_id") + "=" + r.GetString("choice"));
    EXPECT_EQ(r.GetString("at"), FormatTime(kT0));
  }
  const std::vector<std::string> choices = {"approve", "approve", "reject", "abstain", "approve"};
  for (size_t i = 0; i < council.size(); ++i) {
    const std::string expected = council[i].user_id + "=" + choices[i];
    EXPECT_EQ(std::count(seen.begin(), seen.end(), expected), 1) << expected;
  }
  EXPECT_EQ(v.GetString("outcome"), "approved");
  EXPECT_EQ(v.GetString("resolution"), "01/2026");
}

TEST_F(CouncilBallot, AuditorSeesTheRollCallOnlyAfterClosing) {
  const int64_t id = NewBallot();
  VoteAll(id, {"reject", "approve"});
  EXPECT_FALSE(ViewOf(id, auditor).Has("roll_call"));
  for (size_t i = 2; i < council.size(); ++i) ASSERT_TRUE(Vote(id, council[i], "approve").ok());
  ASSERT_EQ(StateOf(id), "approved");
  const Json v = ViewOf(id, auditor);
  const Json* roll = v.Get("roll_call");
  ASSERT_NE(roll, nullptr);
  ASSERT_EQ(roll->size(), council.size());
  std::vector<std::string> seen;
  for (const Json& r : roll->AsArray()) {
    seen.push_back(r.GetString("user_id") + "=" + r.GetString("choice"));
  }
  EXPECT_EQ(std::count(seen.begin(), seen.end(), council[0].user_id + "=reject"), 1);
  EXPECT_EQ(std::count(seen.begin(), seen.end(), council[1].user_id + "=approve"), 1);
  EXPECT_EQ(*v.Get("tally"), J(R"({"approve":4,"reject":1,"abstain":0})"));
}

TEST_F(CouncilBallot, LiaisonOfTheBallotsRsoSeesOnlyTitleOutcomeAndResolution) {
  const Actor liaison = h.AddUser("liaison", role::kLiaison, kRso);
  const int64_t id = NewBallot("{}", kRso);
  VoteAll(id, {"approve", "approve"});
  ASSERT_TRUE(h.engine->GetInstance(id, liaison).ok());

  const Json open = ViewOf(id, liaison);
  EXPECT_EQ(open.GetString("title"), "T");
  for (const char* hidden : {"votes_cast", "tally", "roll_call", "my_vote", "votes", "electorate",
                             "electorate_size", "excluded", "recused", "question"}) {
    EXPECT_FALSE(open.Has(hidden)) << hidden;
  }

  for (size_t i = 2; i < council.size(); ++i) ASSERT_TRUE(Vote(id, council[i], "approve").ok());
  ASSERT_EQ(StateOf(id), "approved");
  const Json closed = ViewOf(id, liaison);
  EXPECT_EQ(closed.GetString("title"), "T");
  EXPECT_EQ(closed.GetString("outcome"), "approved");
  EXPECT_EQ(closed.GetString("resolution"), "01/2026");
  for (const char* hidden : {"votes_cast", "tally", "roll_call", "my_vote", "votes", "electorate",
                             "electorate_size", "excluded", "recused"}) {
    EXPECT_FALSE(closed.Has(hidden)) << hidden;
  }
}

}  // namespace
}  // namespace rsoflow::testing
