// rso_recognition (DESIGN 4.1) through the real engine and SQLite: every row, guard reason and
// role refusal, and the cross-workflow effects with council_ballot (DESIGN 3.4).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>

#include "engine/timer_scheduler.h"
#include "tests/support/harness.h"
#include "workflows/rso_records.h"

namespace rsoflow::testing {
namespace {

Json Dossier(const std::string& acronym = "SARSO", const std::string& kind = "sub_regional") {
  Json d = J(R"({"name": "South Asian Regional Standards Organisation", "region": "Asia-Pacific",
                 "member_bodies": ["BD", "IN", "PK", "LK"], "statutes_ref": "SAARC 2008",
                 "website": "https://www.sarso.org.bd", "contact_email": "info@sarso.org.bd"})");
  d.Set("acronym", acronym);
  d.Set("kind", kind);
  return d;
}

class Recognition : public ::testing::Test {
 protected:
  void SetUp() override {
    sec = h.AddUser("sec", "secretariat");
    auditor = h.AddUser("auditor", "auditor");
    auto r = h.Start("rso_recognition", sec, Dossier());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    id = r->instance.id;
    rso = r->instance.rso_id;
    liaison = h.AddUser("liaison", "rso_liaison", rso);
    other_liaison = h.AddUser("other", "rso_liaison", "9999");
    for (int i = 0; i < 5; ++i) {
      std::vector<std::string> aff;
      if (i == 4) aff.push_back(rso);  // conflicted: affiliated with this RSO
      council.push_back(h.AddUser("c" + std::to_string(i), "council", "", aff));
    }
  }
  void TearDown() override {
    if (timers) timers->Stop();
    h.engine->Stop();
    timers.reset();
  }
  Result<CommandResult> Fire(const std::string& event, const Actor& who,
                             const std::string& comment = "", Json data = Json::MakeObject()) {
    return h.Fire(id, event, who, std::move(data), comment);
  }
  std::string State() { return h.Load(id).state; }
  void ToReview() {
    ASSERT_TRUE(Fire("submit", sec).ok());
    ASSERT_TRUE(Fire("start_review", sec).ok());
  }
  // Refers to Council and returns the ballot's id.
  int64_t Refer(const std::string& event = "refer_to_council", const std::string& comment = "") {
    auto r = Fire(event, sec, comment);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    auto ballots =
        h.store->ListInstances(InstanceQuery{"council_ballot", "open", "", true, 0, 50, {}});
    EXPECT_FALSE(ballots->empty());
    return ballots->empty() ? 0 : ballots->back().id;
  }
  void VoteAll(int64_t ballot, const std::string& choice) {
    for (int i = 0; i < 4; ++i) {  // c4 is excluded for conflict of interest
      Json d = Json::MakeObject();
      d.Set("choice", choice);
      ASSERT_TRUE(h.Fire(ballot, "vote", council[static_cast<size_t>(i)], d).ok());
    }
  }
  void ToRecognized() {
    ToReview();
    VoteAll(Refer(), "approve");
    ASSERT_EQ(State(), "recognized");
  }
  void ToSuspended() {
    ToRecognized();
    ASSERT_TRUE(Fire("suspend", sec, "statutes lapsed").ok());
  }
  int FireDue() {
    if (!timers) timers = std::make_unique<TimerScheduler>(*h.engine, h.clock);
    return timers->FireDue();
  }
  int64_t Ballots() {
    return std::stoll(
        h.QueryText("SELECT COUNT(*) FROM instances WHERE workflow = 'council_ballot'"));
  }
  // Runs `sql` on a second connection to the database, as another process would.
  void Exec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(h.db_path.c_str(), &db), SQLITE_OK);
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }
  // Makes storage refuse to move an instance of `workflow` into `state`, so that the follow-up
  // making that change fails as a full disk or an I/O error would.
  void BlockState(const std::string& workflow, const std::string& state) {
    Exec("CREATE TRIGGER block_" + state + " BEFORE UPDATE ON instances WHEN NEW.workflow = '" +
         workflow + "' AND NEW.state = '" + state + "' BEGIN SELECT RAISE(ABORT, 'blocked'); END");
  }
  void UnblockState(const std::string& state) { Exec("DROP TRIGGER block_" + state); }
  // The recognition's last audit entry is `event`, fired by the system with the decision of
  // `ballot`, audited right after the ballot closed (the same command).
  void ExpectDecisionOf(int64_t ballot, const std::string& event) {
    const AuditEntry decided = h.History(id).back();
    const AuditEntry closed = h.History(ballot).back();
    EXPECT_EQ(closed.event, "close");
    EXPECT_EQ(decided.event, event);
    EXPECT_EQ(decided.actor_role, "system");
    EXPECT_EQ(decided.actor_username, "system");
    EXPECT_EQ(decided.seq, closed.seq + 1);
    EXPECT_EQ(decided.data.GetString("ballot_id"), std::to_string(ballot));
    EXPECT_EQ(decided.data.GetString("resolution"), h.Load(ballot).data.GetString("resolution"));
  }

  Harness h;
  std::unique_ptr<TimerScheduler> timers;
  Actor sec, auditor, liaison, other_liaison;
  std::vector<Actor> council;
  int64_t id = 0;
  std::string rso;
};

