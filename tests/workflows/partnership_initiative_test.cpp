// partnership_initiative (DESIGN 4.3) through the real engine and SQLite: every row, guard
// reason, role and scope refusal, and the cross-workflow effect of an RSO's suspension.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>

#include "engine/timer_scheduler.h"
#include "tests/support/partnership_world.h"
#include "workflows/partnership_initiative/rules.h"

namespace rsoflow::testing {
namespace {

using Code = Status::Code;

class Initiative : public ::testing::Test {
 protected:
  void SetUp() override {
    rso = w.RecognizedRso("EASC");
    other_rso = w.RecognizedRso("SADCSTAN");
    liaison = h.AddUser("liaison", "rso_liaison", rso);
    other_liaison = h.AddUser("other.liaison", "rso_liaison", other_rso);
    auto r = Create(w.sec, Training());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    id = r->instance.id;
  }
  void TearDown() override { h.engine->Stop(); }

  static Json Training() {
    return J(R"({"type": "training", "title": "Conformity assessment training",
                 "objectives": ["train 40 assessors"], "start_date": "2026-04-01",
                 "end_date": "2026-09-30"})");
  }
  static Json Adoption() {
    return J(R"({"type": "standards_adoption", "title": "Adopt quality management standards",
                 "standards": [{"reference": "ISO 9001:2015", "degree": "IDT",
                                "method": "endorsement"},
                               {"reference": "ISO 14001:2015", "degree": "MOD",
                                "method": "translation"}]})");
  }
  Result<CommandResult> Create(const Actor& who, Json data, const std::string& for_rso = "") {
    return h.Start("partnership_initiative", who, std::move(data), for_rso.empty() ? rso : for_rso);
  }
  Result<CommandResult> Fire(const std::string& event, const Actor& who,
                             const std::string& comment = "", Json data = Json::MakeObject()) {
    return h.Fire(id, event, who, std::move(data), comment);
  }
  std::string State() { return h.Load(id).state; }
  void ToActive() {
    ASSERT_TRUE(Fire("start_review", w.sec).ok());
    ASSERT_TRUE(Fire("approve", w.sec).ok());
    ASSERT_TRUE(Fire("start", liaison).ok());
    ASSERT_EQ(State(), "active");
  }
  void Suspend(const std::string& which) {
    auto r = h.Fire(w.RecognitionOf(which), "suspend", w.sec, Json::MakeObject(), "dues unpaid");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  std::vector<std::string> Reasons(const Status& s) { return s.reasons(); }
  // An event_promotion initiative of `rso`, made active, linked to a new ISO event that ended
  // on 2026-02-12 and lists `event_rsos`; `id` becomes the initiative. Returns the event's id.
  std::string ActivePromotion(const std::vector<std::string>& event_rsos) {
    const std::string ev = w.AddIsoEvent("Workshop " + std::to_string(++events_), "2026-02-10",
                                         "2026-02-12", event_rsos);
    Json d = J(R"({"type": "event_promotion", "title": "Promote the workshop"})");
    d.Set("iso_event_id", ev);
    auto created = Create(w.sec, d);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    if (!created.ok()) return ev;
    id = created->instance.id;
    ToActive();
    return ev;
  }
  // A momentum plan of `author`'s RSO for `event` (one action, due 2026-03-10), driven through
  // `events` by `author` (approve by the secretariat). Returns its id.
  int64_t PlanFor(const std::string& event, const Actor& author,
                  const std::vector<std::string>& events) {
    Json plan = J(R"({"title": "After the workshop",
                      "actions": [{"title": "Publish the report", "owner": "RSO secretariat",
                                   "due_on": "2026-03-10"}]})");
    plan.Set("iso_event_id", event);
    auto p = h.Start("momentum_plan", author, plan, author.rso_id);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    if (!p.ok()) return 0;
    for (const auto& e : events) {
      Json data = Json::MakeObject();
      if (e == "report_progress") data = J(R"({"action_id": "A1", "status": "done"})");
      auto r = h.Fire(p->instance.id, e, e == "approve" ? w.sec : author, data);
      EXPECT_TRUE(r.ok()) << e << ": " << r.status().ToString();
    }
    return p->instance.id;
  }

  Harness h;
  PartnershipWorld w{h};
  std::string rso, other_rso;
  Actor liaison, other_liaison;
  int64_t id = 0;
  int events_ = 0;
};

// ---- creation

TEST_F(Initiative, CreatedProposedForARecognizedRso) {
  Instance i = h.Load(id);
  EXPECT_EQ(i.state, "proposed");
  EXPECT_EQ(i.rso_id, rso);
  EXPECT_EQ(i.title, "Conformity assessment training");
  EXPECT_EQ(i.data.GetString("type"), "training");
  EXPECT_EQ(i.data.GetInt("percent_complete", -1), 0);
}

TEST_F(Initiative, NotForAnRsoThatIsNotRecognized) {
  const std::string draft = w.RegisterRso("NEWRSO");
  const int64_t before = h.AuditCount();
  auto r = Create(w.sec, Training(), draft);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(Reasons(r.status()),
            std::vector<std::string>{"the RSO is not recognized (its recognition is draft)"});
  EXPECT_EQ(h.AuditCount(), before);
}

TEST_F(Initiative, NotForASuspendedRso) {
  Suspend(rso);
  auto r = Create(w.sec, Training());
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(Reasons(r.status()),
            std::vector<std::string>{"the RSO is not recognized (its recognition is suspended)"});
}

