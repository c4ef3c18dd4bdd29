// momentum_plan (DESIGN 4.4) through the real engine and SQLite: every row, guard reason, role
// and scope refusal, and the timers (action due dates, grace period) driven by the fake clock.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>

#include "engine/timer_scheduler.h"
#include "tests/support/partnership_world.h"
#include "workflows/momentum_plan/rules.h"

namespace rsoflow::testing {
namespace {

using Code = Status::Code;

// The world starts on kT0 = 2026-03-02T09:00Z; the workshop ended on 2026-02-12.
class Plan : public ::testing::Test {
 protected:
  void SetUp() override {
    rso = w.RecognizedRso("EASC");
    other_rso = w.RecognizedRso("SADCSTAN");
    liaison = h.AddUser("liaison", "rso_liaison", rso);
    other_liaison = h.AddUser("other.liaison", "rso_liaison", other_rso);
    event = w.AddIsoEvent("EAC regional workshop", "2026-02-10", "2026-02-12", {rso});
    auto r = Create(liaison, Draft());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    id = r->instance.id;
  }
  void TearDown() override {
    if (timers) timers->Stop();
    h.engine->Stop();
  }

  Json Draft() {
    Json d = J(R"({"title": "Keep the momentum in East Africa",
                   "actions": [{"title": "Publish the workshop report", "owner": "EASC secretariat",
                                "due_on": "2026-03-10"},
                               {"title": "Run a national follow-up webinar", "owner": "KEBS",
                                "due_on": "2026-04-15"}]})");
    d.Set("iso_event_id", event);
    return d;
  }
  Result<CommandResult> Create(const Actor& who, Json data, const std::string& for_rso = "") {
    return h.Start("momentum_plan", who, std::move(data), for_rso.empty() ? rso : for_rso);
  }
  Result<CommandResult> Fire(const std::string& event_name, const Actor& who,
                             const std::string& comment = "", Json data = Json::MakeObject()) {
    return h.Fire(id, event_name, who, std::move(data), comment);
  }
  Result<CommandResult> Progress(const std::string& action, const std::string& status,
                                 const Actor& who) {
    Json d = Json::MakeObject();
    d.Set("action_id", action);
    d.Set("status", status);
    d.Set("note", "update on " + action);
    return Fire("report_progress", who, "", d);
  }
  std::string State() { return h.Load(id).state; }
  void ToInProgress() {
    ASSERT_TRUE(Fire("submit", liaison).ok());
    ASSERT_TRUE(Fire("approve", w.sec).ok());
    ASSERT_TRUE(Fire("start", liaison).ok());
    ASSERT_EQ(State(), "in_progress");
  }
  int FireDue() {
    if (!timers) timers = std::make_unique<TimerScheduler>(*h.engine, h.clock);
    return timers->FireDue();
  }
  // Moves the clock to A1's due moment (the day after 2026-03-10) and fires what is due.
  void PastFirstDueDate() {
    h.clock.Set(*ParseTime("2026-03-11T00:00:00Z"));
    EXPECT_EQ(FireDue(), 1);
  }
  std::set<std::string> Timers() {
    std::set<std::string> names;
    const std::string list = h.QueryText(
        "SELECT group_concat(name, ',') FROM (SELECT name FROM timers WHERE instance_id = " +
        std::to_string(id) + " ORDER BY name)");
    size_t start = 0;
    while (!list.empty() && start <= list.size()) {
      const size_t comma = list.find(',', start);
      names.insert(
          list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    return names;
  }

  Harness h;
  PartnershipWorld w{h};
  std::unique_ptr<TimerScheduler> timers;
  std::string rso, other_rso, event;
  Actor liaison, other_liaison;
  int64_t id = 0;
};

// ---- creation

TEST_F(Plan, CreatedDraftingWithNumberedOpenActions) {
  Instance i = h.Load(id);
  EXPECT_EQ(i.state, "drafting");
  EXPECT_EQ(i.rso_id, rso);
  EXPECT_EQ(i.data.GetString("iso_event_id"), event);
  EXPECT_EQ(i.data.GetString("event_ends_on"), "2026-02-12");
  const Json& actions = *i.data.Get("actions");
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions.AsArray()[0].GetString("id"), "A1");
  EXPECT_EQ(actions.AsArray()[1].GetString("id"), "A2");
  EXPECT_EQ(actions.AsArray()[1].GetString("status"), "open");
  EXPECT_EQ(actions.AsArray()[1].GetString("owner"), "KEBS");
}

TEST_F(Plan, DraftedAsSoonAsItsIsoEventIsRegisteredWithActionsDueAfterItEnds) {
  // ISO Week runs 2026-03-01..05 and it is 2026-03-02: the plan may be drafted already.
  const std::string running = w.AddIsoEvent("ISO Week", "2026-03-01", "2026-03-05", {rso});
  const std::string upcoming = w.AddIsoEvent("EAC forum", "2026-06-01", "2026-06-03", {rso});
  for (const std::string& ev : {running, upcoming}) {
    Json d = Draft();
    d.Set("iso_event_id", ev);
    auto r = Create(liaison, d);
    ASSERT_TRUE(r.ok()) << ev << ": " << r.status().ToString();
    EXPECT_EQ(h.Load(r->instance.id).state, "drafting");
  }
  // Its actions still fall due after the event ends: submitting says which do not.
  Json d = Draft();
  d.Set("iso_event_id", upcoming);
  d.Set("actions", J(R"([{"title": "Prepare", "owner": "EASC", "due_on": "2026-05-15"},
                         {"title": "Follow up", "owner": "KEBS", "due_on": "2026-06-04"}])"));
  auto r = Create(liaison, d);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  auto refused = h.Fire(r->instance.id, "submit", liaison, Json::MakeObject(), "");
  ASSERT_EQ(refused.status().code(), Code::kGuardFailed);
  EXPECT_EQ(refused.status().reasons(),
            std::vector<std::string>{
                "action A1 is due on 2026-05-15, not after the event ended on 2026-06-03"});
  EXPECT_EQ(h.Load(r->instance.id).state, "drafting");
  d.Set("iso_event_id", "999999");
  auto unknown = Create(w.sec, d);
  ASSERT_EQ(unknown.status().code(), Code::kInvalidRequest);
  EXPECT_EQ(unknown.status().fields(), std::vector<std::string>{"iso_event_id"});
}

TEST_F(Plan, NotOverdueWhileItsIsoEventHasNotEnded) {
  const std::string upcoming = w.AddIsoEvent("EAC forum", "2026-06-01", "2026-06-03", {rso});
  Json d = Draft();
  d.Set("iso_event_id", upcoming);
  auto r = Create(liaison, d);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Instance plan = h.Load(r->instance.id);
  EXPECT_EQ(plan.data.GetString("drafting_overdue_on"), "2026-07-03");
  const Workflow& wf = *h.registry.Find("momentum_plan");
  EXPECT_FALSE(wf.IsOverdue(plan, *ParseTime("2026-07-02T12:00:00Z")));
  EXPECT_TRUE(wf.IsOverdue(plan, *ParseTime("2026-07-03T00:00:00Z")));
}

TEST_F(Plan, OnlyForAnIsoEventThatListsTheRso) {
  const std::string theirs =
      w.AddIsoEvent("SADC workshop", "2026-02-10", "2026-02-12", {other_rso});
  Json d = Draft();
  d.Set("iso_event_id", theirs);
  const int64_t before = h.AuditCount();
  auto r = Create(w.sec, d);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(),
            std::vector<std::string>{"the ISO event " + theirs + " does not list the RSO " + rso});
  EXPECT_EQ(h.AuditCount(), before);
  const std::string upcoming = w.AddIsoEvent("SADC week", "2026-03-01", "2026-03-05", {other_rso});
  d.Set("iso_event_id", upcoming);
  EXPECT_EQ(Create(w.sec, d).status().reasons(),
            std::vector<std::string>{"the ISO event " + upcoming + " does not list the RSO " + rso});
}

TEST_F(Plan, ForALiaisonAnIsoEventWithoutItsRsoIsLikeNoEventAtAll) {
  const std::string theirs =
      w.AddIsoEvent("SADC workshop", "2026-02-10", "2026-02-12", {other_rso});
  Json d = Draft();
  d.Set("iso_event_id", theirs);
  const Status unlisted = Create(liaison, d).status();
  d.Set("iso_event_id", "999999");
  const Status unknown = Create(liaison, d).status();
  ASSERT_EQ(unknown.code(), Code::kInvalidRequest);
  EXPECT_EQ(unlisted.code(), unknown.code());
  EXPECT_EQ(unlisted.fields(), std::vector<std::string>{"iso_event_id"});
  EXPECT_EQ(unlisted.fields(), unknown.fields());
  EXPECT_EQ(unknown.message(), "no ISO event 999999");
  EXPECT_EQ(unlisted.message(), "no ISO event " + theirs);
  // The other RSO's liaison cannot use this fixture's event, which lists only EASC.
  const Status other = Create(other_liaison, Draft(), other_rso).status();
  EXPECT_EQ(other.code(), Code::kInvalidRequest);
  EXPECT_EQ(other.message(), "no ISO event " + event);
}

TEST_F(Plan, OnlyForARecognizedRso) {
  const std::string draft = w.RegisterRso("NEWRSO");
  Json d = Draft();
  d.Set("iso_event_id", w.AddIsoEvent("NEWRSO workshop", "2026-02-10", "2026-02-12", {draft}));
  auto r = Create(w.sec, d, draft);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(),
            std::vector<std::string>{"the RSO is not recognized (its recognition is draft)"});
}