// ---- creation and the dossier

TEST_F(Recognition, CreationRegistersTheRsoRecordAndStartsInDraft) {
  Instance i = h.Load(id);
  EXPECT_EQ(i.state, "draft");
  EXPECT_EQ(i.title, "Recognition of SARSO");
  auto record = h.store->GetRecord("rso", rso);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->key, "SARSO");
  EXPECT_EQ(record->data.Get("member_bodies")->Dump(), R"(["BD","IN","LK","PK"])");
  EXPECT_EQ(i.data.GetString("basis"), "34/2011");
}

TEST_F(Recognition, RegionalRsoHasTheLegalBasisOf1992) {
  auto r = h.Start("rso_recognition", sec, Dossier("ARSO", "regional"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->instance.data.GetString("basis"), "26/1992");
}

TEST_F(Recognition, DuplicateAcronymIsRefusedAndNothingIsCreated) {
  const int64_t before = h.AuditCount();
  auto r = h.Start("rso_recognition", sec, Dossier("sarso"));
  EXPECT_EQ(r.status().code(), Status::Code::kDuplicate);
  EXPECT_EQ(h.AuditCount(), before);
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM records"), "1");
}

TEST_F(Recognition, InvalidDossierNamesEachBadField) {
  Json d = Dossier("GSO");
  d.Set("region", "Atlantis");
  d.Set("member_bodies", J(R"(["SA", "XX"])"));
  d.Set("fax", "none");
  auto unknown = h.Start("rso_recognition", sec, d);
  ASSERT_EQ(unknown.status().code(), Status::Code::kInvalidRequest);
  EXPECT_EQ(unknown.status().fields(), std::vector<std::string>{"fax"});
  d.Erase("fax");
  auto bad = h.Start("rso_recognition", sec, d);
  ASSERT_EQ(bad.status().code(), Status::Code::kInvalidRequest);
  EXPECT_EQ(bad.status().fields(), (std::vector<std::string>{"region", "member_bodies"}));
  EXPECT_NE(bad.status().message().find("'XX'"), std::string::npos);
}

TEST_F(Recognition, OnlyTheSecretariatRegistersAnRso) {
  EXPECT_EQ(h.Start("rso_recognition", liaison, Dossier("CROSQ"), rso).status().code(),
            Status::Code::kForbidden);
  EXPECT_EQ(h.Start("rso_recognition", council[0], Dossier("CROSQ")).status().code(),
            Status::Code::kForbidden);
}

TEST_F(Recognition, DossierIsEditableInDraftBySecretariatAndOwnLiaison) {
  ASSERT_TRUE(Fire("edit_dossier", sec, "", J(R"({"statutes_ref": "Charter 2010"})")).ok());
  ASSERT_TRUE(Fire("edit_dossier", liaison, "", J(R"({"member_bodies": ["np", "BT"]})")).ok());
  auto record = h.store->GetRecord("rso", rso);
  EXPECT_EQ(record->data.GetString("statutes_ref"), "Charter 2010");
  EXPECT_EQ(record->data.Get("member_bodies")->Dump(), R"(["BT","NP"])");
  EXPECT_EQ(h.History(id).back().event, "edit_dossier");
}

TEST_F(Recognition, EditedAcronymRenamesTheRecognition) {
  ASSERT_TRUE(Fire("edit_dossier", sec, "", J(R"({"acronym": "NEWRSO"})")).ok());
  EXPECT_EQ(h.Load(id).title, "Recognition of NEWRSO");
  EXPECT_EQ(h.QueryText("SELECT title FROM instances WHERE id = " + std::to_string(id)),
            "Recognition of NEWRSO");
}

TEST_F(Recognition, DossierIsEditableWhenReturned) {
  ToReview();
  ASSERT_TRUE(Fire("return_for_changes", sec, "add the statutes").ok());
  ASSERT_TRUE(Fire("edit_dossier", liaison, "", J(R"({"statutes_ref": "v2"})")).ok());
  EXPECT_EQ(h.store->GetRecord("rso", rso)->data.GetString("statutes_ref"), "v2");
}

TEST_F(Recognition, DossierIsFrozenOutsideDraftAndReturned) {
  ASSERT_TRUE(Fire("submit", sec).ok());
  auto r = Fire("edit_dossier", sec, "", J(R"({"statutes_ref": "late"})"));
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidTransition);
  EXPECT_EQ(h.store->GetRecord("rso", rso)->data.GetString("statutes_ref"), "SAARC 2008");
}

