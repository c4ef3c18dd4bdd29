// Every row of DESIGN 4's four transition tables against every caller: the roles a row names
// may fire its event from each of its states (the engine lists it among the caller's allowed
// events), and every other caller is refused at the engine's choke point: `forbidden` for a
// role the row does not name (the engine's own `system` actor included, on a row without
// `sys`), `not_found` for a liaison of another RSO and for an admin, who take part in none of
// it. A refusal changes nothing: no version, no audit entry. The tables are DESIGN's, copied
// here, not read from the code, so a role added to or dropped from a row in the code fails.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "engine/timer_scheduler.h"
#include "tests/support/partnership_world.h"

namespace rsoflow::testing {
namespace {

using Code = Status::Code;

// One row of a DESIGN table; `who` as DESIGN writes it ("S, L", "S, sys").
struct Row {
  std::vector<std::string> from;
  std::string event;
  std::string who;
};

// A caller and the letter DESIGN's "who" column uses for it ("" when it never appears).
struct Caller {
  std::string name;
  Actor actor;
  std::string letter;
  Code refusal;
};

bool Names(const std::string& who, const std::string& letter) {
  if (letter.empty()) return false;
  std::stringstream in(who);
  std::string part;
  while (std::getline(in, part, ',')) {
    part.erase(std::remove(part.begin(), part.end(), ' '), part.end());
    if (part == letter) return true;
  }
  return false;
}

class RoleMatrix : public ::testing::Test {
 protected:
  void SetUp() override {
    other_liaison = h.AddUser("other.liaison", "rso_liaison", w.RegisterRso("OTHER"));
    admin = h.AddUser("admin", "admin");
  }
  void TearDown() override {
    if (timers) timers->Stop();
    h.engine->Stop();
  }

  // The callers for instances of `rso` ("" for none): its own liaison, another RSO's.
  std::vector<Caller> Callers(const std::string& rso) {
    std::vector<Caller> out = {
        {"secretariat", w.sec, "S", Code::kForbidden},
        {"council", w.council[0], "C", Code::kForbidden},
        {"auditor", w.auditor, "", Code::kForbidden},
        {"admin", admin, "", Code::kNotFound},
        {"liaison of another RSO", other_liaison, "", Code::kNotFound},
        {"system", Actor::System(), "sys", Code::kForbidden},
    };
    if (!rso.empty()) out.push_back({"liaison of its RSO", LiaisonOf(rso), "L", Code::kForbidden});
    return out;
  }

  Actor LiaisonOf(const std::string& rso) {
    auto it = liaisons.find(rso);
    if (it == liaisons.end()) {
      it = liaisons.emplace(rso, h.AddUser("liaison." + rso, "rso_liaison", rso)).first;
    }
    return it->second;
  }

  // Checks `rows` against the instances in `at` (state -> instance id).
  void Check(const std::vector<Row>& rows, const std::map<std::string, int64_t>& at) {
    for (const Row& row : rows) {
      for (const std::string& state : row.from) {
        ASSERT_EQ(at.count(state), 1u) << "no instance in " << state;
        const int64_t id = at.at(state);
        const Instance before = h.Load(id);
        ASSERT_EQ(before.state, state);
        const int64_t audit = h.AuditCount();
        for (const Caller& c : Callers(before.rso_id)) {
          SCOPED_TRACE(state + " " + row.event + " by " + c.name);
          const auto allowed = h.engine->AllowedEvents(before, c.actor);
          const bool listed = std::find(allowed.begin(), allowed.end(), row.event) != allowed.end();
          if (Names(row.who, c.letter)) {
            EXPECT_TRUE(listed);
            continue;
          }
          EXPECT_FALSE(listed);
          auto r = h.Fire(id, row.event, c.actor, Json::MakeObject(), "a comment");
          ASSERT_FALSE(r.ok());
          EXPECT_EQ(r.status().code(), c.refusal) << r.status().ToString();
        }
        const Instance after = h.Load(id);
        EXPECT_EQ(after.state, state) << row.event;
        EXPECT_EQ(after.version, before.version) << state << " " << row.event;
        EXPECT_EQ(h.AuditCount(), audit) << state << " " << row.event;
      }
    }
  }