TEST_F(Plan, LinkedInitiativeMustBelongToTheSameRso) {
  auto theirs = h.Start("partnership_initiative", w.sec, J(R"({"type": "training", "title": "t"})"),
                        other_rso);
  ASSERT_TRUE(theirs.ok());
  Json d = Draft();
  d.Set("initiative_id", std::to_string(theirs->instance.id));
  auto r = Create(w.sec, d);
  ASSERT_EQ(r.status().code(), Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"initiative_id"});
  auto ours =
      h.Start("partnership_initiative", w.sec, J(R"({"type": "training", "title": "t"})"), rso);
  d.Set("initiative_id", std::to_string(ours->instance.id));
  EXPECT_TRUE(Create(w.sec, d).ok());
}

TEST_F(Plan, MalformedActionsAreNamed) {
  Json d = Draft();
  d.Set("actions", J(R"([{"title": "x", "due_on": "2026-13-01", "colour": "red"}])"));
  auto r = Create(w.sec, d);
  ASSERT_EQ(r.status().code(), Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(),
            (std::vector<std::string>{"actions[0].colour", "actions[0].due_on"}));
  d = Draft();
  d.Erase("title");
  EXPECT_EQ(Create(w.sec, d).status().fields(), std::vector<std::string>{"title"});
}

// The creation body is the request body: an unknown field is named as the client sent it.
TEST_F(Plan, UnknownCreationFieldsAreNamedAsSent) {
  Json d = Draft();
  d.Set("state", "approved");
  d.Set("colour", "red");
  auto r = Create(w.sec, d);
  ASSERT_EQ(r.status().code(), Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), (std::vector<std::string>{"colour", "state"}));
}

