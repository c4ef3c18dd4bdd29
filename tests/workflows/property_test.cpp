// Property-style test over the four workflows: 10 000 random commands by random actors (every
// role, the system included) with random payloads, the fake clock jumping and timers firing in
// between. Whatever is accepted or refused, afterwards:
//  - every audited transition is a row of its workflow's table, and every instance's state is
//    reachable from the initial state;
//  - an instance's row matches its audit trail (state = last to_state, version = entries);
//  - nothing changed an instance after it reached a terminal state;
//  - the audit chain verifies.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <map>
#include <random>
#include <set>

#include "engine/timer_scheduler.h"
#include "tests/support/partnership_world.h"

namespace rsoflow::testing {
namespace {

std::set<std::string> Reachable(const WorkflowMeta& m) {
  std::set<std::string> seen = {m.initial_state};
  bool grew = true;
  while (grew) {
    grew = false;
    for (const auto& t : m.transitions) {
      if (seen.count(t.from) && seen.insert(t.to).second) grew = true;
    }
  }
  return seen;
}

class RandomCommands {
 public:
  RandomCommands(Harness& h, PartnershipWorld& w, uint32_t seed) : h_(h), w_(w), rng_(seed) {}

  void Setup() {
    rsos_ = {w_.RecognizedRso("AAA"), w_.RecognizedRso("BBB"), w_.RecognizedRso("DDD"),
             w_.RecognizedRso("EEE"), w_.RegisterRso("CCC")};
    for (const auto& r : rsos_) by_workflow_["rso_recognition"].push_back(w_.RecognitionOf(r));
    // No API caller can act as the system: its events come from timers and follow-ups only.
    actors_ = {w_.sec, w_.auditor, h_.AddUser("p.admin", "admin")};
    for (const auto& c : w_.council) actors_.push_back(c);
    actors_.push_back(h_.AddUser("p.council.aff", "council", "", {rsos_[0]}));
    for (const auto& r : rsos_) actors_.push_back(h_.AddUser("p.liaison." + r, "rso_liaison", r));
    event_ = w_.AddIsoEvent("Regional workshop", "2026-02-01", "2026-02-03", rsos_);
    timers_ = std::make_unique<TimerScheduler>(*h_.engine, h_.clock);
  }

  void Run(int commands) {
    for (int i = 0; i < commands; ++i) {
      const int dice = Pick(100);
      if (dice < 8) {
        StartSomething();
      } else if (dice < 10) {
        h_.clock.Advance(std::chrono::hours(Pick(4 * 24)));
        timers_->FireDue();
      } else {
        FireSomething();
      }
    }
    timers_->Stop();
  }

  int accepted = 0, refused = 0;
  std::map<std::string, int> by_code;

 private:
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  template <class T>
  const T& OneOf(const std::vector<T>& v) {
    return v[Pick(v.size())];
  }
  const Actor& AnyActor() { return OneOf(actors_); }
  std::string Date(int days_from_now) {
    return FormatDate(h_.clock.NowMs() / kMsPerDay + days_from_now);
  }

  // An actor whose role the table allows for the event (the instance's own liaison for
  // rso_liaison), so that enough commands get past the role and scope checks.
  const Actor& LikelyActor(const WorkflowMeta& meta, const std::string& event,
                           const Instance& inst) {
    const EventInfo* info = meta.FindEvent(event);
    if (info == nullptr || info->roles.empty()) return AnyActor();
    const std::string role = OneOf(info->roles);
    std::vector<const Actor*> fit;
    for (const Actor& a : actors_) {
      if (a.role == role && (role != "rso_liaison" || a.rso_id == inst.rso_id)) fit.push_back(&a);
    }
    return fit.empty() ? AnyActor() : *OneOf(fit);
  }

  // The secretariat or the RSO's own liaison.
  const Actor& Proposer(const std::string& rso) {
    for (const Actor& a : actors_) {
      if (Pick(2) && a.role == "rso_liaison" && a.rso_id == rso) return a;
    }
    return w_.sec;
  }

  void Count(const Result<CommandResult>& r) {
    ++by_code[r.ok() ? "ok" : Status::CodeName(r.status().code())];
    if (r.ok()) {
      ++accepted;
      auto& pool = by_workflow_[r->instance.workflow];
      if (std::find(pool.begin(), pool.end(), r->instance.id) == pool.end()) {
        pool.push_back(r->instance.id);
        if (r->instance.workflow == "rso_recognition") rsos_.push_back(r->instance.rso_id);
      }
    } else {
      ++refused;
    }
  }

