// The momentum_plan state machine (DESIGN 4.4) on Boost.MSM's functor front-end. This is the
// only translation unit that includes MSM for this workflow (through the glue).
//
// Timers: starting the plan sets one timer per unfinished action ("action:<id>", due the day
// after its due_on) that fires flag_at_risk; a progress report re-arms or clears the action's
// timer; going at risk sets "grace" (30 days) that fires lapse; recovering clears it.
#include "workflows/msm_glue.h"
// (msm_glue.h first: it brings in MSM with the project-wide compile definitions.)
#include "engine/clock.h"
#include "workflows/momentum_plan/events.h"
#include "workflows/momentum_plan/rules.h"
#include "workflows/momentum_plan/workflow.h"
#include "workflows/rso_guards.h"

namespace rsoflow::momentum_plan {
namespace {

using msm_glue::CommentGiven;
using msm_glue::FromEach;
using msm_glue::NoAction;
using msm_glue::none;
using msm_glue::Row;
using rso::RsoRecognized;
using Context = MachineContext;

// ---- states ----
RSOFLOW_MSM_STATE(Drafting, "drafting", false);
RSOFLOW_MSM_STATE(Submitted, "submitted", false);
RSOFLOW_MSM_STATE(Approved, "approved", false);
RSOFLOW_MSM_STATE(InProgress, "in_progress", false);
RSOFLOW_MSM_STATE(AtRisk, "at_risk", false);
RSOFLOW_MSM_STATE(Completed, "completed", true);
RSOFLOW_MSM_STATE(Lapsed, "lapsed", true);
RSOFLOW_MSM_STATE(Withdrawn, "withdrawn", true);

std::string TimerName(const std::string& action_id) { return "action:" + action_id; }

Json* FindAction(Json& actions, const std::string& id) {
  if (!actions.is_array()) return nullptr;
  for (auto& a : actions.AsArray()) {
    if (a.GetString("id") == id) return &a;
  }
  return nullptr;
}

// The plan's actions, mutable (an empty list if the data has none).
Json& Actions(Context& c) {
  Json& actions = c.data.AsObject()["actions"];
  if (!actions.is_array()) actions = Json::MakeArray();
  return actions;
}

// ---- guards ----
struct ActionsComplete {
  static constexpr const char* name = "actions_complete";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    const Json& d = c.request->instance.data;
    const Json actions = d.Has("actions") ? *d.Get("actions") : Json::MakeArray();
    const auto problems = SubmissionProblems(actions, d.GetString("event_ends_on"));
    for (const auto& p : problems) c.Reason(p);
    return problems.empty();
  }
};

struct KnownAction {
  static constexpr const char* name = "known_action";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    const std::string id = c.request->data.GetString("action_id");
    if (FindAction(Actions(c), id) != nullptr) return true;
    c.Reason("unknown_action", "the plan has no action " + id);
    return false;
  }
};

struct ActionOverdue {
  static constexpr const char* name = "action_overdue";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    if (!OverdueActions(Actions(c), c.request->now).empty()) return true;
    c.Reason("no_action_overdue", "no unfinished action is past its due date");
    return false;
  }
};

struct NothingOverdue {
  static constexpr const char* name = "nothing_overdue";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    const auto overdue = OverdueActions(Actions(c), c.request->now);
    for (const auto& id : overdue)
      c.Reason("action_overdue", "action " + id + " is past its due date");
    return overdue.empty();
  }
};

struct GracePeriodOver {
  static constexpr const char* name = "grace_period_over";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    const auto since = ParseTime(c.data.GetString("at_risk_since"));
    if (since && *since + kGraceDays * kMsPerDay <= c.request->now) return true;
    c.Reason("grace_period_not_over",
             "the " + std::to_string(kGraceDays) + "-day grace period is not over");
    return false;
  }
};

struct AllActionsDone {
  static constexpr const char* name = "all_actions_done";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    const auto open = UnfinishedActions(Actions(c));
    for (const auto& id : open) c.Reason("action_not_done", "action " + id + " is not done");
    return open.empty();
  }
};

// ---- actions ----
struct ApplyRevision {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    const Json& p = c.request->data;
    if (p.Has("title")) {
      c.data.Set("title", p.GetString("title"));
      c.effects.new_title = p.GetString("title");
    }
    if (p.Has("actions")) {
      int64_t next_id = c.data.Get("next_action") ? c.data.Get("next_action")->AsInt() : 1;
      auto actions = BuildActions(*p.Get("actions"), Actions(c), &next_id, "data.actions");
      if (!actions.ok()) return c.Fail(actions.status());
      c.data.Set("actions", std::move(actions).value());
      c.data.Set("next_action", next_id);
    }
  }
};

struct ArmActionTimers {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    for (const auto& a : Actions(c).AsArray()) {
      if (a.GetString("status") == "done") continue;
      c.effects.set_timers.push_back(TimerSpec{TimerName(a.GetString("id")),
                                               ActionDueAt(a.GetString("due_on")),
                                               events::FlagAtRisk::name});
    }
    c.data.Set("started_at", FormatTime(c.request->now));
  }
};