TEST_F(Recognition, CouncilAndAuditorCannotEditOrSubmitTheDossier) {
  for (const Actor& who : {council[0], auditor}) {
    EXPECT_EQ(Fire("edit_dossier", who, "", J(R"({"statutes_ref": "forged"})")).status().code(),
              Status::Code::kForbidden)
        << who.role;
    EXPECT_EQ(Fire("submit", who).status().code(), Status::Code::kForbidden) << who.role;
  }
  EXPECT_EQ(State(), "draft");
  EXPECT_EQ(h.store->GetRecord("rso", rso)->data.GetString("statutes_ref"), "SAARC 2008");
  EXPECT_EQ(h.History(id).size(), 1u) << "only the creation is audited";
}

TEST_F(Recognition, AnotherRsosLiaisonCannotSeeOrEditTheDossier) {
  EXPECT_EQ(Fire("edit_dossier", other_liaison, "", J(R"({"name": "x"})")).status().code(),
            Status::Code::kNotFound);
  EXPECT_EQ(Fire("submit", other_liaison).status().code(), Status::Code::kNotFound);
}

TEST_F(Recognition, EditThatTakesAnotherRsosAcronymIsADuplicate) {
  ASSERT_TRUE(h.Start("rso_recognition", sec, Dossier("GSO")).ok());
  EXPECT_EQ(Fire("edit_dossier", sec, "", J(R"({"acronym": "GSO"})")).status().code(),
            Status::Code::kDuplicate);
}

// ---- submit and review

TEST_F(Recognition, CompleteDossierSubmittedFromDraft) {
  auto r = Fire("submit", liaison);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(State(), "submitted");
}

TEST_F(Recognition, IncompleteDossierGivesOneReasonPerMissingItem) {
  auto r = h.Start("rso_recognition", sec,
                   J(R"({"acronym": "AMN", "name": "Asociacion Mercosur de Normalizacion",
                         "kind": "sub_regional", "region": "Americas", "member_bodies": ["AR"]})"));
  ASSERT_TRUE(r.ok());
  auto refused = h.Fire(r->instance.id, "submit", sec);
  ASSERT_EQ(refused.status().code(), Status::Code::kGuardFailed);
  EXPECT_EQ(refused.status().reasons(),
            (std::vector<std::string>{"at least 2 member bodies are required",
                                      "statutes_ref is missing"}));
  EXPECT_EQ(h.Load(r->instance.id).state, "draft");
}

TEST_F(Recognition, ResubmittedAfterBeingReturned) {
  ToReview();
  ASSERT_TRUE(Fire("return_for_changes", sec, "please add the statutes").ok());
  EXPECT_EQ(State(), "returned");
  ASSERT_TRUE(Fire("submit", liaison).ok());
  EXPECT_EQ(State(), "submitted");
}

TEST_F(Recognition, IncompleteDossierIsNotResubmittedFromReturned) {
  ToReview();
  ASSERT_TRUE(Fire("return_for_changes", sec, "update the membership").ok());
  ASSERT_TRUE(
      Fire("edit_dossier", liaison, "", J(R"({"member_bodies": ["NP"], "statutes_ref": ""})"))
          .ok());
  auto r = Fire("submit", liaison);
  ASSERT_EQ(r.status().code(), Status::Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(), (std::vector<std::string>{"at least 2 member bodies are required",
                                                            "statutes_ref is missing"}));
  EXPECT_EQ(State(), "returned");
  EXPECT_EQ(h.History(id).back().event, "edit_dossier");
}

TEST_F(Recognition, StartReviewIsForTheSecretariat) {
  ASSERT_TRUE(Fire("submit", sec).ok());
  EXPECT_EQ(Fire("start_review", liaison).status().code(), Status::Code::kForbidden);
  ASSERT_TRUE(Fire("start_review", sec).ok());
  EXPECT_EQ(State(), "secretariat_review");
}

TEST_F(Recognition, ReturnForChangesNeedsAComment) {
  ToReview();
  auto r = Fire("return_for_changes", sec);
  ASSERT_EQ(r.status().code(), Status::Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(), std::vector<std::string>{"a comment is required"});
  EXPECT_EQ(State(), "secretariat_review");
}

TEST_F(Recognition, ReturnForChangesAndReferToCouncilAreForTheSecretariatOnly) {
  ToReview();
  const int64_t before = h.AuditCount();
  for (const Actor& who : {liaison, council[0], auditor}) {
    for (const char* e : {"return_for_changes", "refer_to_council"}) {
      EXPECT_EQ(Fire(e, who, "please").status().code(), Status::Code::kForbidden)
          << e << " by " << who.role;
    }
  }
  EXPECT_EQ(State(), "secretariat_review");
  EXPECT_EQ(Ballots(), 0);
  EXPECT_EQ(h.AuditCount(), before);
}

// ---- Council