  void Fire(int64_t id, const std::string& event, const Actor& who, Json data = Json::MakeObject(),
            const std::string& comment = "") {
    auto r = h.Fire(id, event, who, std::move(data), comment);
    ASSERT_TRUE(r.ok()) << event << ": " << r.status().ToString();
  }

  void VoteAll(int64_t ballot, const std::string& choice) {
    Json data = Json::MakeObject();
    data.Set("choice", choice);
    for (const Actor& c : w.council) Fire(ballot, "vote", c, data);
  }

  // A recognition of a new RSO driven to `state` along DESIGN 4.1's rows.
  int64_t RecognitionIn(const std::string& state) {
    const std::string rso = w.RegisterRso("R" + std::to_string(++rsos));
    const int64_t id = w.RecognitionOf(rso);
    LiaisonOf(rso);
    if (state == "draft") return id;
    Fire(id, "submit", w.sec);
    if (state == "submitted") return id;
    Fire(id, "start_review", w.sec);
    if (state == "secretariat_review") return id;
    if (state == "returned") {
      Fire(id, "return_for_changes", w.sec, Json::MakeObject(), "statutes missing");
      return id;
    }
    Fire(id, "refer_to_council", w.sec);
    if (state == "council_review") return id;
    VoteAll(w.OpenBallotOf(rso), state == "rejected" ? "reject" : "approve");
    if (state == "rejected" || state == "recognized") return id;
    Fire(id, "suspend", w.sec, Json::MakeObject(), "dues unpaid");
    if (state == "suspended") return id;
    Fire(id, "propose_withdrawal", w.sec, Json::MakeObject(), "no activity");
    return id;  // withdrawal_review
  }