  void StartSomething() {
    // Mostly an RSO recognized right now, so that initiatives and plans can start.
    std::string rso = OneOf(rsos_);
    InstanceQuery q;
    q.workflow = "rso_recognition";
    q.state = "recognized";
    q.limit = 200;
    auto recognized = h_.store->ListInstances(q);
    if (recognized.ok() && !recognized->empty() && Pick(4) > 0) rso = OneOf(*recognized).rso_id;
    Json d = Json::MakeObject();
    std::string workflow;
    switch (Pick(4)) {
      case 0:
        workflow = "rso_recognition";
        d = J(R"({"name": "Random RSO", "kind": "regional", "region": "Americas",
                  "member_bodies": ["BR", "AR"], "statutes_ref": "s"})");
        d.Set("acronym", "R" + std::to_string(++serial_));
        Count(h_.Start(workflow, Pick(2) ? w_.sec : AnyActor(), d));
        return;
      case 1:
        workflow = "council_ballot";
        d.Set("title", "Decision " + std::to_string(++serial_));
        d.Set("question", "Shall it be?");
        d.Set("deadline",
              FormatTime(h_.clock.NowMs() + static_cast<int64_t>(Pick(20)) * kMsPerDay));
        Count(h_.Start(workflow, Pick(2) ? w_.sec : AnyActor(), d));
        return;
      case 2:
        workflow = "partnership_initiative";
        d = Pick(2) ? J(R"({"type": "training", "title": "Train"})")
                    : J(R"({"type": "event_promotion", "title": "Promote"})");
        if (Pick(2)) d.Set("iso_event_id", event_);
        break;
      default:
        workflow = "momentum_plan";
        d.Set("title", "Plan");
        d.Set("iso_event_id", event_);
        {
          Json actions = Json::MakeArray();
          for (size_t n = Pick(3); n > 0; --n) {
            Json a = Json::MakeObject();
            a.Set("title", "Action");
            a.Set("owner", "Owner");
            a.Set("due_on", Date(static_cast<int>(Pick(40))));
            actions.Push(a);
          }
          d.Set("actions", actions);
        }
    }
    Count(h_.Start(workflow, Pick(4) ? Proposer(rso) : AnyActor(), d, rso));
  }

  Json Payload(const std::string& workflow, const std::string& event) {
    Json d = Json::MakeObject();
    if (event == "vote") {
      d.Set("choice",
            OneOf(std::vector<std::string>{"approve", "approve", "reject", "abstain", "maybe"}));
    } else if (event == "extend") {
      d.Set("deadline", FormatTime(h_.clock.NowMs() + static_cast<int64_t>(Pick(30)) * kMsPerDay));
    } else if (event == "edit_dossier") {
      d.Set("statutes_ref", Pick(3) ? "Statutes " + std::to_string(Pick(9)) : "");
    } else if (event == "revise" && workflow == "partnership_initiative") {
      d.Set("description", "revised");
    } else if (event == "revise") {
      d.Set("title", "revised plan");
      if (Pick(2)) {
        Json a = J(R"([{"title": "Do it", "owner": "Someone"}])");
        a.AsArray()[0].Set("due_on", Date(static_cast<int>(Pick(60)) - 20));
        d.Set("actions", a);
      }
    } else if (event == "report_progress" && workflow == "partnership_initiative") {
      if (Pick(4)) d.Set("note", "progress");
      d.Set("percent_complete", static_cast<int64_t>(Pick(120)));
    } else if (event == "report_progress") {
      d.Set("action_id", OneOf(std::vector<std::string>{"A1", "A2", "A3"}));
      d.Set("status", OneOf(std::vector<std::string>{"done", "done", "in_progress", "open"}));
    } else if (event == "complete" && workflow == "partnership_initiative") {
      if (Pick(4)) d.Set("outcome_summary", "done");
    } else if (event.rfind("council_", 0) == 0) {
      d.Set("ballot_id", "0");
      d.Set("outcome", event.substr(8));
      d.Set("resolution", "99/2026");
    }
    return d;
  }