TEST_F(Plan, LiaisonDraftsForItsOwnRsoOnlyAndCouncilNotAtAll) {
  EXPECT_EQ(Create(other_liaison, Draft()).status().code(), Code::kNotFound);
  EXPECT_EQ(Create(w.council[0], Draft()).status().code(), Code::kForbidden);
  EXPECT_EQ(Create(w.auditor, Draft()).status().code(), Code::kForbidden);
}

// ---- drafting

TEST_F(Plan, ReviseKeepsActionIdsAndNumbersNewOnes) {
  auto r = Fire("revise", liaison, "", J(R"({"title": "Momentum plan, v2",
                      "actions": [{"id": "A2", "owner": "UNBS"},
                                  {"title": "Translate ISO 9001", "owner": "TBS",
                                   "due_on": "2026-05-01"}]})"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  Instance i = h.Load(id);
  EXPECT_EQ(i.state, "drafting");
  EXPECT_EQ(i.data.GetString("title"), "Momentum plan, v2");
  EXPECT_EQ(i.title, "Momentum plan, v2");  // what lists and the inbox show
  EXPECT_EQ(h.QueryText("SELECT title FROM instances WHERE id = " + std::to_string(id)),
            "Momentum plan, v2");
  const auto& actions = i.data.Get("actions")->AsArray();
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].GetString("id"), "A2");
  EXPECT_EQ(actions[0].GetString("owner"), "UNBS");
  EXPECT_EQ(actions[0].GetString("title"), "Run a national follow-up webinar");
  EXPECT_EQ(actions[1].GetString("id"), "A3");
  ASSERT_TRUE(Fire("revise", w.sec, "", J(R"({"title": "v3"})")).ok());
}