// Regression: the recognition state was read from at most 1 000 recognition instances of the
// RSO, so with more the 1 000th (not the newest) decided whether the RSO was recognized.
TEST_F(Initiative, NotForAnRsoWhoseNewestRecognitionIsWithdrawnHoweverManyCameBefore) {
  // 999 more recognized instances of the RSO, then a withdrawn one (the newest, id 1 001 of
  // the RSO's), written straight into the store in one job.
  const Instance model = h.Load(w.RecognitionOf(rso));
  ASSERT_EQ(model.state, "recognized");
  auto inserted = h.engine
                      ->SubmitJob([model](Store& s) -> Result<Json> {
                        for (int n = 0; n < 999; ++n) {
                          auto r = s.InsertInstance(model);
                          if (!r.ok()) return r.status();
                        }
                        Instance withdrawn = model;
                        withdrawn.state = "withdrawn";
                        withdrawn.terminal = true;
                        auto r = s.InsertInstance(withdrawn);
                        if (!r.ok()) return r.status();
                        return Json(true);
                      })
                      .get();
  ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
  ASSERT_EQ(h.QueryText("SELECT COUNT(*) FROM instances WHERE workflow = 'rso_recognition' AND "
                        "rso_id = '" +
                        rso + "'"),
            "1001");

  const int64_t before = h.AuditCount();
  auto r = Create(w.sec, Training());
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(Reasons(r.status()),
            std::vector<std::string>{"the RSO is not recognized (its recognition is withdrawn)"});
  EXPECT_EQ(h.AuditCount(), before);
  EXPECT_TRUE(Create(w.sec, Training(), other_rso).ok()) << "only that RSO is affected";
}

TEST_F(Initiative, EveryTypeOfThePolicyIsAcceptedAndAnythingElseIsNot) {
  for (const auto& type : partnership_initiative::Types()) {
    Json d = type == "standards_adoption" ? Adoption() : Training();
    d.Set("type", type);
    d.Set("description", "Joint work on conformity assessment schemes");
    EXPECT_TRUE(Create(w.sec, d).ok()) << type;
  }
  EXPECT_EQ(partnership_initiative::Types(),
            (std::vector<std::string>{"event_promotion", "engagement_strategy",
                                      "standards_adoption", "training", "technical_assistance",
                                      "information_sharing", "cooperative_exchange",
                                      "technical_cooperation", "other"}));
  Json d = Training();
  d.Set("type", "lobbying");
  auto r = Create(w.sec, d);
  ASSERT_EQ(r.status().code(), Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"type"});
}

TEST_F(Initiative, TechnicalCooperationNeedsNoDescription) {
  Json d = Training();
  d.Set("type", "technical_cooperation");
  auto r = Create(w.sec, d);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(h.Load(r->instance.id).data.GetString("type"), "technical_cooperation");
}

TEST_F(Initiative, AnOtherInitiativeWithoutADescriptionIsRefusedNamingIt) {
  Json d = Training();
  d.Set("type", "other");
  const int64_t before = h.AuditCount();
  for (Json description : {Json(), Json("")}) {
    d.Set("description", description);
    auto r = Create(w.sec, d);
    ASSERT_EQ(r.status().code(), Code::kInvalidRequest);
    EXPECT_EQ(r.status().fields(), std::vector<std::string>{"description"});
    EXPECT_EQ(r.status().message(),
              "an initiative of type other needs a description of what it covers");
  }
  EXPECT_EQ(h.AuditCount(), before);
  d.Set("description", "Secondment of an RSO expert to an ISO working group");
  EXPECT_TRUE(Create(w.sec, d).ok());
}

TEST_F(Initiative, ReviseCannotLeaveAnOtherInitiativeWithoutADescription) {
  // To `other` without a description; then, once `other`, the description cannot be emptied.
  auto r = Fire("revise", liaison, "", J(R"({"type": "other"})"));
  ASSERT_EQ(r.status().code(), Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"data.description"});
  EXPECT_EQ(h.Load(id).data.GetString("type"), "training");
  ASSERT_TRUE(
      Fire("revise", liaison, "", J(R"({"type": "other", "description": "Expert secondment"})"))
          .ok());
  r = Fire("revise", liaison, "", J(R"({"description": null})"));
  ASSERT_EQ(r.status().code(), Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"data.description"});
  EXPECT_EQ(h.Load(id).data.GetString("description"), "Expert secondment");
}

TEST_F(Initiative, StandardsAdoptionIsValidatedAgainstGuide21) {
  ASSERT_TRUE(Create(w.sec, Adoption()).ok());
  Json d = Adoption();
  d.Set("standards", J(R"([{"reference": "ISO 9001:2015", "degree": "MOD",
                            "method": "endorsement"}])"));
  auto r = Create(w.sec, d);
  ASSERT_EQ(r.status().code(), Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"standards"});
  EXPECT_NE(r.status().message().find("degree is IDT"), std::string::npos) << r.status().message();
  d.Set("standards", Json::MakeArray());
  r = Create(w.sec, d);
  EXPECT_NE(r.status().message().find("at least one standard"), std::string::npos);
}

TEST_F(Initiative, OnlyStandardsAdoptionListsStandards) {
  Json d = Training();
  d.Set("standards", J(R"([{"reference": "ISO 9001:2015", "degree": "IDT",
                            "method": "reprint"}])"));
  auto r = Create(w.sec, d);
  ASSERT_EQ(r.status().code(), Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"standards"});
}