TEST_F(Recognition, ReferToCouncilOpensABallotInTheSameTransaction) {
  ToReview();
  const int64_t before = h.AuditCount();
  const int64_t ballot = Refer();
  EXPECT_EQ(State(), "council_review");
  Instance b = h.Load(ballot);
  EXPECT_EQ(b.subject_id, id);
  EXPECT_EQ(b.rso_id, rso);
  EXPECT_EQ(b.data.GetString("basis"), "34/2011");
  EXPECT_EQ(b.due_at, kT0 + 14 * kMsPerDay);
  EXPECT_EQ(b.data.Get("excluded")->Dump(), "[\"" + council[4].user_id + "\"]");
  EXPECT_EQ(h.AuditCount(), before + 2);
  auto created = h.History(ballot).front();
  EXPECT_EQ(created.actor_role, "system");
  EXPECT_EQ(created.seq, h.History(id).back().seq + 1);
}

TEST_F(Recognition, TheBallotListsEachAffiliatedMemberAsExcludedWithTheReason) {
  ToReview();
  const int64_t ballot = Refer();
  const Instance b = h.Load(ballot);
  const std::string expected = R"([{"reason":"affiliated_with_rso","user_id":")" +
                               council[4].user_id + R"(","username":"c4"}])";
  EXPECT_EQ(b.data.Get("exclusions")->Dump(), expected);
  EXPECT_EQ(b.data.Get("exclude_affiliated")->Dump(), "true");
  // The affiliated member cannot vote: excluded for the conflict of interest.
  Json d = J(R"({"choice": "approve"})");
  EXPECT_EQ(h.Fire(ballot, "vote", council[4], d).status().code(),
            Status::Code::kConflictOfInterest);
}

TEST_F(Recognition, ReferralWithoutExcludingAffiliatedMembersKeepsThemVotingAndIsAudited) {
  ToReview();
  ASSERT_TRUE(Fire("refer_to_council", sec, "", J(R"({"exclude_affiliated": false})")).ok());
  auto ballots =
      h.store->ListInstances(InstanceQuery{"council_ballot", "open", "", true, 0, 5, {}});
  ASSERT_EQ(ballots->size(), 1u);
  const Instance b = ballots->back();
  EXPECT_EQ(b.data.Get("excluded")->Dump(), "[]");
  EXPECT_EQ(b.data.Get("exclusions")->Dump(), "[]");
  EXPECT_EQ(b.data.Get("exclude_affiliated")->Dump(), "false");
  // The referral's audit entry and the ballot's opening entry both say so.
  const auto referral = h.History(id).back();
  EXPECT_EQ(referral.event, "refer_to_council");
  EXPECT_EQ(referral.data.Get("exclude_affiliated")->Dump(), "false");
  const auto opened = h.History(b.id).front();
  ASSERT_NE(opened.data.Get("exclude_affiliated"), nullptr) << opened.data.Dump();
  // The affiliated member votes like the others.
  EXPECT_TRUE(h.Fire(b.id, "vote", council[4], J(R"({"choice": "abstain"})")).ok());
}

TEST_F(Recognition, ExcludeAffiliatedMustBeTrueOrFalse) {
  ToReview();
  const int64_t before = h.AuditCount();
  for (const char* bad : {R"({"exclude_affiliated": "no"})", R"({"exclude_affiliated": 0})",
                          R"({"exclude_affiliated": null})"}) {
    auto r = Fire("refer_to_council", sec, "", J(bad));
    ASSERT_EQ(r.status().code(), Status::Code::kInvalidRequest) << bad;
    EXPECT_EQ(r.status().fields(), std::vector<std::string>{"data.exclude_affiliated"}) << bad;
  }
  EXPECT_EQ(State(), "secretariat_review");
  EXPECT_EQ(h.AuditCount(), before);
}

TEST_F(Recognition, ReferToCouncilPassesDeadlineAndThresholdToTheBallot) {
  ToReview();
  ASSERT_TRUE(Fire("refer_to_council", sec, "",
                   J(R"({"deadline": "2026-03-30T12:00:00Z", "threshold": "two_thirds"})"))
                  .ok());
  auto b = h.store->ListInstances(InstanceQuery{"council_ballot", "", "", {}, 0, 5, {}})->back();
  EXPECT_EQ(b.data.GetString("deadline"), "2026-03-30T12:00:00.000Z");
  EXPECT_EQ(b.data.GetString("threshold"), "two_thirds");
}