TEST_F(Plan, ReviseRefusesUnknownActionIdsAndFields) {
  auto r = Fire("revise", liaison, "", J(R"({"actions": [{"id": "A9"}]})"));
  ASSERT_EQ(r.status().code(), Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"data.actions[0].id"});
  r = Fire("revise", liaison, "", J(R"({"state": "approved"})"));
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"data.state"});
  EXPECT_EQ(h.Load(id).version, 1);
  EXPECT_EQ(Fire("revise", w.council[0], "", J(R"({"title": "x"})")).status().code(),
            Code::kForbidden);
}

TEST_F(Plan, SubmitNeedsCompleteActionsDueAfterTheEvent) {
  ASSERT_TRUE(Fire("revise", liaison, "", J(R"({"actions": [{"id": "A1", "owner": ""},
                                     {"title": "Early bird", "owner": "x", "due_on": "2026-02-12"},
                                     {"title": "No date", "owner": "y"}]})"))
                  .ok());
  auto r = Fire("submit", liaison);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(),
            (std::vector<std::string>{
                "action A1 has no owner",
                "action A3 is due on 2026-02-12, not after the event ended on 2026-02-12",
                "action A4 has no due date"}));
  ASSERT_TRUE(Fire("revise", liaison, "", J(R"({"actions": []})")).ok());
  r = Fire("submit", liaison);
  EXPECT_EQ(r.status().reasons(), std::vector<std::string>{"the plan needs at least one action"});
  EXPECT_EQ(State(), "drafting");
}

TEST_F(Plan, SubmitNamesAnActionWithoutATitle) {
  ASSERT_TRUE(
      Fire("revise", liaison, "", J(R"({"actions": [{"id": "A1", "title": ""}, {"id": "A2"}]})"))
          .ok());
  auto r = Fire("submit", liaison);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(), std::vector<std::string>{"action A1 has no title"});
  EXPECT_EQ(State(), "drafting");
}

TEST_F(Plan, SubmitByLiaisonOrSecretariat) {
  ASSERT_TRUE(Fire("submit", liaison).ok());
  EXPECT_EQ(State(), "submitted");
  auto other = Create(w.sec, Draft());
  ASSERT_TRUE(h.Fire(other->instance.id, "submit", w.sec).ok());
}

TEST_F(Plan, SubmitIsRefusedForCouncilAndAuditor) {
  const int64_t before = h.AuditCount();
  for (const char* role : {"council", "auditor"}) {
    const Actor a = h.AddUser(std::string("x.") + role, role);
    EXPECT_EQ(Fire("submit", a).status().code(), Code::kForbidden) << role;
  }
  const Instance i = h.Load(id);
  EXPECT_EQ(i.state, "drafting");
  EXPECT_EQ(i.version, 1);
  EXPECT_EQ(h.AuditCount(), before);
}