TEST_F(Initiative, InvalidFieldsAreNamed) {
  Json d = Training();
  d.Set("end_date", "2026-02-30");
  d.Set("title", "");
  auto r = Create(w.sec, d);
  ASSERT_EQ(r.status().code(), Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), (std::vector<std::string>{"title", "end_date"}));
  d = Training();
  d.Set("end_date", "2026-01-01");
  r = Create(w.sec, d);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"end_date"});
  d = Training();
  d.Set("state", "active");
  r = Create(w.sec, d);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"state"});
  d = Training();
  d.Set("iso_event_id", "424242");
  r = Create(w.sec, d);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"iso_event_id"});
}

TEST_F(Initiative, LinkedIsoEventMustListTheRso) {
  const std::string theirs =
      w.AddIsoEvent("SADC workshop", "2026-02-10", "2026-02-12", {other_rso});
  const std::string reason = "the ISO event " + theirs + " does not list the RSO " + rso;
  Json d = J(R"({"type": "event_promotion", "title": "Promote the SADC workshop"})");
  d.Set("iso_event_id", theirs);
  const int64_t before = h.AuditCount();
  auto r = Create(w.sec, d);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(Reasons(r.status()), std::vector<std::string>{reason});
  EXPECT_EQ(h.AuditCount(), before);

  Json link = Json::MakeObject();
  link.Set("iso_event_id", theirs);
  r = Fire("revise", w.sec, "", link);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(Reasons(r.status()), std::vector<std::string>{reason});
  EXPECT_EQ(h.Load(id).version, 1);

  const std::string joint =
      w.AddIsoEvent("Joint workshop", "2026-02-10", "2026-02-12", {other_rso, rso});
  link.Set("iso_event_id", joint);
  ASSERT_TRUE(Fire("revise", w.sec, "", link).ok());
  EXPECT_EQ(h.Load(id).data.GetString("iso_event_id"), joint);
}

TEST_F(Initiative, ForALiaisonAnIsoEventWithoutItsRsoIsLikeNoEventAtAll) {
  const std::string theirs =
      w.AddIsoEvent("SADC workshop", "2026-02-10", "2026-02-12", {other_rso});
  Json d = J(R"({"type": "event_promotion", "title": "Promote the SADC workshop"})");
  d.Set("iso_event_id", theirs);
  const Status unlisted = Create(liaison, d).status();
  d.Set("iso_event_id", "424242");
  const Status unknown = Create(liaison, d).status();
  ASSERT_EQ(unknown.code(), Code::kInvalidRequest);
  EXPECT_EQ(unlisted.code(), unknown.code());
  EXPECT_EQ(unlisted.fields(), unknown.fields());
  EXPECT_EQ(unknown.message(), "no ISO event 424242");
  EXPECT_EQ(unlisted.message(), "no ISO event " + theirs);

  Json link = Json::MakeObject();
  link.Set("iso_event_id", theirs);
  const Status revised_unlisted = Fire("revise", liaison, "", link).status();
  link.Set("iso_event_id", "424242");
  const Status revised_unknown = Fire("revise", liaison, "", link).status();
  ASSERT_EQ(revised_unknown.code(), Code::kInvalidRequest);
  EXPECT_EQ(revised_unlisted.code(), revised_unknown.code());
  EXPECT_EQ(revised_unlisted.fields(), std::vector<std::string>{"data.iso_event_id"});
  EXPECT_EQ(revised_unlisted.fields(), revised_unknown.fields());
  EXPECT_EQ(revised_unlisted.message(), "no ISO event " + theirs);
  EXPECT_EQ(h.Load(id).version, 1);
}

TEST_F(Initiative, LiaisonProposesForItsOwnRsoOnly) {
  EXPECT_TRUE(Create(liaison, Training()).ok());
  EXPECT_EQ(Create(liaison, Training(), other_rso).status().code(), Code::kNotFound);
}

TEST_F(Initiative, CouncilAuditorAndAdminCannotPropose) {
  for (const char* role : {"council", "auditor", "admin"}) {
    Actor a = h.AddUser(std::string("x.") + role, role);
    EXPECT_EQ(Create(a, Training()).status().code(), Code::kForbidden) << role;
  }
}

// ---- rows

TEST_F(Initiative, ReviseChangesFieldsInProposedForSecretariatAndLiaison) {
  ASSERT_TRUE(Fire("revise", liaison, "", J(R"({"description": "two cohorts"})")).ok());
  ASSERT_TRUE(Fire("revise", w.sec, "", J(R"({"end_date": "2026-10-31"})")).ok());
  Instance i = h.Load(id);
  EXPECT_EQ(i.state, "proposed");
  EXPECT_EQ(i.data.GetString("description"), "two cohorts");
  EXPECT_EQ(i.data.GetString("end_date"), "2026-10-31");
  EXPECT_EQ(h.History(id).back().event, "revise");
  // A new title is the instance's title too (lists and the inbox show it).
  ASSERT_TRUE(Fire("revise", liaison, "", J(R"({"title": "Two cohorts of trainers"})")).ok());
  EXPECT_EQ(h.Load(id).title, "Two cohorts of trainers");
  EXPECT_EQ(h.QueryText("SELECT title FROM instances WHERE id = " + std::to_string(id)),
            "Two cohorts of trainers");
}

