// The tally state machine on Boost.MSM's functor front-end, through the machine glue.
#include "workflows/msm_glue.h"
// (msm_glue.h first: it brings in MSM with the project-wide compile definitions.)
#include "tests/workflows/tally/events.h"
#include "tests/workflows/tally/workflow.h"

namespace rsoflow::tally {
namespace {

using msm_glue::CommentGiven;
using msm_glue::FromEach;
using msm_glue::NoAction;
using msm_glue::none;
using msm_glue::Row;

RSOFLOW_MSM_STATE(Open, "open", false);
RSOFLOW_MSM_STATE(Paused, "paused", false);
RSOFLOW_MSM_STATE(Closed, "closed", true);
RSOFLOW_MSM_STATE(Cancelled, "cancelled", true);

struct AddAmount {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    MachineContext& c = *m.ctx;
    c.data.Set("total", c.data.GetInt("total") + c.request->data.GetInt("amount"));
  }
};

// A tally closes once something was counted.
struct NotEmpty {
  static constexpr const char* name = "not_empty";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    MachineContext& c = *m.ctx;
    if (c.data.GetInt("total") > 0) return true;
    c.Reason("tally_empty", "nothing was counted");
    return false;
  }
};

using TallyStates = msm_glue::States<Open, Paused, Closed, Cancelled>;
using NotEnded = msm_glue::States<Open, Paused>;

struct TallyFront : msm_glue::Front<TallyFront, TallyStates> {
  // clang-format off
  struct transition_table : msm_glue::Table<
      //  Start     Event           Next       Action     Guard
      Row<Open,     events::Add,    none,      AddAmount, none>,
      Row<Open,     events::Pause,  Paused,    NoAction,  none>,
      Row<Paused,   events::Resume, Open,      NoAction,  none>,
      Row<Open,     events::Close,  Closed,    NoAction,  NotEmpty>,
      FromEach<NotEnded, events::Cancel, Cancelled, NoAction, CommentGiven>
  > {};
  // clang-format on
};

}  // namespace

MachineDefinition Machine() {
  MetaSpec spec;
  spec.name = kWorkflowName;
  spec.title = "Tally (tests)";
  spec.create_roles = {"secretariat", "system"};
  spec.create.path = "/api/v1/tallies";
  spec.create.fields = CreationFields();  // the list Create checks: one list, also the document
  spec.create.created = "Counting";
  spec.roles_by_event = {{events::Add::name, {"secretariat", "rso_liaison"}},
                         {events::Pause::name, {"secretariat"}},
                         {events::Resume::name, {"secretariat"}},
                         {events::Close::name, {"secretariat"}},
                         {events::Cancel::name, {"secretariat"}}};
  spec.reason_labels = {{"tally_empty", {"Nothing counted", "Ничего не подсчитано"}}};
  return msm_glue::Define<TallyFront>(std::move(spec));
}

}  // namespace rsoflow::tally