TEST_F(Plan, RequestChangesNeedsACommentAndReturnsToDrafting) {
  ASSERT_TRUE(Fire("submit", liaison).ok());
  EXPECT_EQ(Fire("request_changes", w.sec).status().reasons(),
            std::vector<std::string>{"a comment is required"});
  EXPECT_EQ(Fire("request_changes", liaison, "x").status().code(), Code::kForbidden);
  ASSERT_TRUE(Fire("request_changes", w.sec, "add owners per country").ok());
  EXPECT_EQ(State(), "drafting");
}

TEST_F(Plan, ApproveIsForTheSecretariat) {
  ASSERT_TRUE(Fire("submit", liaison).ok());
  EXPECT_EQ(Fire("approve", liaison).status().code(), Code::kForbidden);
  ASSERT_TRUE(Fire("approve", w.sec).ok());
  EXPECT_EQ(State(), "approved");
}

TEST_F(Plan, ApproveNeedsTheRsoRecognized) {
  ASSERT_TRUE(Fire("submit", liaison).ok());
  ASSERT_TRUE(h.Fire(w.RecognitionOf(rso), "suspend", w.sec, Json::MakeObject(), "dues").ok());
  const int64_t before = h.AuditCount();
  auto r = Fire("approve", w.sec);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(),
            std::vector<std::string>{"the RSO is not recognized (its recognition is suspended)"});
  EXPECT_EQ(r.status().reason_codes(), std::vector<std::string>{"rso_not_recognized"});
  EXPECT_EQ(State(), "submitted");
  EXPECT_EQ(h.AuditCount(), before);
  ASSERT_TRUE(h.Fire(w.RecognitionOf(rso), "reinstate", w.sec, Json::MakeObject(), "paid").ok());
  ASSERT_TRUE(Fire("approve", w.sec).ok());
  EXPECT_EQ(State(), "approved");
}

TEST_F(Plan, StartNeedsTheRsoRecognized) {
  ASSERT_TRUE(Fire("submit", liaison).ok());
  ASSERT_TRUE(Fire("approve", w.sec).ok());
  ASSERT_TRUE(h.Fire(w.RecognitionOf(rso), "suspend", w.sec, Json::MakeObject(), "dues").ok());
  auto r = Fire("start", liaison);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(r.status().reason_codes(), std::vector<std::string>{"rso_not_recognized"});
  EXPECT_EQ(State(), "approved");
  EXPECT_TRUE(Timers().empty()) << "no action timer was set";
  ASSERT_TRUE(h.Fire(w.RecognitionOf(rso), "reinstate", w.sec, Json::MakeObject(), "paid").ok());
  ASSERT_TRUE(Fire("start", liaison).ok());
  EXPECT_EQ(State(), "in_progress");
}

TEST_F(Plan, StartIsRefusedForCouncilAndAuditor) {
  ASSERT_TRUE(Fire("submit", liaison).ok());
  ASSERT_TRUE(Fire("approve", w.sec).ok());
  EXPECT_EQ(Fire("start", w.council[0]).status().code(), Code::kForbidden);
  EXPECT_EQ(Fire("start", w.auditor).status().code(), Code::kForbidden);
  EXPECT_EQ(State(), "approved");
  EXPECT_TRUE(Timers().empty()) << "no action timer was set";
}

TEST_F(Plan, StartSetsATimerPerActionDueDate) {
  ToInProgress();
  EXPECT_EQ(Timers(), (std::set<std::string>{"action:A1", "action:A2"}));
  Instance i = h.Load(id);
  ASSERT_TRUE(i.due_at.has_value());
  EXPECT_EQ(FormatTime(*i.due_at), "2026-03-11T00:00:00.000Z");
}

// ---- progress, timers, risk

TEST_F(Plan, ReportProgressUpdatesTheActionAndItsTimer) {
  ToInProgress();
  ASSERT_TRUE(Progress("A1", "done", liaison).ok());
  Instance i = h.Load(id);
  EXPECT_EQ(i.state, "in_progress");
  EXPECT_EQ(i.data.Get("actions")->AsArray()[0].GetString("status"), "done");
  EXPECT_EQ(i.data.Get("actions")->AsArray()[0].GetString("note"), "update on A1");
  EXPECT_EQ(Timers(), std::set<std::string>{"action:A2"});
  EXPECT_EQ(FormatTime(*i.due_at), "2026-04-16T00:00:00.000Z");
  ASSERT_TRUE(Progress("A1", "in_progress", w.sec).ok());
  EXPECT_EQ(Timers(), (std::set<std::string>{"action:A1", "action:A2"}));
}

