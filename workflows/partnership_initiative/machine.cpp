// The partnership_initiative state machine (DESIGN 4.3) on Boost.MSM's functor front-end. This
// is the only translation unit that includes MSM for this workflow (through the glue).
#include "workflows/msm_glue.h"
// (msm_glue.h first: it brings in MSM with the project-wide compile definitions.)
#include "engine/clock.h"
#include "workflows/partnership_initiative/events.h"
#include "workflows/partnership_initiative/rules.h"
#include "workflows/partnership_initiative/workflow.h"
#include "workflows/rso_guards.h"
#include "workflows/rso_records.h"

namespace rsoflow::partnership_initiative {
namespace {

using msm_glue::CommentGiven;
using msm_glue::FromEach;
using msm_glue::NoAction;
using msm_glue::none;
using msm_glue::Row;
using rso::RsoRecognized;
using Context = MachineContext;

// ---- states ----
RSOFLOW_MSM_STATE(Proposed, "proposed", false);
RSOFLOW_MSM_STATE(UnderReview, "under_review", false);
RSOFLOW_MSM_STATE(Approved, "approved", false);
RSOFLOW_MSM_STATE(Active, "active", false);
RSOFLOW_MSM_STATE(OnHold, "on_hold", false);
RSOFLOW_MSM_STATE(Completed, "completed", true);
RSOFLOW_MSM_STATE(Declined, "declined", true);
RSOFLOW_MSM_STATE(Cancelled, "cancelled", true);

// Momentum plan states from which a plan counts as approved (DESIGN 4.3, complete).
bool PlanAtLeastApproved(const std::string& state) {
  return state == "approved" || state == "in_progress" || state == "at_risk" ||
         state == "completed";
}

// ---- guards ----
struct ProgressNoted {
  static constexpr const char* name = "progress_note";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    const std::vector<Reason> reasons = ProgressNoteProblems(c.request->data);
    for (const auto& r : reasons) c.Reason(r);
    return reasons.empty();
  }
};

// complete: an outcome summary, and for an event_promotion initiative linked to an ISO event,
// a momentum plan of the same RSO for that event that is at least approved.
struct CompletionRule {
  static constexpr const char* name = "completion_rule";
  static constexpr int kPlanPageSize = 500;
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    bool ok = true;
    if (c.request->data.GetString("outcome_summary").empty()) {
      c.Reason("outcome_summary_required", "an outcome_summary is required");
      ok = false;
    }
    const Json& d = c.request->instance.data;
    const std::string event_id = d.GetString("iso_event_id");
    if (d.GetString("type") == "event_promotion" && !event_id.empty()) {
      // Only the RSO's momentum plans are read, page by page by id, until one qualifies or
      // none is left: however many plans the RSO has, none is missed.
      InstanceQuery q;
      q.workflow = "momentum_plan";
      q.rso_id = c.request->instance.rso_id;
      q.limit = kPlanPageSize;
      bool found = false;
      while (!found) {
        auto page = c.request->env.FindInstances(q);
        if (!page.ok()) {
          c.Fail(page.status());
          c.Reason("momentum_plans_unreadable", "momentum plans cannot be read");
          return false;
        }
        for (const Instance& p : *page) {
          found = found ||
                  (p.data.GetString("iso_event_id") == event_id && PlanAtLeastApproved(p.state));
        }
        if (page->size() < static_cast<size_t>(kPlanPageSize)) break;
        q.after_id = page->back().id;
      }
      if (!found) {
        c.Reason("momentum_plan_not_approved",
                 "an event_promotion initiative needs an approved momentum plan for ISO event " +
                     event_id);
        ok = false;
      }
    }
    return ok;
  }
};

// ---- actions ----
struct ApplyRevision {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    auto problems = IsoEventProblems(c.request->env, c.request->data, "data.iso_event_id",
                                     c.request->actor, c.request->instance.rso_id);
    if (!problems.ok()) return c.Fail(problems.status());
    if (!problems->empty()) return c.Fail(Status::GuardFailed(*problems));
    for (const auto& [key, value] : c.request->data.AsObject()) c.data.Set(key, value);
    if (const Json* title = c.request->data.Get("title"); title != nullptr && title->is_string()) {
      c.effects.new_title = title->AsString();
    }
  }
};