TEST_F(Initiative, ReviseIsValidatedAgainstTheWholeInitiative) {
  auto r = Fire("revise", w.sec, "", J(R"({"end_date": "2026-03-01"})"));
  ASSERT_EQ(r.status().code(), Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"data.end_date"});
  r = Fire("revise", w.sec, "", J(R"({"type": "standards_adoption"})"));
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"data.standards"});
  r = Fire("revise", w.sec, "", J(R"({"rso_id": "1"})"));
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"data.rso_id"});
  EXPECT_EQ(h.Load(id).version, 1);
}

TEST_F(Initiative, ReviseOnlyWhileProposed) {
  ASSERT_TRUE(Fire("start_review", w.sec).ok());
  EXPECT_EQ(Fire("revise", w.sec, "", J(R"({"title": "x"})")).status().code(),
            Code::kInvalidTransition);
}

TEST_F(Initiative, StartReviewIsForTheSecretariat) {
  EXPECT_EQ(Fire("start_review", liaison).status().code(), Code::kForbidden);
  ASSERT_TRUE(Fire("start_review", w.sec).ok());
  EXPECT_EQ(State(), "under_review");
}

TEST_F(Initiative, RequestChangesNeedsACommentAndGoesBackToProposed) {
  ASSERT_TRUE(Fire("start_review", w.sec).ok());
  auto r = Fire("request_changes", w.sec);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(Reasons(r.status()), std::vector<std::string>{"a comment is required"});
  EXPECT_EQ(Fire("request_changes", liaison, "x").status().code(), Code::kForbidden);
  ASSERT_TRUE(Fire("request_changes", w.sec, "name the trainers").ok());
  EXPECT_EQ(State(), "proposed");
}

TEST_F(Initiative, ApproveNeedsTheRsoRecognized) {
  ASSERT_TRUE(Fire("start_review", w.sec).ok());
  Suspend(rso);
  auto r = Fire("approve", w.sec);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(Reasons(r.status()),
            std::vector<std::string>{"the RSO is not recognized (its recognition is suspended)"});
  ASSERT_TRUE(h.Fire(w.RecognitionOf(rso), "reinstate", w.sec, Json::MakeObject(), "paid").ok());
  EXPECT_EQ(Fire("approve", liaison).status().code(), Code::kForbidden);
  ASSERT_TRUE(Fire("approve", w.sec).ok());
  EXPECT_EQ(State(), "approved");
}

TEST_F(Initiative, DeclineNeedsACommentAndIsTerminal) {
  ASSERT_TRUE(Fire("start_review", w.sec).ok());
  auto r = Fire("decline", w.sec);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(Reasons(r.status()), std::vector<std::string>{"a comment is required"});
  EXPECT_EQ(Fire("decline", liaison, "no").status().code(), Code::kForbidden);
  ASSERT_TRUE(Fire("decline", w.sec, "out of scope").ok());
  Instance i = h.Load(id);
  EXPECT_EQ(i.state, "declined");
  EXPECT_TRUE(i.terminal);
  EXPECT_EQ(Fire("cancel", w.sec, "x").status().code(), Code::kInvalidTransition);
}

TEST_F(Initiative, StartNeedsTheRsoRecognized) {
  ASSERT_TRUE(Fire("start_review", w.sec).ok());
  ASSERT_TRUE(Fire("approve", w.sec).ok());
  Suspend(rso);
  auto r = Fire("start", liaison);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(Reasons(r.status()),
            std::vector<std::string>{"the RSO is not recognized (its recognition is suspended)"});
  EXPECT_EQ(State(), "approved");
  ASSERT_TRUE(h.Fire(w.RecognitionOf(rso), "reinstate", w.sec, Json::MakeObject(), "ok").ok());
  ASSERT_TRUE(Fire("start", liaison).ok());
  EXPECT_EQ(State(), "active");
}

TEST_F(Initiative, ReportProgressNeedsANoteAndABoundedPercentage) {
  ToActive();
  auto r = Fire("report_progress", liaison, "", J(R"({"percent_complete": 10})"));
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(Reasons(r.status()), std::vector<std::string>{"a progress note is required"});
  r = Fire("report_progress", liaison, "", J(R"({"note": "x", "percent_complete": 101})"));
  ASSERT_EQ(r.status().code(), Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"data.percent_complete"});
  ASSERT_TRUE(Fire("report_progress", liaison, "",
                   J(R"({"note": "first cohort done", "percent_complete": 50})"))
                  .ok());
  ASSERT_TRUE(Fire("report_progress", w.sec, "", J(R"({"note": "visited"})")).ok());
  Instance i = h.Load(id);
  EXPECT_EQ(i.state, "active");
  EXPECT_EQ(i.data.GetInt("percent_complete"), 50);
  ASSERT_EQ(i.data.Get("progress")->size(), 2u);
  EXPECT_EQ(i.data.Get("progress")->AsArray()[0].GetString("note"), "first cohort done");
  EXPECT_EQ(i.data.Get("progress")->AsArray()[0].GetString("by"), "liaison");
}

TEST_F(Initiative, PauseNeedsACommentAndResumeNeedsTheRsoRecognized) {
  ToActive();
  const Status unexplained = Fire("pause", liaison).status();
  ASSERT_EQ(unexplained.code(), Code::kGuardFailed);
  EXPECT_EQ(Reasons(unexplained), std::vector<std::string>{"a comment is required"});
  ASSERT_TRUE(Fire("pause", liaison, "trainers unavailable").ok());
  EXPECT_EQ(State(), "on_hold");
  Suspend(rso);
  auto r = Fire("resume", liaison);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(Reasons(r.status()),
            std::vector<std::string>{"the RSO is not recognized (its recognition is suspended)"});
  ASSERT_TRUE(h.Fire(w.RecognitionOf(rso), "reinstate", w.sec, Json::MakeObject(), "ok").ok());
  ASSERT_TRUE(Fire("resume", liaison).ok());
  EXPECT_EQ(State(), "active");
}