TEST_F(Plan, ReportProgressNamesAnUnknownActionOrStatus) {
  ToInProgress();
  auto r = Progress("A7", "done", liaison);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(), std::vector<std::string>{"the plan has no action A7"});
  r = Progress("A1", "finished", liaison);
  ASSERT_EQ(r.status().code(), Code::kInvalidRequest);
  EXPECT_EQ(r.status().fields(), std::vector<std::string>{"data.status"});
  EXPECT_EQ(Progress("A1", "done", w.council[0]).status().code(), Code::kForbidden);
}

TEST_F(Plan, AnActionDueYesterdayPutsTheInProgressPlanAtRisk) {
  ToInProgress();
  h.clock.Set(*ParseTime("2026-03-10T23:59:59Z"));
  EXPECT_EQ(FireDue(), 0) << "due on the 10th is not overdue until the 10th is over";
  PastFirstDueDate();
  Instance i = h.Load(id);
  EXPECT_EQ(i.state, "at_risk");
  EXPECT_EQ(i.data.Get("overdue_actions")->Dump(), R"(["A1"])");
  EXPECT_TRUE(h.registry.Find("momentum_plan")->IsOverdue(i, h.clock.NowMs()))
      << "an at-risk plan is overdue in the inbox";
  const AuditEntry e = h.History(id).back();
  EXPECT_EQ(e.event, "flag_at_risk");
  EXPECT_EQ(e.actor_role, "system");
  EXPECT_EQ(Timers(), (std::set<std::string>{"action:A2", "grace"}));
}

TEST_F(Plan, ProgressThatLeavesNothingOverdueRecoversThePlan) {
  ToInProgress();
  PastFirstDueDate();
  ASSERT_TRUE(Progress("A1", "in_progress", liaison).ok());
  EXPECT_EQ(State(), "at_risk") << "still overdue";
  auto r = Progress("A1", "done", liaison);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->instance.state, "in_progress");
  const auto history = h.History(id);
  ASSERT_GE(history.size(), 2u);
  EXPECT_EQ(history[history.size() - 2].event, "report_progress");
  EXPECT_EQ(history[history.size() - 2].actor_role, "rso_liaison");
  EXPECT_EQ(history.back().event, "recover");
  EXPECT_EQ(history.back().actor_role, "system");
  EXPECT_EQ(history.back().seq, r->seq + 1);
  EXPECT_EQ(Timers(), std::set<std::string>{"action:A2"}) << "grace timer cleared";
}

TEST_F(Plan, ThirtyDaysAtRiskLapsesThePlan) {
  ToInProgress();
  PastFirstDueDate();
  h.clock.Advance(std::chrono::milliseconds(30 * kMsPerDay - 1));
  EXPECT_EQ(FireDue(), 0);
  h.clock.Advance(std::chrono::milliseconds(1));
  // The grace timer lapses it; A2's due timer (2026-04-16) is due too and is consumed.
  FireDue();
  Instance i = h.Load(id);
  EXPECT_EQ(i.state, "lapsed");
  EXPECT_TRUE(i.terminal);
  EXPECT_EQ(h.History(id).back().event, "lapse");
  EXPECT_EQ(h.History(id).back().actor_role, "system");
  EXPECT_TRUE(Timers().empty());
}

TEST_F(Plan, ARestartFiresTimersThatFellDueWhileTheServerWasDown) {
  ToInProgress();
  h.engine->Stop();
  h.clock.Set(*ParseTime("2026-03-12T08:00:00Z"));
  h.Restart(true);
  ASSERT_TRUE(h.scheduler != nullptr);
  EXPECT_EQ(State(), "at_risk");
  EXPECT_EQ(h.History(id).back().event, "flag_at_risk");
  EXPECT_TRUE(h.VerifyAudit().ok);
}