  Harness h;
  PartnershipWorld w{h};
  std::unique_ptr<TimerScheduler> timers;
  std::map<std::string, Actor> liaisons;
  Actor other_liaison, admin;
  int rsos = 0;
};

TEST_F(RoleMatrix, RsoRecognitionRowsRefuseEveryRoleTheyDoNotName) {
  const std::vector<Row> rows = {
      {{"draft", "returned"}, "submit", "S, L"},
      {{"submitted"}, "start_review", "S"},
      {{"secretariat_review"}, "return_for_changes", "S"},
      {{"secretariat_review"}, "refer_to_council", "S"},
      {{"council_review"}, "council_approved", "sys"},
      {{"council_review"}, "council_rejected", "sys"},
      {{"council_review"}, "council_no_quorum", "sys"},
      {{"recognized"}, "suspend", "S"},
      {{"suspended"}, "reinstate", "S"},
      {{"suspended"}, "propose_withdrawal", "S"},
      {{"withdrawal_review"}, "council_approved", "sys"},
      {{"withdrawal_review"}, "council_rejected", "sys"},
      {{"withdrawal_review"}, "council_no_quorum", "sys"},
      {{"draft", "returned", "submitted", "secretariat_review", "council_review"}, "withdraw", "S"},
      {{"rejected"}, "reopen", "S"},
  };
  std::map<std::string, int64_t> at;
  for (const char* s : {"draft", "returned", "submitted", "secretariat_review", "council_review",
                        "recognized", "suspended", "withdrawal_review", "rejected"}) {
    at[s] = RecognitionIn(s);
  }
  Check(rows, at);
}

TEST_F(RoleMatrix, CouncilBallotRowsRefuseEveryRoleTheyDoNotName) {
  // The ballot of a recognition in council_review: it is about an RSO, whose liaison sees it.
  const int64_t recognition = RecognitionIn("council_review");
  const int64_t ballot = w.OpenBallotOf(h.Load(recognition).rso_id);
  ASSERT_NE(ballot, 0);
  const std::vector<Row> rows = {
      {{"open"}, "vote", "C"},       {{"open"}, "recuse", "C"},      {{"open"}, "extend", "S"},
      {{"open"}, "close", "S, sys"}, {{"open"}, "cancel", "S, sys"},
  };
  Check(rows, {{"open", ballot}});
}

TEST_F(RoleMatrix, PartnershipInitiativeRowsRefuseEveryRoleTheyDoNotName) {
  const std::string rso = w.RecognizedRso("INIT");
  LiaisonOf(rso);
  auto in = [&](const std::string& state) -> int64_t {
    auto r = h.Start("partnership_initiative", w.sec,
                     J(R"({"type": "training", "title": "Assessor training",
                           "objectives": ["train 40 assessors"], "start_date": "2026-04-01",
                           "end_date": "2026-09-30"})"),
                     rso);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return 0;
    const int64_t id = r->instance.id;
    if (state == "proposed") return id;
    Fire(id, "start_review", w.sec);
    if (state == "under_review") return id;
    Fire(id, "approve", w.sec);
    if (state == "approved") return id;
    Fire(id, "start", w.sec);
    if (state == "active") return id;
    Fire(id, "pause", w.sec, Json::MakeObject(), "waiting for funds");
    return id;  // on_hold
  };
  const std::vector<Row> rows = {
      {{"proposed"}, "revise", "S, L"},
      {{"proposed"}, "start_review", "S"},
      {{"under_review"}, "request_changes", "S"},
      {{"under_review"}, "approve", "S"},
      {{"under_review"}, "decline", "S"},
      {{"approved"}, "start", "S, L"},
      {{"active"}, "report_progress", "S, L"},
      {{"active"}, "pause", "S, L"},
      {{"active"}, "rso_suspended", "sys"},
      {{"on_hold"}, "resume", "S, L"},
      {{"active"}, "complete", "S, L"},
      {{"proposed", "under_review", "approved", "active", "on_hold"}, "cancel", "S"},
  };
  std::map<std::string, int64_t> at;
  for (const char* s : {"proposed", "under_review", "approved", "active", "on_hold"}) at[s] = in(s);
  Check(rows, at);
}

TEST_F(RoleMatrix, MomentumPlanRowsRefuseEveryRoleTheyDoNotName) {
  const std::string rso = w.RecognizedRso("PLAN");
  LiaisonOf(rso);
  const std::string event = w.AddIsoEvent("Regional workshop", "2026-02-10", "2026-02-12", {rso});
  // The at_risk plan's one action is due on 2026-03-10; every other plan's on 2026-06-30, so
  // moving the clock past the first puts only that plan at risk.
  auto in = [&](const std::string& state) -> int64_t {
    Json action = J(R"({"title": "Publish the report", "owner": "RSO secretariat"})");
    action.Set("due_on", state == "at_risk" ? "2026-03-10" : "2026-06-30");
    Json actions = Json::MakeArray();
    actions.Push(action);
    Json d = J(R"({"title": "After the workshop"})");
    d.Set("iso_event_id", event);
    d.Set("actions", actions);
    auto r = h.Start("momentum_plan", w.sec, d, rso);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return 0;
    const int64_t id = r->instance.id;
    if (state == "drafting") return id;
    Fire(id, "submit", w.sec);
    if (state == "submitted") return id;
    Fire(id, "approve", w.sec);
    if (state == "approved") return id;
    Fire(id, "start", w.sec);
    return id;  // in_progress, or at_risk once its action is past due
  };
  std::map<std::string, int64_t> at;
  for (const char* s : {"drafting", "submitted", "approved", "in_progress", "at_risk"}) {
    at[s] = in(s);
  }
  h.clock.Set(*ParseTime("2026-03-11T00:00:00Z"));
  timers = std::make_unique<TimerScheduler>(*h.engine, h.clock);
  ASSERT_EQ(timers->FireDue(), 1);
  const std::vector<Row> rows = {
      {{"drafting"}, "revise", "S, L"},
      {{"drafting"}, "submit", "S, L"},
      {{"submitted"}, "request_changes", "S"},
      {{"submitted"}, "approve", "S"},
      {{"approved"}, "start", "S, L"},
      {{"in_progress", "at_risk"}, "report_progress", "S, L"},
      {{"in_progress"}, "flag_at_risk", "sys"},
      {{"at_risk"}, "recover", "sys"},
      {{"at_risk"}, "lapse", "sys"},
      {{"in_progress", "at_risk"}, "complete", "S, L"},
      {{"drafting", "submitted", "approved", "in_progress", "at_risk"}, "withdraw", "S"},
  };
  Check(rows, at);
}

}  // namespace
}  // namespace rsoflow::testing