struct RecordProgress {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    const Json& p = c.request->data;
    Json entry = Json::MakeObject();
    entry.Set("at", FormatTime(c.request->now));
    entry.Set("by", c.request->actor.username);
    entry.Set("note", p.GetString("note"));
    if (const Json* pc = p.Get("percent_complete"); pc != nullptr && !pc->is_null()) {
      entry.Set("percent_complete", *pc);
      c.data.Set("percent_complete", *pc);
    }
    Json progress = c.data.Has("progress") ? *c.data.Get("progress") : Json::MakeArray();
    progress.Push(std::move(entry));
    c.data.Set("progress", std::move(progress));
  }
};

struct RecordOutcome {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    c.data.Set("outcome_summary", c.request->data.GetString("outcome_summary"));
    c.data.Set("completed_at", FormatTime(c.request->now));
  }
};

// ---- the machine ----
using InitiativeStates = msm_glue::States<Proposed, UnderReview, Approved, Active, OnHold,
                                          Completed, Declined, Cancelled>;
using NotEnded = msm_glue::States<Proposed, UnderReview, Approved, Active, OnHold>;

struct InitiativeFront : msm_glue::Front<InitiativeFront, InitiativeStates> {
  // clang-format off
  struct transition_table : msm_glue::Table<
      //  Start        Event                    Next         Action          Guard
      Row<Proposed,    events::Revise,          none,        ApplyRevision,  none>,
      Row<Proposed,    events::StartReview,     UnderReview, NoAction,       none>,
      Row<UnderReview, events::RequestChanges,  Proposed,    NoAction,       CommentGiven>,
      Row<UnderReview, events::Approve,         Approved,    NoAction,       RsoRecognized>,
      Row<UnderReview, events::Decline,         Declined,    NoAction,       CommentGiven>,
      Row<Approved,    events::Start,           Active,      NoAction,       RsoRecognized>,
      Row<Active,      events::ReportProgress,  none,        RecordProgress, ProgressNoted>,
      Row<Active,      events::Pause,           OnHold,      NoAction,       CommentGiven>,
      Row<Active,      events::RsoSuspended,    OnHold,      NoAction,       none>,
      Row<OnHold,      events::Resume,          Active,      NoAction,       RsoRecognized>,
      Row<Active,      events::Complete,        Completed,   RecordOutcome,  CompletionRule>,
      FromEach<NotEnded, events::Cancel,        Cancelled,   NoAction,       CommentGiven>
  > {};
  // clang-format on
};

}  // namespace

MachineDefinition Machine() {
  MetaSpec spec;
  spec.name = kWorkflowName;
  spec.title = "Partnership initiative";
  spec.create_roles = {"secretariat", "rso_liaison"};
  spec.create.path = "/api/v1/initiatives";
  spec.create.rso_id_in_body = true;
  spec.create.fields = InitiativeFields();
  spec.create.operation_id = "proposeInitiative";
  spec.create.summary =
      "Propose a partnership initiative (secretariat, own liaison); the RSO must be recognized";
  spec.create.created = "Proposed";
  spec.standing_events = {events::Revise::name, events::Pause::name, events::Cancel::name};
  const std::vector<std::string> s = {"secretariat"}, sl = {"secretariat", "rso_liaison"},
                                 sys = {"system"};
  spec.roles_by_event = {{events::Revise::name, sl},         {events::StartReview::name, s},
                         {events::RequestChanges::name, s},  {events::Approve::name, s},
                         {events::Decline::name, s},         {events::Start::name, sl},
                         {events::ReportProgress::name, sl}, {events::Pause::name, sl},
                         {events::RsoSuspended::name, sys},  {events::Resume::name, sl},
                         {events::Complete::name, sl},       {events::Cancel::name, s}};
  AddLabels(&spec);
  return msm_glue::Define<InitiativeFront>(std::move(spec));
}

}  // namespace rsoflow::partnership_initiative