// The liaison is not needed for these rows: the secretariat may fire them too (DESIGN 4.3).
TEST_F(Initiative, SecretariatPausesResumesAndCompletesWithoutTheLiaison) {
  ToActive();
  ASSERT_TRUE(Fire("pause", w.sec, "trainers unavailable").ok());
  EXPECT_EQ(State(), "on_hold");
  ASSERT_TRUE(Fire("resume", w.sec).ok());
  EXPECT_EQ(State(), "active");
  ASSERT_TRUE(
      Fire("complete", w.sec, "", J(R"({"outcome_summary": "40 assessors trained"})")).ok());
  const Instance i = h.Load(id);
  EXPECT_EQ(i.state, "completed");
  EXPECT_TRUE(i.terminal);
  EXPECT_EQ(i.data.GetString("outcome_summary"), "40 assessors trained");
  const auto history = h.History(id);
  ASSERT_GE(history.size(), 3u);
  for (size_t n = history.size() - 3; n < history.size(); ++n) {
    EXPECT_EQ(history[n].actor_role, "secretariat") << history[n].event;
  }
  EXPECT_EQ(history[history.size() - 3].event, "pause");
  EXPECT_EQ(history[history.size() - 2].event, "resume");
  EXPECT_EQ(history.back().event, "complete");
}

TEST_F(Initiative, RsoSuspendedIsASystemEventOnly) {
  ToActive();
  EXPECT_EQ(Fire("rso_suspended", w.sec).status().code(), Code::kForbidden);
  EXPECT_EQ(Fire("rso_suspended", liaison).status().code(), Code::kForbidden);
  ASSERT_TRUE(Fire("rso_suspended", Actor::System()).ok());
  EXPECT_EQ(State(), "on_hold");
}

TEST_F(Initiative, CompleteNeedsAnOutcomeSummary) {
  ToActive();
  auto r = Fire("complete", liaison);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(Reasons(r.status()), std::vector<std::string>{"an outcome_summary is required"});
  ASSERT_TRUE(
      Fire("complete", liaison, "", J(R"({"outcome_summary": "40 assessors trained"})")).ok());
  Instance i = h.Load(id);
  EXPECT_EQ(i.state, "completed");
  EXPECT_TRUE(i.terminal);
  EXPECT_EQ(i.data.GetString("outcome_summary"), "40 assessors trained");
}

TEST_F(Initiative, EventPromotionCompletesOnlyWithAnApprovedMomentumPlanForItsEvent) {
  const std::string ev = w.AddIsoEvent("EAC workshop", "2026-02-10", "2026-02-12", {rso});
  Json d = J(R"({"type": "event_promotion", "title": "Promote the EAC workshop"})");
  d.Set("iso_event_id", ev);
  auto created = Create(liaison, d);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  id = created->instance.id;
  ToActive();
  const Json summary = J(R"({"outcome_summary": "120 participants"})");
  auto r = Fire("complete", liaison, "", summary);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(
      Reasons(r.status()),
      std::vector<std::string>{
          "an event_promotion initiative needs an approved momentum plan for ISO event " + ev});

  Json plan = J(R"({"title": "After the workshop",
                    "actions": [{"title": "Publish report", "owner": "EASC", "due_on": "2026-06-01"}]})");
  plan.Set("iso_event_id", ev);
  auto p = h.Start("momentum_plan", liaison, plan, rso);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  ASSERT_TRUE(h.Fire(p->instance.id, "submit", liaison).ok());
  EXPECT_EQ(Fire("complete", liaison, "", summary).status().code(), Code::kGuardFailed)
      << "a submitted plan is not approved yet";
  ASSERT_TRUE(h.Fire(p->instance.id, "approve", w.sec).ok());
  ASSERT_TRUE(Fire("complete", liaison, "", summary).ok());
  EXPECT_EQ(State(), "completed");
}

TEST_F(Initiative, EventPromotionCompletesWithAMomentumPlanInProgress) {
  const std::string ev = ActivePromotion({rso});
  PlanFor(ev, liaison, {"submit", "approve", "start"});
  ASSERT_TRUE(Fire("complete", liaison, "", J(R"({"outcome_summary": "done"})")).ok());
  EXPECT_EQ(State(), "completed");
}

TEST_F(Initiative, EventPromotionCompletesWithAMomentumPlanAtRisk) {
  const std::string ev = ActivePromotion({rso});
  const int64_t plan = PlanFor(ev, liaison, {"submit", "approve", "start"});
  h.clock.Set(*ParseTime("2026-03-11T00:00:00Z"));  // the plan's only action is overdue
  TimerScheduler timers(*h.engine, h.clock);
  EXPECT_EQ(timers.FireDue(), 1);
  ASSERT_EQ(h.Load(plan).state, "at_risk");
  ASSERT_TRUE(Fire("complete", liaison, "", J(R"({"outcome_summary": "done"})")).ok());
  EXPECT_EQ(State(), "completed");
}