TEST_F(Plan, RiskEventsAreSystemOnlyAndGuarded) {
  ToInProgress();
  for (const char* e : {"flag_at_risk", "recover", "lapse"}) {
    EXPECT_EQ(Fire(e, w.sec).status().code(), Code::kForbidden) << e;
    EXPECT_EQ(Fire(e, liaison).status().code(), Code::kForbidden) << e;
  }
  auto r = Fire("flag_at_risk", Actor::System());
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(),
            std::vector<std::string>{"no unfinished action is past its due date"});
  PastFirstDueDate();
  r = Fire("recover", Actor::System());
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(), std::vector<std::string>{"action A1 is past its due date"});
  r = Fire("lapse", Actor::System());
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(), std::vector<std::string>{"the 30-day grace period is not over"});
  EXPECT_EQ(State(), "at_risk");
}

TEST_F(Plan, CompleteNeedsEveryActionDoneFromInProgressOrAtRisk) {
  ToInProgress();
  ASSERT_TRUE(Progress("A1", "done", liaison).ok());
  auto r = Fire("complete", liaison);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(), std::vector<std::string>{"action A2 is not done"});
  ASSERT_TRUE(Progress("A2", "done", liaison).ok());
  EXPECT_EQ(Fire("complete", w.council[0]).status().code(), Code::kForbidden);
  ASSERT_TRUE(Fire("complete", liaison).ok());
  EXPECT_EQ(State(), "completed");
  EXPECT_TRUE(Timers().empty());
}

TEST_F(Plan, CompleteFromAtRiskRefusesWhileAnActionIsOpen) {
  ToInProgress();
  PastFirstDueDate();
  ASSERT_TRUE(Progress("A2", "done", liaison).ok());
  ASSERT_EQ(State(), "at_risk") << "A1 is still overdue";
  auto r = Fire("complete", w.sec);
  ASSERT_EQ(r.status().code(), Code::kGuardFailed);
  EXPECT_EQ(r.status().reasons(), std::vector<std::string>{"action A1 is not done"});
}

TEST_F(Plan, CompleteFromAtRiskWhenEveryActionIsDone) {
  // A progress report that finishes the last action recovers the plan at once, so an at-risk
  // plan with every action done is set up directly in the database, with the engine stopped.
  ToInProgress();
  PastFirstDueDate();
  timers.reset();
  h.engine->Stop();
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(h.db_path.c_str(), &db), SQLITE_OK);
    const std::string sql =
        "UPDATE instances SET data = json_set(data, '$.actions[0].status', 'done', "
        "'$.actions[1].status', 'done') WHERE id = " +
        std::to_string(id);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  h.Restart(false);
  ASSERT_EQ(State(), "at_risk");
  ASSERT_TRUE(Fire("complete", liaison).ok());
  EXPECT_EQ(State(), "completed");
  EXPECT_TRUE(Timers().empty());
}

TEST_F(Plan, WithdrawNeedsACommentFromEveryNonTerminalState) {
  const std::vector<std::vector<std::string>> paths = {
      {}, {"submit"}, {"submit", "approve"}, {"submit", "approve", "start"}};
  for (const auto& path : paths) {
    auto r = Create(w.sec, Draft());
    ASSERT_TRUE(r.ok());
    id = r->instance.id;
    for (const auto& e : path) ASSERT_TRUE(Fire(e, w.sec).ok()) << e;
    const std::string from = State();
    const Status refused = Fire("withdraw", w.sec).status();
    EXPECT_EQ(refused.code(), Code::kGuardFailed) << from;
    EXPECT_EQ(refused.reasons(), std::vector<std::string>{"a comment is required"}) << from;
    EXPECT_EQ(Fire("withdraw", liaison, "x").status().code(), Code::kForbidden) << from;
    ASSERT_TRUE(Fire("withdraw", w.sec, "the RSO changed its priorities").ok()) << from;
    EXPECT_EQ(State(), "withdrawn");
    EXPECT_TRUE(Timers().empty());
  }
  // and from at_risk
  auto r = Create(w.sec, Draft());
  id = r->instance.id;
  ToInProgress();
  PastFirstDueDate();
  ASSERT_EQ(State(), "at_risk");
  EXPECT_EQ(Fire("withdraw", w.sec).status().reasons(),
            std::vector<std::string>{"a comment is required"});
  ASSERT_TRUE(Fire("withdraw", w.sec, "stop").ok());
  EXPECT_EQ(State(), "withdrawn");
  EXPECT_TRUE(Timers().empty());
}