  void FireSomething() {
    // A workflow at random, then mostly instances that can still move.
    auto it = by_workflow_.begin();
    std::advance(it, static_cast<long>(Pick(by_workflow_.size())));
    const std::vector<int64_t>& pool = it->second;
    int64_t id = OneOf(pool);
    auto inst = h_.store->GetInstance(id);
    for (int tries = 0; tries < 8 && inst.ok() && inst->terminal && Pick(10) > 0; ++tries) {
      id = OneOf(pool);
      inst = h_.store->GetInstance(id);
    }
    ASSERT_TRUE(inst.ok());
    const WorkflowMeta& meta = h_.registry.Find(inst->workflow)->Meta();
    // Mostly events the table has from the current state, sometimes any event at all.
    std::vector<std::string> events = meta.AllEventsFrom(inst->state);
    if (events.empty() || Pick(5) == 0) {
      events.clear();
      for (const auto& e : meta.events) events.push_back(e.name);
    }
    const std::string event = OneOf(events);
    const std::string comment = Pick(10) < 7 ? "because" : "";
    Count(h_.Fire(id, event, Pick(4) ? LikelyActor(meta, event, *inst) : AnyActor(),
                  Payload(inst->workflow, event), comment));
  }

  Harness& h_;
  PartnershipWorld& w_;
  std::mt19937 rng_;
  std::unique_ptr<TimerScheduler> timers_;
  std::vector<std::string> rsos_;
  std::vector<Actor> actors_;
  std::map<std::string, std::vector<int64_t>> by_workflow_;
  std::string event_;
  int serial_ = 0;
};

TEST(WorkflowProperties, TenThousandRandomCommandsKeepEveryInstanceOnItsTable) {
  Harness h;
  PartnershipWorld w(h);
  RandomCommands random(h, w, /*seed=*/20261125);
  random.Setup();
  spdlog::set_level(spdlog::level::warn);  // 10 000 refusal lines would drown the output
  random.Run(10000);
  spdlog::set_level(spdlog::level::info);
  h.engine->Stop();

  // Some of everything happened: the test would be hollow if all were refused.
  for (const auto& [code, n] : random.by_code) std::cout << code << ": " << n << "\n";
  EXPECT_GT(random.accepted, 1000);
  EXPECT_GT(random.refused, 1000);

  std::map<std::string, std::set<std::string>> rows, reachable;
  for (const char* name :
       {"rso_recognition", "council_ballot", "partnership_initiative", "momentum_plan"}) {
    const WorkflowMeta& m = h.registry.Find(name)->Meta();
    for (const auto& t : m.transitions) rows[name].insert(t.from + "|" + t.event + "|" + t.to);
    reachable[name] = Reachable(m);
  }

  struct Trail {
    std::string workflow, state;
    int64_t entries = 0;
    bool terminal = false;
  };
  std::map<int64_t, Trail> trails;
  std::map<std::string, int> transitions_by_workflow;
  auto st = h.store->ForEachAudit(0, [&](const AuditEntry& e) {
    Trail& t = trails[e.instance_id];
    const WorkflowMeta& m = h.registry.Find(e.workflow)->Meta();
    if (e.event == "create") {
      EXPECT_EQ(t.entries, 0) << "instance " << e.instance_id;
      EXPECT_EQ(e.to_state, m.initial_state);
    } else {
      EXPECT_FALSE(t.terminal) << "instance " << e.instance_id << " changed after reaching "
                               << t.state << " (seq " << e.seq << ")";
      EXPECT_EQ(e.from_state, t.state) << "seq " << e.seq;
      EXPECT_EQ(rows[e.workflow].count(e.from_state + "|" + e.event + "|" + e.to_state), 1u)
          << e.workflow << ": " << e.from_state << " --" << e.event << "--> " << e.to_state
          << " is not a row of the table (seq " << e.seq << ")";
      ++transitions_by_workflow[e.workflow];
    }
    t.workflow = e.workflow;
    t.state = e.to_state;
    t.terminal = m.IsTerminal(e.to_state);
    ++t.entries;
    return true;
  });
  ASSERT_TRUE(st.ok()) << st.ToString();
  for (const auto& [workflow, count] : transitions_by_workflow) {
    std::cout << workflow << ": " << count << " transitions\n";
    EXPECT_GT(count, 100) << workflow << " saw too few transitions to mean anything";
  }
  EXPECT_EQ(transitions_by_workflow.size(), 4u);

  for (const auto& [id, trail] : trails) {
    auto inst = h.store->GetInstance(id);
    ASSERT_TRUE(inst.ok());
    EXPECT_EQ(inst->state, trail.state) << "instance " << id;
    EXPECT_EQ(inst->version, trail.entries) << "instance " << id << ": unaudited change";
    EXPECT_EQ(inst->terminal, trail.terminal) << "instance " << id;
    EXPECT_EQ(reachable[trail.workflow].count(inst->state), 1u) << inst->state;
  }
  EXPECT_TRUE(h.VerifyAudit().ok);
}

}  // namespace
}  // namespace rsoflow::testing