TEST_F(Recognition, RegionalRsoIsReferredUnderTheBasisOf1992) {
  auto r = h.Start("rso_recognition", sec, Dossier("ARSO", "regional"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  id = r->instance.id;
  ToReview();
  const Instance b = h.Load(Refer());
  EXPECT_EQ(b.subject_id, id);
  EXPECT_EQ(b.data.GetString("basis"), "26/1992");
  EXPECT_NE(b.data.GetString("question").find("(ARSO) as a regional standards organization"),
            std::string::npos)
      << b.data.GetString("question");
}

TEST_F(Recognition, ReferToCouncilWithABadDeadlineIsRefusedAndOpensNoBallot) {
  ToReview();
  const int64_t before = h.AuditCount();
  auto r = Fire("refer_to_council", sec, "", J(R"({"deadline": "in two weeks"})"));
  ASSERT_EQ(r.status().code(), Status::Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"data.deadline"});
  r = Fire("refer_to_council", sec, "", J(R"({"deadline": "2026-03-01T09:00:00Z"})"));
  ASSERT_EQ(r.status().code(), Status::Code::kGuardFailed) << "a day before the fake clock's now";
  EXPECT_EQ(r.status().reasons(), std::vector<std::string>{"the deadline must be in the future"});
  EXPECT_EQ(State(), "secretariat_review");
  EXPECT_EQ(Ballots(), 0);
  EXPECT_EQ(h.AuditCount(), before);
}

TEST_F(Recognition, BallotThatCannotOpenLeavesTheRecognitionUnchanged) {
  ToReview();
  const int64_t before = h.AuditCount();
  auto r = Fire("refer_to_council", sec, "", J(R"({"quorum": 3})"));
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidRequest);
  EXPECT_EQ(State(), "secretariat_review");
  EXPECT_EQ(h.AuditCount(), before);
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM instances WHERE workflow = 'council_ballot'"), "0");
}