TEST_F(Plan, AnotherRsosLiaisonCannotSeeOrTouchIt) {
  EXPECT_EQ(Fire("submit", other_liaison).status().code(), Code::kNotFound);
  EXPECT_EQ(h.engine->GetInstance(id, other_liaison).status().code(), Code::kNotFound);
}

TEST_F(Plan, StillDraftingThirtyDaysAfterTheEventIsOverdue) {
  const Workflow* wf = h.registry.Find("momentum_plan");
  Instance i = h.Load(id);
  EXPECT_FALSE(wf->IsOverdue(i, *ParseTime("2026-03-13T23:59:59Z")));
  EXPECT_TRUE(wf->IsOverdue(i, *ParseTime("2026-03-14T00:00:00Z")));
  ASSERT_TRUE(Fire("submit", liaison).ok());
  EXPECT_FALSE(wf->IsOverdue(h.Load(id), *ParseTime("2026-03-20T00:00:00Z")))
      << "submitted: no longer drafting";
}

TEST_F(Plan, MachineTableMatchesDesign) {
  const WorkflowMeta& m = h.registry.Find("momentum_plan")->Meta();
  std::set<std::string> rows;
  for (const auto& t : m.transitions) {
    std::string roles;
    for (const auto& r : t.roles) roles += r.substr(0, 1);
    rows.insert(t.from + " " + t.event + " " + t.to + " " + roles + " " + t.guard);
  }
  const std::set<std::string> expected = {"drafting revise drafting sr ",
                                          "drafting submit submitted sr actions_complete",
                                          "submitted request_changes drafting s comment",
                                          "submitted approve approved s rso_recognized",
                                          "approved start in_progress sr rso_recognized",
                                          "in_progress report_progress in_progress sr known_action",
                                          "at_risk report_progress at_risk sr known_action",
                                          "in_progress flag_at_risk at_risk s action_overdue",
                                          "at_risk recover in_progress s nothing_overdue",
                                          "at_risk lapse lapsed s grace_period_over",
                                          "in_progress complete completed sr all_actions_done",
                                          "at_risk complete completed sr all_actions_done",
                                          "drafting withdraw withdrawn s comment",
                                          "submitted withdraw withdrawn s comment",
                                          "approved withdraw withdrawn s comment",
                                          "in_progress withdraw withdrawn s comment",
                                          "at_risk withdraw withdrawn s comment"};
  EXPECT_EQ(rows, expected);
  for (const char* e : {"flag_at_risk", "recover", "lapse"}) {
    EXPECT_EQ(m.FindEvent(e)->roles, std::vector<std::string>{"system"}) << e;
  }
}

// ---- rules, directly

TEST(MomentumPlanRules, ActionIsOverdueFromTheDayAfterItsDueDate) {
  const Json actions = J(R"([{"id": "A1", "due_on": "2026-03-10", "status": "open"},
                             {"id": "A2", "due_on": "2026-03-01", "status": "done"}])");
  EXPECT_TRUE(
      momentum_plan::OverdueActions(actions, *ParseTime("2026-03-10T23:59:59.999Z")).empty());
  EXPECT_EQ(momentum_plan::OverdueActions(actions, *ParseTime("2026-03-11T00:00:00Z")),
            std::vector<std::string>{"A1"});
}

}  // namespace
}  // namespace rsoflow::testing