TEST_F(Initiative, EventPromotionCompletesWithACompletedMomentumPlan) {
  const std::string ev = ActivePromotion({rso});
  const int64_t plan =
      PlanFor(ev, liaison, {"submit", "approve", "start", "report_progress", "complete"});
  ASSERT_EQ(h.Load(plan).state, "completed");
  ASSERT_TRUE(Fire("complete", liaison, "", J(R"({"outcome_summary": "done"})")).ok());
  EXPECT_EQ(State(), "completed");
}

TEST_F(Initiative, AnotherRsosMomentumPlanForTheSameEventDoesNotCount) {
  const std::string ev = ActivePromotion({rso, other_rso});
  const int64_t theirs = PlanFor(ev, other_liaison, {"submit", "approve", "start"});
  ASSERT_EQ(h.Load(theirs).state, "in_progress");
  auto r = Fire("complete", liaison, "", J(R"({"outcome_summary": "done"})"));
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(
      Reasons(r.status()),
      std::vector<std::string>{
          "an event_promotion initiative needs an approved momentum plan for ISO event " + ev});
  EXPECT_EQ(State(), "active");
}

// Regression: the completion rule read at most 10 000 momentum plans of the RSO, so an
// approved plan for the event behind 10 000 others was missed and completion refused.
TEST_F(Initiative, EventPromotionFindsItsApprovedPlanHoweverManyOtherPlansTheRsoHas) {
  const std::string ev = ActivePromotion({rso});
  const std::string elsewhere = w.AddIsoEvent("EAC webinar", "2026-01-20", "2026-01-20", {rso});
  const Instance model = h.Load(PlanFor(elsewhere, liaison, {"submit", "approve"}));
  ASSERT_EQ(model.state, "approved");
  // 10 000 more approved plans of the RSO for the other event, then the one for the
  // initiative's event (the newest), written straight into the store in one job.
  auto inserted = h.engine
                      ->SubmitJob([model, ev](Store& s) -> Result<Json> {
                        for (int n = 0; n < 10000; ++n) {
                          auto r = s.InsertInstance(model);
                          if (!r.ok()) return r.status();
                        }
                        Instance mine = model;
                        mine.data.Set("iso_event_id", ev);
                        auto r = s.InsertInstance(mine);
                        if (!r.ok()) return r.status();
                        return Json(true);
                      })
                      .get();
  ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
  ASSERT_EQ(h.QueryText("SELECT COUNT(*) FROM instances WHERE workflow = 'momentum_plan' AND "
                        "rso_id = '" +
                        rso + "' AND state = 'approved'"),
            "10002");

  auto r = Fire("complete", liaison, "", J(R"({"outcome_summary": "120 participants"})"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(State(), "completed");
}

TEST_F(Initiative, EventPromotionWithoutAnIsoEventCompletesWithoutAPlan) {
  auto created =
      Create(liaison, J(R"({"type": "event_promotion", "title": "Promote ISO membership"})"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  id = created->instance.id;
  ToActive();
  ASSERT_TRUE(Fire("complete", liaison, "", J(R"({"outcome_summary": "3 webinars"})")).ok());
  EXPECT_EQ(State(), "completed");
}

TEST_F(Initiative, CancelNeedsACommentFromEveryNonTerminalState) {
  const std::vector<std::vector<std::string>> paths = {
      {},
      {"start_review"},
      {"start_review", "approve"},
      {"start_review", "approve", "start"},
      {"start_review", "approve", "start", "pause"}};
  for (const auto& path : paths) {
    auto r = Create(w.sec, Training());
    ASSERT_TRUE(r.ok());
    id = r->instance.id;
    for (const auto& e : path) ASSERT_TRUE(Fire(e, w.sec, "because").ok()) << e;
    const std::string from = State();
    const Status refused = Fire("cancel", w.sec).status();
    EXPECT_EQ(refused.code(), Code::kGuardFailed) << from;
    EXPECT_EQ(Reasons(refused), std::vector<std::string>{"a comment is required"}) << from;
    EXPECT_EQ(Fire("cancel", liaison, "x").status().code(), Code::kForbidden) << from;
    ASSERT_TRUE(Fire("cancel", w.sec, "no budget").ok()) << from;
    EXPECT_EQ(State(), "cancelled") << from;
    EXPECT_EQ(h.History(id).back().from_state, from);
  }
}

TEST_F(Initiative, CouncilAndAuditorFireNothing) {
  for (const char* e : {"revise", "start_review", "cancel"}) {
    EXPECT_EQ(Fire(e, w.council[0], "x").status().code(), Code::kForbidden) << e;
    EXPECT_EQ(Fire(e, w.auditor, "x").status().code(), Code::kForbidden) << e;
  }
}

TEST_F(Initiative, CouncilAndAuditorCannotStartReportPauseResumeOrComplete) {
  ASSERT_TRUE(Fire("start_review", w.sec).ok());
  ASSERT_TRUE(Fire("approve", w.sec).ok());
  const std::vector<Actor> outsiders = {w.council[0], w.auditor};
  for (const Actor& who : outsiders) {
    EXPECT_EQ(Fire("start", who).status().code(), Code::kForbidden) << who.role;
  }
  ASSERT_EQ(State(), "approved");
  ASSERT_TRUE(Fire("start", liaison).ok());
  for (const Actor& who : outsiders) {
    EXPECT_EQ(Fire("report_progress", who, "", J(R"({"note": "x"})")).status().code(),
              Code::kForbidden)
        << who.role;
    EXPECT_EQ(Fire("pause", who, "x").status().code(), Code::kForbidden) << who.role;
    EXPECT_EQ(Fire("complete", who, "", J(R"({"outcome_summary": "x"})")).status().code(),
              Code::kForbidden)
        << who.role;
  }
  ASSERT_EQ(State(), "active");
  ASSERT_TRUE(Fire("pause", liaison, "trainers unavailable").ok());
  for (const Actor& who : outsiders) {
    EXPECT_EQ(Fire("resume", who).status().code(), Code::kForbidden) << who.role;
  }
  const Instance i = h.Load(id);
  EXPECT_EQ(i.state, "on_hold");
  EXPECT_EQ(i.version, 5) << "created, start_review, approve, start, pause: nothing else";
  EXPECT_EQ(i.data.Get("progress")->size(), 0u);
}

TEST_F(Initiative, AnotherRsosLiaisonCannotSeeOrTouchIt) {
  EXPECT_EQ(Fire("revise", other_liaison, "", J(R"({"title": "x"})")).status().code(),
            Code::kNotFound);
  EXPECT_EQ(h.engine->GetInstance(id, other_liaison).status().code(), Code::kNotFound);
  EXPECT_TRUE(h.engine->GetInstance(id, liaison).ok());
}

// ---- cross-workflow: suspension (DESIGN 3.4)

TEST_F(Initiative, SuspendingTheRsoPutsItsActiveInitiativesOnHoldInTheSameTransaction) {
  ToActive();
  auto proposed = Create(w.sec, Training());
  auto other = Create(w.sec, Training(), other_rso);
  ASSERT_TRUE(proposed.ok() && other.ok());
  h.Fire(other->instance.id, "start_review", w.sec);
  h.Fire(other->instance.id, "approve", w.sec);
  ASSERT_TRUE(h.Fire(other->instance.id, "start", w.sec).ok());

  auto r = h.Fire(w.RecognitionOf(rso), "suspend", w.sec, Json::MakeObject(), "dues unpaid");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(State(), "on_hold");
  EXPECT_EQ(h.Load(proposed->instance.id).state, "proposed");
  EXPECT_EQ(h.Load(other->instance.id).state, "active") << "another RSO's initiative";
  const AuditEntry held = h.History(id).back();
  EXPECT_EQ(held.event, "rso_suspended");
  EXPECT_EQ(held.actor_role, "system");
  EXPECT_EQ(held.seq, r->seq + 1) << "audited right after the suspension, same command";
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(Initiative, AFailedFollowUpLeavesTheSuspensionUndone) {
  ToActive();
  // Make the follow-up fail in storage: the initiative's row refuses to change.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(h.db_path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "CREATE TRIGGER block_hold BEFORE UPDATE ON instances "
                           "WHEN NEW.state = 'on_hold' BEGIN SELECT RAISE(ABORT, 'blocked'); END",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  const int64_t before = h.AuditCount();
  auto r = h.Fire(w.RecognitionOf(rso), "suspend", w.sec, Json::MakeObject(), "dues unpaid");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(h.Load(w.RecognitionOf(rso)).state, "recognized");
  EXPECT_EQ(State(), "active");
  EXPECT_EQ(h.AuditCount(), before);
  EXPECT_TRUE(h.VerifyAudit().ok);
}

// Regression: suspension read at most 10 000 active initiatives and left the others active.
TEST_F(Initiative, SuspendingTheRsoPutsEveryActiveInitiativeOnHoldHoweverMany) {
  ToActive();
  // 10 001 more active initiatives of the RSO, written straight into the store in one job
  // (driving each through its four commands would take minutes).
  const int more = 10001;
  const Instance model = h.Load(id);
  auto inserted = h.engine
                      ->SubmitJob([model, more](Store& s) -> Result<Json> {
                        for (int n = 0; n < more; ++n) {
                          auto r = s.InsertInstance(model);
                          if (!r.ok()) return r.status();
                        }
                        return Json(true);
                      })
                      .get();
  ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
  const std::string of_rso =
      " FROM instances WHERE workflow = 'partnership_initiative' AND rso_id = '" + rso + "'";
  ASSERT_EQ(h.QueryText("SELECT COUNT(*)" + of_rso + " AND state = 'active'"),
            std::to_string(more + 1));

  auto r = h.Fire(w.RecognitionOf(rso), "suspend", w.sec, Json::MakeObject(), "dues unpaid");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(h.QueryText("SELECT COUNT(*)" + of_rso + " AND state = 'active'"), "0");
  EXPECT_EQ(h.QueryText("SELECT COUNT(*)" + of_rso + " AND state = 'on_hold'"),
            std::to_string(more + 1));
  EXPECT_EQ(h.QueryText("SELECT COUNT(*) FROM audit WHERE event = 'rso_suspended' AND "
                        "actor_role = 'system' AND seq > " +
                        std::to_string(r->seq)),
            std::to_string(more + 1));
}

TEST_F(Initiative, MachineTableMatchesDesign) {
  const WorkflowMeta& m = h.registry.Find("partnership_initiative")->Meta();
  std::set<std::string> rows;
  for (const auto& t : m.transitions) {
    std::string roles;
    for (const auto& r : t.roles) roles += r.substr(0, 1);
    rows.insert(t.from + " " + t.event + " " + t.to + " " + roles + " " + t.guard);
  }
  const std::set<std::string> expected = {"proposed revise proposed sr ",
                                          "proposed start_review under_review s ",
                                          "under_review request_changes proposed s comment",
                                          "under_review approve approved s rso_recognized",
                                          "under_review decline declined s comment",
                                          "approved start active sr rso_recognized",
                                          "active report_progress active sr progress_note",
                                          "active pause on_hold sr comment",
                                          "active rso_suspended on_hold s ",
                                          "on_hold resume active sr rso_recognized",
                                          "active complete completed sr completion_rule",
                                          "proposed cancel cancelled s comment",
                                          "under_review cancel cancelled s comment",
                                          "approved cancel cancelled s comment",
                                          "active cancel cancelled s comment",
                                          "on_hold cancel cancelled s comment"};
  EXPECT_EQ(rows, expected);
  std::set<std::string> terminal;
  for (const auto& s : m.states) {
    if (s.terminal) terminal.insert(s.name);
  }
  EXPECT_EQ(terminal, (std::set<std::string>{"completed", "declined", "cancelled"}));
  EXPECT_EQ(m.FindEvent("rso_suspended")->roles, std::vector<std::string>{"system"});
}

// ---- the initiative's fields, directly

TEST(InitiativeFields, OtherNeedsADescriptionAndTheOtherTypesDoNot) {
  using partnership_initiative::ValidateFields;
  auto r = ValidateFields(J(R"({"type": "other", "title": "Any aspect"})"), false,
                          Json::MakeObject(), "");
  ASSERT_EQ(r.status().code(), Status::Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"description"});
  EXPECT_TRUE(ValidateFields(J(R"({"type": "other", "title": "Any aspect", "description": "x"})"),
                             false, Json::MakeObject(), "")
                  .ok());
  EXPECT_TRUE(ValidateFields(J(R"({"type": "technical_cooperation", "title": "Metrology"})"),
                             false, Json::MakeObject(), "")
                  .ok());
  // A revise is judged on the initiative as it will be: the description it already has counts.
  EXPECT_TRUE(ValidateFields(J(R"({"type": "other"})"), true,
                             J(R"({"type": "other", "title": "t", "description": "kept"})"), "data.")
                  .ok());
  auto revised = ValidateFields(J(R"({"type": "other"})"), true,
                                J(R"({"type": "other", "title": "t"})"), "data.");
  EXPECT_EQ(revised.status().fields(), std::vector<std::string>{"data.description"});
}

// ---- Guide 21 rules, directly

TEST(Guide21, IdenticalAdoptionByAnyMethodButRedrafting) {
  for (const char* method : {"endorsement", "cover_sheet", "reprint", "translation"}) {
    Json e = J(R"({"reference": "ISO/IEC 27001:2022", "degree": "IDT"})");
    e.Set("method", method);
    EXPECT_TRUE(partnership_initiative::Guide21Problems(e, "s").empty()) << method;
  }
  EXPECT_EQ(partnership_initiative::Guide21Problems(
                J(R"({"reference": "ISO 9001", "degree": "IDT", "method": "redrafting"})"), "s"),
            std::vector<std::string>{"s: a redrafted standard is not an identical (IDT) adoption"});
}

TEST(Guide21, NotEquivalentOnlyByRedrafting) {
  EXPECT_TRUE(
      partnership_initiative::Guide21Problems(
          J(R"({"reference": "ISO 22000:2018", "degree": "NEQ", "method": "redrafting"})"), "s")
          .empty());
  EXPECT_EQ(partnership_initiative::Guide21Problems(
                J(R"({"reference": "ISO 22000:2018", "degree": "NEQ", "method": "reprint"})"), "s")
                .size(),
            1u);
}

TEST(Guide21, AnEntryMustBeAnObject) {
  EXPECT_EQ(partnership_initiative::Guide21Problems(Json("ISO 9001:2015"), "standards[0]"),
            std::vector<std::string>{"standards[0] must be an object {reference, degree, method}"});
  auto fields = partnership_initiative::ValidateFields(
      J(R"({"type": "standards_adoption", "title": "Adopt", "standards": ["ISO 9001:2015"]})"),
      false, Json::MakeObject(), "");
  ASSERT_EQ(fields.status().code(), Status::Code::kInvalidRequest);
  EXPECT_EQ(fields.status().fields(), std::vector<std::string>{"standards"});
  EXPECT_NE(fields.status().message().find("standards[0] must be an object"), std::string::npos)
      << fields.status().message();
}

TEST(Guide21, ReferenceDegreeAndMethodAreChecked) {
  const auto problems = partnership_initiative::Guide21Problems(
      J(R"({"reference": "EN 9001", "degree": "EQV", "method": "photocopy", "year": 1})"),
      "standards[2]");
  EXPECT_EQ(problems,
            (std::vector<std::string>{
                "standards[2].year is not a Guide 21 field",
                "standards[2].reference must name an ISO deliverable, e.g. ISO 9001:2015",
                "standards[2].degree must be IDT, MOD or NEQ",
                "standards[2].method must be endorsement, cover_sheet, reprint, translation or "
                "redrafting"}));
  for (const char* ok :
       {"ISO 9001:2015", "ISO/IEC 17025", "ISO/TS 22163:2023", "ISO 80000-1:2022", "IWA 42:2022"}) {
    Json e = J(R"({"degree": "IDT", "method": "reprint"})");
    e.Set("reference", ok);
    EXPECT_TRUE(partnership_initiative::Guide21Problems(e, "s").empty()) << ok;
  }
}

}  // namespace
}  // namespace rsoflow::testing