TEST_F(Recognition, ApprovedBallotRecognizesTheRsoWithItsResolution) {
  ToReview();
  const int64_t ballot = Refer();
  VoteAll(ballot, "approve");
  Instance i = h.Load(id);
  EXPECT_EQ(i.state, "recognized");
  EXPECT_EQ(i.data.GetString("resolution"), "01/2026");
  ExpectDecisionOf(ballot, "council_approved");
  EXPECT_EQ(h.History(id).back().data.GetString("resolution"), "01/2026");
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(Recognition, RejectedBallotRejectsTheApplication) {
  ToReview();
  const int64_t ballot = Refer();
  VoteAll(ballot, "reject");
  EXPECT_EQ(State(), "rejected");
  EXPECT_EQ(h.Load(id).data.GetString("resolution"), "01/2026");
  ExpectDecisionOf(ballot, "council_rejected");
  EXPECT_EQ(h.History(id).back().from_state, "council_review");
}

TEST_F(Recognition, AFailedDecisionOnTheRecognitionUndoesTheVoteTheClosingAndTheResolution) {
  ToReview();
  const int64_t ballot = Refer();
  const Json approve = J(R"({"choice": "approve"})");
  for (size_t i = 0; i < 3; ++i) ASSERT_TRUE(h.Fire(ballot, "vote", council[i], approve).ok());
  BlockState("rso_recognition", "recognized");
  const int64_t before = h.AuditCount();
  // The last eligible vote closes the ballot, whose decision must then recognize the RSO.
  auto r = h.Fire(ballot, "vote", council[3], approve);
  EXPECT_EQ(r.status().code(), Status::Code::kUnavailable);
  EXPECT_EQ(State(), "council_review");
  const Instance b = h.Load(ballot);
  EXPECT_EQ(b.state, "open");
  EXPECT_EQ(b.data.Get("votes")->size(), 3u) << "the last vote is not kept";
  EXPECT_TRUE(b.data.Get("resolution")->is_null());
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM counters"), "0") << "no resolution number used";
  EXPECT_EQ(h.AuditCount(), before);
  EXPECT_TRUE(h.VerifyAudit().ok);

  UnblockState("recognized");
  ASSERT_TRUE(h.Fire(ballot, "vote", council[3], approve).ok());
  EXPECT_EQ(State(), "recognized");
  EXPECT_EQ(h.Load(id).data.GetString("resolution"), "01/2026");
}

TEST_F(Recognition, BallotWithoutQuorumReturnsItToSecretariatReview) {
  ToReview();
  const int64_t ballot = Refer();
  Json d = J(R"({"choice": "approve"})");
  ASSERT_TRUE(h.Fire(ballot, "vote", council[0], d).ok());
  h.clock.Advance(std::chrono::hours(24 * 15));
  EXPECT_GE(FireDue(), 1);
  EXPECT_EQ(h.Load(ballot).state, "no_quorum");
  EXPECT_EQ(State(), "secretariat_review");
  ExpectDecisionOf(ballot, "council_no_quorum");
  EXPECT_TRUE(Refer() > ballot);  // may be referred again
}

TEST_F(Recognition, CouncilOutcomesAreSystemEventsOnly) {
  ToReview();
  Refer();
  for (const char* e : {"council_approved", "council_rejected", "council_no_quorum"}) {
    EXPECT_EQ(Fire(e, sec).status().code(), Status::Code::kForbidden) << e;
  }
  EXPECT_EQ(State(), "council_review");
}

// ---- after recognition

TEST_F(Recognition, SuspendNeedsACommentAndReinstateRestores) {
  ToRecognized();
  EXPECT_EQ(Fire("suspend", sec).status().reasons(),
            std::vector<std::string>{"a comment is required"});
  ASSERT_TRUE(Fire("suspend", sec, "statutes lapsed").ok());
  EXPECT_EQ(State(), "suspended");
  auto r = Fire("reinstate", sec);
  ASSERT_EQ(r.status().code(), Status::Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(), std::vector<std::string>{"a comment is required"});
  EXPECT_EQ(State(), "suspended");
  ASSERT_TRUE(Fire("reinstate", sec, "statutes renewed").ok());
  EXPECT_EQ(State(), "recognized");
}

TEST_F(Recognition, SuspendIsForTheSecretariat) {
  ToRecognized();
  EXPECT_EQ(Fire("suspend", liaison, "x").status().code(), Status::Code::kForbidden);
  EXPECT_EQ(Fire("suspend", auditor, "x").status().code(), Status::Code::kForbidden);
}

TEST_F(Recognition, ReinstateAndProposeWithdrawalAreForTheSecretariatOnly) {
  ToSuspended();
  const int64_t before = h.AuditCount();
  for (const Actor& who : {liaison, council[0], auditor}) {
    for (const char* e : {"reinstate", "propose_withdrawal"}) {
      EXPECT_EQ(Fire(e, who, "please").status().code(), Status::Code::kForbidden)
          << e << " by " << who.role;
    }
  }
  EXPECT_EQ(State(), "suspended");
  EXPECT_EQ(Ballots(), 1) << "only the ballot that recognized it";
  EXPECT_EQ(h.AuditCount(), before);
}

TEST_F(Recognition, ProposeWithdrawalNeedsACommentAndOpensAWithdrawalBallot) {
  ToSuspended();
  auto r = Fire("propose_withdrawal", sec);
  ASSERT_EQ(r.status().code(), Status::Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(), std::vector<std::string>{"a comment is required"});
  EXPECT_EQ(Ballots(), 1) << "no withdrawal ballot without a comment";
  const int64_t ballot = Refer("propose_withdrawal", "inactive for three years");
  EXPECT_EQ(State(), "withdrawal_review");
  const Instance b = h.Load(ballot);
  EXPECT_EQ(b.title, "Withdrawal of recognition: SARSO");
  EXPECT_EQ(b.subject_id, id);
  EXPECT_EQ(b.rso_id, rso);
  EXPECT_EQ(b.created_by, "system");
  EXPECT_EQ(b.data.GetString("basis"), "34/2011");
  EXPECT_NE(b.data.GetString("question").find("withdraw its recognition of"), std::string::npos);
  const AuditEntry created = h.History(ballot).front();
  EXPECT_EQ(created.event, "create");
  EXPECT_EQ(created.actor_role, "system");
  EXPECT_EQ(created.seq, h.History(id).back().seq + 1) << "in the same command";
}

TEST_F(Recognition, WithdrawalBallotThatCannotOpenLeavesTheRsoSuspended) {
  ToSuspended();
  const int64_t before = h.AuditCount();
  auto r = Fire("propose_withdrawal", sec, "inactive", J(R"({"quorum": 3})"));
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidRequest);
  EXPECT_EQ(State(), "suspended");
  EXPECT_EQ(h.AuditCount(), before);
  EXPECT_EQ(Ballots(), 1) << "only the ballot that recognized it";
  // Numbers come from the register of resolutions now (issue 18), not from a counter.
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM resolutions"), "1") << "no resolution number used";
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(Recognition, ApprovedWithdrawalWithdrawsForGood) {
  ToSuspended();
  const int64_t ballot = Refer("propose_withdrawal", "inactive");
  VoteAll(ballot, "approve");
  ExpectDecisionOf(ballot, "council_approved");
  Instance i = h.Load(id);
  EXPECT_EQ(i.state, "withdrawn");
  EXPECT_TRUE(i.terminal);
  EXPECT_EQ(i.data.GetString("resolution"), "01/2026") << "the recognizing resolution stays";
  EXPECT_EQ(i.data.GetString("withdrawal_resolution"), "02/2026");
  EXPECT_EQ(Fire("reopen", sec).status().code(), Status::Code::kInvalidTransition);
}

TEST_F(Recognition, RejectedWithdrawalLeavesItSuspended) {
  ToSuspended();
  const int64_t ballot = Refer("propose_withdrawal", "inactive");
  VoteAll(ballot, "reject");
  EXPECT_EQ(State(), "suspended");
  ExpectDecisionOf(ballot, "council_rejected");
  // Regression: a rejected withdrawal used to overwrite the recognizing resolution.
  const Instance i = h.Load(id);
  EXPECT_EQ(i.data.GetString("resolution"), "01/2026");
  EXPECT_EQ(i.data.GetString("withdrawal_resolution"), "02/2026");
  EXPECT_EQ(i.data.GetString("last_outcome"), "rejected");
}

TEST_F(Recognition, WithdrawalBallotWithoutQuorumLeavesItSuspended) {
  ToSuspended();
  const int64_t ballot = Refer("propose_withdrawal", "inactive");
  h.clock.Advance(std::chrono::hours(24 * 15));
  FireDue();
  EXPECT_EQ(State(), "suspended");
  ExpectDecisionOf(ballot, "council_no_quorum");
  EXPECT_EQ(h.History(id).back().from_state, "withdrawal_review");
}

TEST_F(Recognition, RejectedApplicationCanBeReopened) {
  ToReview();
  VoteAll(Refer(), "reject");
  EXPECT_EQ(Fire("reopen", liaison).status().code(), Status::Code::kForbidden);
  ASSERT_TRUE(Fire("reopen", sec).ok());
  EXPECT_EQ(State(), "draft");
}

// ---- withdraw, from each state that allows it

class WithdrawFrom : public Recognition, public ::testing::WithParamInterface<std::string> {};

TEST_P(WithdrawFrom, WithACommentWithdrawsAndWithoutOneIsRefused) {
  const std::string from = GetParam();
  if (from != "draft") {
    ASSERT_TRUE(Fire("submit", sec).ok());
  }
  if (from == "secretariat_review" || from == "returned" || from == "council_review") {
    ASSERT_TRUE(Fire("start_review", sec).ok());
  }
  if (from == "returned") {
    ASSERT_TRUE(Fire("return_for_changes", sec, "more").ok());
  }
  if (from == "council_review") Refer();
  ASSERT_EQ(State(), from);
  const Status refused = Fire("withdraw", sec).status();
  EXPECT_EQ(refused.code(), Status::Code::kGuardFailed);
  EXPECT_EQ(refused.reasons(), std::vector<std::string>{"a comment is required"});
  EXPECT_EQ(State(), from);
  EXPECT_EQ(Fire("withdraw", liaison, "x").status().code(), Status::Code::kForbidden);
  ASSERT_TRUE(Fire("withdraw", sec, "the RSO asked to withdraw").ok());
  EXPECT_EQ(State(), "withdrawn");
}

INSTANTIATE_TEST_SUITE_P(Recognition, WithdrawFrom,
                         ::testing::Values("draft", "returned", "submitted", "secretariat_review",
                                           "council_review"));

TEST_F(Recognition, WithdrawDuringCouncilReviewCancelsTheOpenBallot) {
  ToReview();
  const int64_t ballot = Refer();
  ASSERT_TRUE(Fire("withdraw", sec, "the RSO dissolved").ok());
  Instance b = h.Load(ballot);
  EXPECT_EQ(b.state, "cancelled");
  EXPECT_FALSE(b.due_at.has_value());
  auto last = h.History(ballot).back();
  EXPECT_EQ(last.event, "cancel");
  EXPECT_EQ(last.actor_role, "system");
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM counters"), "0");  // no resolution used
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(Recognition, AFailedBallotCancellationLeavesTheWithdrawalUndone) {
  ToReview();
  const int64_t ballot = Refer();
  BlockState("council_ballot", "cancelled");
  const int64_t before = h.AuditCount();
  auto r = Fire("withdraw", sec, "the RSO dissolved");
  EXPECT_EQ(r.status().code(), Status::Code::kUnavailable);
  EXPECT_EQ(State(), "council_review");
  const Instance b = h.Load(ballot);
  EXPECT_EQ(b.state, "open");
  EXPECT_TRUE(b.due_at.has_value());
  EXPECT_EQ(
      h.QueryText("SELECT COUNT(*) FROM timers WHERE instance_id = " + std::to_string(ballot)), "1")
      << "the deadline timer is still set";
  EXPECT_EQ(h.AuditCount(), before);
  EXPECT_TRUE(h.VerifyAudit().ok);
}

// A ballot its recognition waits for cannot be cancelled on its own: council_review would have
// only withdraw left, and withdrawal_review nothing at all. It is cancelled with its subject
// (withdraw, above) or runs to its close.
TEST_F(Recognition, TheSecretariatCannotCancelTheBallotARecognitionWaitsFor) {
  ToReview();
  const int64_t referral = Refer();
  const std::string reason = "this ballot decides instance " + std::to_string(id) +
                             ", which waits for its outcome: it closes at its deadline, or is "
                             "cancelled by withdrawing that instance";
  auto r = h.Fire(referral, "cancel", sec, Json::MakeObject(), "no longer needed");
  ASSERT_EQ(r.status().code(), Status::Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(), std::vector<std::string>{reason});
  // Without a comment both reasons are given.
  EXPECT_EQ(h.Fire(referral, "cancel", sec).status().reasons(),
            (std::vector<std::string>{"a comment is required", reason}));
  EXPECT_EQ(h.Load(referral).state, "open");
  EXPECT_EQ(State(), "council_review");
  VoteAll(referral, "approve");
  EXPECT_EQ(State(), "recognized");

  ASSERT_TRUE(Fire("suspend", sec, "statutes lapsed").ok());
  const int64_t withdrawal = Refer("propose_withdrawal", "no activity since 2024");
  EXPECT_EQ(
      h.Fire(withdrawal, "cancel", sec, Json::MakeObject(), "no longer needed").status().reasons(),
      std::vector<std::string>{reason});
  EXPECT_EQ(h.Load(withdrawal).state, "open");
  EXPECT_EQ(State(), "withdrawal_review");
  VoteAll(withdrawal, "reject");
  EXPECT_EQ(State(), "suspended");
}

TEST_F(Recognition, WithdrawnIsTerminal) {
  ASSERT_TRUE(Fire("withdraw", sec, "duplicate application").ok());
  for (const char* e : {"submit", "edit_dossier", "reopen"}) {
    EXPECT_EQ(Fire(e, sec, "x", J(R"({"name": "x"})")).status().code(),
              Status::Code::kInvalidTransition)
        << e;
  }
}

TEST_F(Recognition, MachineTableMatchesDesign) {
  const WorkflowMeta& m = h.registry.Find("rso_recognition")->Meta();
  // "from event to roles guard", roles written as DESIGN 4 does: S, L, C, sys.
  std::set<std::string> rows;
  for (const auto& t : m.transitions) {
    std::string roles;
    for (const auto& r : t.roles) {
      const std::string abbreviated = r == "secretariat"   ? "S"
                                      : r == "rso_liaison" ? "L"
                                      : r == "council"     ? "C"
                                      : r == "system"      ? "sys"
                                                           : "?" + r;
      roles += (roles.empty() ? "" : ",") + abbreviated;
    }
    rows.insert(t.from + " " + t.event + " " + t.to + " " + roles + " " + t.guard);
  }
  const std::set<std::string> expected = {
      "draft edit_dossier draft S,L ",
      "returned edit_dossier returned S,L ",
      "draft submit submitted S,L dossier_complete",
      "returned submit submitted S,L dossier_complete",
      "submitted start_review secretariat_review S ",
      "secretariat_review return_for_changes returned S comment",
      "secretariat_review refer_to_council council_review S ",
      "council_review council_approved recognized sys ",
      "council_review council_rejected rejected sys ",
      "council_review council_no_quorum secretariat_review sys ",
      "recognized suspend suspended S comment",
      "suspended reinstate recognized S comment",
      "suspended propose_withdrawal withdrawal_review S comment",
      "withdrawal_review council_approved withdrawn sys ",
      "withdrawal_review council_rejected suspended sys ",
      "withdrawal_review council_no_quorum suspended sys ",
      "draft withdraw withdrawn S comment",
      "returned withdraw withdrawn S comment",
      "submitted withdraw withdrawn S comment",
      "secretariat_review withdraw withdrawn S comment",
      "council_review withdraw withdrawn S comment",
      "rejected reopen draft S "};
  EXPECT_EQ(rows, expected);
  EXPECT_EQ(m.transitions.size(), expected.size()) << "no row twice";
  std::set<std::string> states, terminal;
  for (const auto& st : m.states) {
    states.insert(st.name);
    if (st.terminal) terminal.insert(st.name);
  }
  EXPECT_EQ(states, (std::set<std::string>{"draft", "submitted", "secretariat_review", "returned",
                                           "council_review", "recognized", "rejected", "suspended",
                                           "withdrawal_review", "withdrawn"}));
  EXPECT_EQ(terminal, std::set<std::string>{"withdrawn"});
  EXPECT_EQ(m.initial_state, "draft");
}

// ---- the dossier rule, directly

// Creation and every edit validate the whole dossier, which requires name, acronym, kind and
// region, so through the engine a submit can only lack member bodies or statutes_ref; the
// other four reasons are checked on the rule itself.
TEST(RecognitionRules, DossierGapsNameEachMissingItem) {
  // "code: text" of each gap, so one comparison checks both.
  auto gaps = [](const Json& d) {
    std::vector<std::string> out;
    for (const Reason& r : rso::DossierGaps(d)) out.push_back(r.code + ": " + r.text);
    return out;
  };
  EXPECT_TRUE(gaps(Dossier()).empty());
  for (const char* key : {"name", "acronym", "kind", "region", "statutes_ref"}) {
    Json d = Dossier();
    d.Set(key, "");
    const std::vector<std::string> want = {"dossier_incomplete: " + std::string(key) +
                                           " is missing"};
    EXPECT_EQ(gaps(d), want);
    d.Erase(key);
    EXPECT_EQ(gaps(d), want);
  }
  Json one_body = Dossier();
  one_body.Set("member_bodies", J(R"(["BD"])"));
  EXPECT_EQ(gaps(one_body), std::vector<std::string>{
                                "too_few_member_bodies: at least 2 member bodies are required"});
  EXPECT_EQ(gaps(Json::MakeObject()),
            (std::vector<std::string>{
                "dossier_incomplete: name is missing", "dossier_incomplete: acronym is missing",
                "dossier_incomplete: kind is missing", "dossier_incomplete: region is missing",
                "too_few_member_bodies: at least 2 member bodies are required",
                "dossier_incomplete: statutes_ref is missing"}));
}

}  // namespace
}  // namespace rsoflow::testing