// report_progress: updates the action and its timer; an at-risk plan with nothing overdue
// any more recovers in the same transaction.
struct RecordProgress {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    const Json& p = c.request->data;
    Json* action = FindAction(Actions(c), p.GetString("action_id"));
    if (action == nullptr) return;  // KnownAction refused already
    const std::string status = p.GetString("status");
    action->Set("status", status);
    if (p.Has("note")) action->Set("note", p.GetString("note"));
    action->Set("updated_at", FormatTime(c.request->now));
    const std::string timer = TimerName(action->GetString("id"));
    if (status == "done") {
      c.effects.clear_timers.push_back(timer);
    } else {
      c.effects.set_timers.push_back(
          TimerSpec{timer, ActionDueAt(action->GetString("due_on")), events::FlagAtRisk::name});
    }
    if (c.request->instance.state == AtRisk::name &&
        OverdueActions(Actions(c), c.request->now).empty()) {
      FollowUp f;
      f.instance_id = c.request->instance.id;
      f.event = events::Recover::name;
      f.comment = "no action is overdue after the progress report";
      c.effects.follow_ups.push_back(std::move(f));
    }
  }
};

struct StartGracePeriod {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    c.data.Set("at_risk_since", FormatTime(c.request->now));
    Json overdue = Json::MakeArray();
    for (const auto& id : OverdueActions(Actions(c), c.request->now)) overdue.Push(id);
    c.data.Set("overdue_actions", std::move(overdue));
    c.effects.set_timers.push_back(
        TimerSpec{"grace", c.request->now + kGraceDays * kMsPerDay, events::Lapse::name});
  }
};

struct EndGracePeriod {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    c.data.Set("at_risk_since", Json());
    c.data.Set("overdue_actions", Json::MakeArray());
    c.effects.clear_timers.push_back("grace");
  }
};

// ---- the machine ----
using PlanStates = msm_glue::States<Drafting, Submitted, Approved, InProgress, AtRisk, Completed,
                                    Lapsed, Withdrawn>;
using NotEnded = msm_glue::States<Drafting, Submitted, Approved, InProgress, AtRisk>;

struct PlanFront : msm_glue::Front<PlanFront, PlanStates> {
  // clang-format off
  struct transition_table : msm_glue::Table<
      //  Start       Event                    Next        Action            Guard
      Row<Drafting,   events::Revise,          none,       ApplyRevision,    none>,
      Row<Drafting,   events::Submit,          Submitted,  NoAction,         ActionsComplete>,
      Row<Submitted,  events::RequestChanges,  Drafting,   NoAction,         CommentGiven>,
      Row<Submitted,  events::Approve,         Approved,   NoAction,         RsoRecognized>,
      Row<Approved,   events::Start,           InProgress, ArmActionTimers,  RsoRecognized>,
      Row<InProgress, events::ReportProgress,  none,       RecordProgress,   KnownAction>,
      Row<AtRisk,     events::ReportProgress,  none,       RecordProgress,   KnownAction>,
      Row<InProgress, events::FlagAtRisk,      AtRisk,     StartGracePeriod, ActionOverdue>,
      Row<AtRisk,     events::Recover,         InProgress, EndGracePeriod,   NothingOverdue>,
      Row<AtRisk,     events::Lapse,           Lapsed,     NoAction,         GracePeriodOver>,
      Row<InProgress, events::Complete,        Completed,  NoAction,         AllActionsDone>,
      Row<AtRisk,     events::Complete,        Completed,  NoAction,         AllActionsDone>,
      FromEach<NotEnded, events::Withdraw,     Withdrawn,  NoAction,         CommentGiven>
  > {};
  // clang-format on
};

}  // namespace

MachineDefinition Machine() {
  MetaSpec spec;
  spec.name = kWorkflowName;
  spec.title = "Momentum plan";
  spec.create_roles = {"secretariat", "rso_liaison"};
  spec.create.path = "/api/v1/momentum-plans";
  spec.create.rso_id_in_body = true;
  spec.create.fields = CreationFields();
  spec.create.operation_id = "draftMomentumPlan";
  spec.create.summary = "Draft a momentum plan for an ISO event (secretariat, own liaison)";
  spec.create.description =
      "A plan may be drafted as soon as its ISO event is registered; its actions fall due after "
      "the event ends (checked at submit). 422 when the event does not list the RSO or the RSO "
      "is not recognized (`rso_not_recognized`); approving and starting the plan need the RSO "
      "recognized too.";
  spec.create.created = "Drafting";
  spec.standing_events = {events::Revise::name, events::Withdraw::name};
  const std::vector<std::string> s = {"secretariat"}, sl = {"secretariat", "rso_liaison"},
                                 sys = {"system"};
  spec.roles_by_event = {{events::Revise::name, sl},        {events::Submit::name, sl},
                         {events::RequestChanges::name, s}, {events::Approve::name, s},
                         {events::Start::name, sl},         {events::ReportProgress::name, sl},
                         {events::FlagAtRisk::name, sys},   {events::Recover::name, sys},
                         {events::Lapse::name, sys},        {events::Complete::name, sl},
                         {events::Withdraw::name, s}};
  AddLabels(&spec);
  return msm_glue::Define<PlanFront>(std::move(spec));
}

}  // namespace rsoflow::momentum_plan
