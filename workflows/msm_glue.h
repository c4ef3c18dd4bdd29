// MSM glue shared by the workflow machines: restoring a persisted state by name, reading the
// current state's name, and reading the transition table as data.
//
// This header is the MSM seam: include it only from workflows/*/machine.cpp (each machine in
// its own translation unit, DESIGN 3.1). States, events and guards carry
// `static constexpr const char* name`; states also `static constexpr bool terminal`.
#pragma once

#include <boost/mpl/for_each.hpp>
#include <boost/msm/back/metafunctions.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/workflow.h"
#include "workflows/machine_context.h"

// Declares a state of a machine: its stable name (what is stored and audited) and whether it
// is terminal.
#define RSOFLOW_MSM_STATE(Type, text, is_terminal) \
  struct Type : boost::msm::front::state<> {       \
    static constexpr const char* name = text;      \
    static constexpr bool terminal = is_terminal;  \
  }

namespace rsoflow::msm_glue {

template <class... T>
struct TypeList {};

template <class Machine, class State>
constexpr int StateId() {
  return boost::msm::back::get_state_id<typename Machine::stt, State>::value;
}

// MSM 1.74 has no state setter: write the id through the array current_state() points to
// (the machine's own array), and never call start(), so no entry action re-runs.
template <class Machine, class... States>
bool RestoreState(Machine& machine, const std::string& name) {
  int id = -1;
  ((name == States::name ? (id = StateId<Machine, States>(), true) : false) || ...);
  if (id < 0) return false;
  const_cast<int*>(machine.current_state())[0] = id;
  return true;
}

template <class Machine, class... States>
std::string CurrentStateName(const Machine& machine) {
  const int id = machine.current_state()[0];
  std::string name;
  ((id == StateId<Machine, States>() ? (name = States::name, true) : false) || ...);
  return name;
}

template <class T>
const char* NameOf() {
  if constexpr (std::is_same_v<T, boost::msm::front::none>) {
    return "";
  } else {
    return T::name;
  }
}

struct RowCollector {
  std::vector<TransitionInfo>* rows;
  template <class Row>
  void operator()(boost::msm::wrap<Row>) const {
    using Target = typename Row::Target;
    TransitionInfo t;
    t.from = Row::Source::name;
    t.event = Row::Evt::name;
    t.to = std::is_same_v<Target, boost::msm::front::none> ? Row::Source::name : NameOf<Target>();
    t.guard = NameOf<typename Row::Guard>();
    rows->push_back(std::move(t));
  }
};

// One TransitionInfo (roles left empty) per row, in table order; an internal row (target
// `none`) goes back to its source.
template <class Front>
std::vector<TransitionInfo> TableRows() {
  std::vector<TransitionInfo> rows;
  boost::mpl::for_each<typename Front::transition_table, boost::msm::wrap<boost::mpl::_1>>(
      RowCollector{&rows});
  return rows;
}

// Processes the event whose name is `name` (one of Events); HANDLED_FALSE for an unknown name.
template <class Machine, class... Events>
boost::msm::back::HandledEnum Dispatch(Machine& machine, const std::string& name) {
  boost::msm::back::HandledEnum handled = boost::msm::back::HANDLED_FALSE;
  ((name == Events::name ? (handled = machine.process_event(Events()), true) : false) || ...);
  return handled;
}

// Turns MSM's verdict and the context into the workflow's answer.
inline Result<FireOutcome> Conclude(boost::msm::back::HandledEnum handled, MachineContext& ctx,
                                    const std::string& to_state, const WorkflowMeta& meta) {
  const Instance& inst = ctx.request->instance;
  // A storage failure decides nothing, even when a guard that met it then said no: 503,
  // never a refusal the caller would take for the rules' answer.
  if (!ctx.failure.ok()) return ctx.failure;
  if (handled == boost::msm::back::HANDLED_GUARD_REJECT) {
    if (!ctx.refusal.ok()) return ctx.refusal;
    return Status::GuardFailed(ctx.reasons);
  }
  if (handled != boost::msm::back::HANDLED_TRUE) {
    return Status::InvalidTransition("event not allowed in state " + inst.state, inst.state,
                                     meta.AllEventsFrom(inst.state));
  }
  FireOutcome out;
  out.to_state = to_state;
  out.data = std::move(ctx.data);
  out.effects = std::move(ctx.effects);
  return out;
}

// Runs one event through a fresh machine (whose `ctx` is a MachineContext*) restored to the
// instance's state: the whole of a workflow's Fire once its payload has been validated.
template <class Machine, class... States, class... Events>
Result<FireOutcome> RunMachine(TypeList<States...>, TypeList<Events...>, const FireRequest& req,
                               const WorkflowMeta& meta) {
  MachineContext ctx;
  ctx.request = &req;
  ctx.data = req.instance.data;
  Machine machine;
  machine.ctx = &ctx;
  if (!RestoreState<Machine, States...>(machine, req.instance.state)) {
    return Status::Undecidable("stored state '" + req.instance.state + "' is unknown");
  }
  const auto handled = Dispatch<Machine, Events...>(machine, req.event);
  return Conclude(handled, ctx, CurrentStateName<Machine, States...>(machine), meta);
}

// Guard: the event carries a comment ("comment required" in DESIGN 4).
// True when the event carries a comment; otherwise records the reason (for guards that check
// a comment among other conditions).
inline bool CommentOrReason(MachineContext& c) {
  if (!c.request->comment.empty()) return true;
  c.Reason("comment_required", "a comment is required");
  return false;
}

struct CommentGiven {
  static constexpr const char* name = "comment";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    return CommentOrReason(*m.ctx);
  }
};

// Action that does nothing (rows whose only effect is the state change).
struct NoAction {
  template <class E, class M, class S, class T>
  void operator()(const E&, M&, S&, T&) const {}
};

}  // namespace rsoflow::msm_glue
