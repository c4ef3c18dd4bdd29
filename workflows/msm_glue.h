// The machine glue: everything a workflow's Boost.MSM functor front-end needs besides its own
// states, guards, actions and transition table. A front-end derives from msm_glue::Front
// (which gives it the context pointer, the initial state and the no_transition /
// exception_caught overrides), lists its states once, and writes its table with msm_glue::Table
// (FromEach: one event from several states in one row). msm_glue::Define then reads the
// metadata off the table and makes the run function MachineWorkflow's Fire calls.
//
// This header is the one shared MSM header (STYLE: MSM only in workflows/*/machine.cpp and the
// glue under workflows/ they include); include it only from a machine.cpp, each machine in its
// own translation unit (DESIGN 3.1). States, events and guards carry
// `static constexpr const char* name`; states also `static constexpr bool terminal`.
#pragma once

#include <boost/mpl/for_each.hpp>
#include <boost/mpl/vector.hpp>
#include <boost/msm/back/metafunctions.hpp>
#include <boost/msm/back/state_machine.hpp>
#include <boost/msm/front/functor_row.hpp>
#include <boost/msm/front/state_machine_def.hpp>
#include <exception>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "engine/workflow.h"
#include "workflows/machine_context.h"
#include "workflows/machine_workflow.h"
#include "workflows/meta_builder.h"

// Declares a state of a machine: its stable name (what is stored and audited) and whether it
// is terminal.
#define RSOFLOW_MSM_STATE(Type, text, is_terminal) \
  struct Type : boost::msm::front::state<> {       \
    static constexpr const char* name = text;      \
    static constexpr bool terminal = is_terminal;  \
  }

namespace rsoflow::msm_glue {

using boost::msm::front::none;
using boost::msm::front::Row;

template <class... T>
struct TypeList {};

// The states of a machine, each once, in the order the metadata lists them; the first is the
// initial state.
template <class First, class... Rest>
struct States {
  using initial = First;
  using list = TypeList<First, Rest...>;
};

// The rows (Source, Event, Target, Action, Guard) for each Source of `Sources` (a States<> or
// TypeList<>): "cancel from every open state" written once, expanded in the listed order.
template <class Sources, class Event, class Target, class Action, class Guard>
struct FromEach {};

namespace detail {

template <class Entry>
struct RowsOf {
  using type = TypeList<Entry>;
};
template <class... S, class E, class T, class A, class G>
struct RowsOf<FromEach<TypeList<S...>, E, T, A, G>> {
  using type = TypeList<Row<S, E, T, A, G>...>;
};
template <class... S, class E, class T, class A, class G>
struct RowsOf<FromEach<States<S...>, E, T, A, G>> {
  using type = TypeList<Row<S, E, T, A, G>...>;
};

template <class... Lists>
struct Concat;
template <>
struct Concat<> {
  using type = TypeList<>;
};
template <class... A>
struct Concat<TypeList<A...>> {
  using type = TypeList<A...>;
};
template <class... A, class... B, class... Rest>
struct Concat<TypeList<A...>, TypeList<B...>, Rest...> {
  using type = typename Concat<TypeList<A..., B...>, Rest...>::type;
};

template <class List>
struct ToVector;
template <class... R>
struct ToVector<TypeList<R...>> {
  using type = boost::mpl::vector<R...>;
};

}  // namespace detail

// A transition table: Rows and FromEach entries, flattened in order into the mpl::vector MSM
// reads (`struct transition_table : msm_glue::Table<...> {};`).
template <class... Entries>
using Table = typename detail::ToVector<
    typename detail::Concat<typename detail::RowsOf<Entries>::type...>::type>::type;

// The base of every workflow's front-end. `Ctx` is what guards and actions reach as `*m.ctx`
// (MachineContext, or a workflow's own type derived from it).
template <class Derived, class StateList, class Ctx = MachineContext>
struct Front : boost::msm::front::state_machine_def<Derived> {
  using initial_state = typename StateList::initial;
  using state_list = typename StateList::list;
  using Context = Ctx;
  using no_exception_thrown = int;
  using no_message_queue = int;

  Context* ctx = nullptr;

  // Fills the context before the event runs; a front-end hides it to parse what its guards
  // read (the ballot) or to take the engine's copy of the data instead of copying it.
  static void Prepare(Context& c, const FireRequest& req, const Workflow& workflow) {
    (void)workflow;
    c.data = req.instance.data;
  }

  // The engine checks that a row exists before firing; these only keep MSM from asserting.
  template <class M, class E>
  void no_transition(const E&, M&, int) {}
  template <class M, class E>
  void exception_caught(const E&, M&, std::exception&) {}
};

template <class Machine, class State>
constexpr int StateId() {
  return boost::msm::back::get_state_id<typename Machine::stt, State>::value;
}

// MSM 1.74 has no state setter: write the id through the array current_state() points to
// (the machine's own array), and never call start(), so no entry action re-runs.
template <class Machine, class... S>
bool RestoreState(Machine& machine, const std::string& name, TypeList<S...>) {
  int id = -1;
  ((name == S::name ? (id = StateId<Machine, S>(), true) : false) || ...);
  if (id < 0) return false;
  const_cast<int*>(machine.current_state())[0] = id;
  return true;
}

template <class Machine, class... S>
std::string CurrentStateName(const Machine& machine, TypeList<S...>) {
  const int id = machine.current_state()[0];
  std::string name;
  ((id == StateId<Machine, S>() ? (name = S::name, true) : false) || ...);
  return name;
}

template <class... S>
std::vector<StateInfo> StateInfos(TypeList<S...>) {
  return {StateInfo{S::name, S::terminal}...};
}

template <class T>
const char* NameOf() {
  if constexpr (std::is_same_v<T, none>) {
    return "";
  } else {
    return T::name;
  }
}

struct RowCollector {
  std::vector<TransitionInfo>* rows;
  template <class R>
  void operator()(boost::msm::wrap<R>) const {
    using Target = typename R::Target;
    TransitionInfo t;
    t.from = R::Source::name;
    t.event = R::Evt::name;
    t.to = std::is_same_v<Target, none> ? R::Source::name : NameOf<Target>();
    t.guard = NameOf<typename R::Guard>();
    rows->push_back(std::move(t));
  }
};

// One TransitionInfo (roles left empty) per row, in table order; an internal row (target
// `none`) goes back to its source.
template <class F>
std::vector<TransitionInfo> TableRows() {
  std::vector<TransitionInfo> rows;
  boost::mpl::for_each<typename F::transition_table, boost::msm::wrap<boost::mpl::_1>>(
      RowCollector{&rows});
  return rows;
}

// Processes the event of the table whose name is `name`; HANDLED_FALSE for any other name.
template <class Machine>
struct EventDispatcher {
  Machine* machine;
  const std::string* name;
  boost::msm::back::HandledEnum* handled;
  bool* done;
  template <class E>
  void operator()(boost::msm::wrap<E>) const {
    if (!*done && *name == E::name) {
      *done = true;
      *handled = machine->process_event(E());
    }
  }
};

template <class Machine>
boost::msm::back::HandledEnum Dispatch(Machine& machine, const std::string& name) {
  using Events = typename boost::msm::back::generate_event_set<typename Machine::stt>::type;
  boost::msm::back::HandledEnum handled = boost::msm::back::HANDLED_FALSE;
  bool done = false;
  boost::mpl::for_each<Events, boost::msm::wrap<boost::mpl::_1>>(
      EventDispatcher<Machine>{&machine, &name, &handled, &done});
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

// Runs one event through a fresh machine restored to the instance's state: the whole of a
// workflow's Fire once its payload has been checked.
template <class F>
Result<FireOutcome> Run(const FireRequest& req, const Workflow& workflow) {
  using Machine = boost::msm::back::state_machine<F>;
  typename F::Context ctx;
  ctx.request = &req;
  F::Prepare(ctx, req, workflow);
  Machine machine;
  machine.ctx = &ctx;
  if (!RestoreState(machine, req.instance.state, typename F::state_list())) {
    return Status::Undecidable("stored state '" + req.instance.state + "' is unknown");
  }
  const auto handled = Dispatch(machine, req.event);
  return Conclude(handled, ctx, CurrentStateName(machine, typename F::state_list()),
                  workflow.Meta());
}

// The machine of front-end F as a MachineWorkflow takes it: the metadata (the states from F's
// list, the rows from its table, the rest from `spec`) and the run function.
template <class F>
MachineDefinition Define(MetaSpec spec) {
  spec.initial_state = F::initial_state::name;
  spec.states = StateInfos(typename F::state_list());
  return MachineDefinition{BuildWorkflowMeta(spec, TableRows<F>()), &Run<F>};
}

// True when the event carries a comment; otherwise records the reason (for guards that check
// a comment among other conditions).
inline bool CommentOrReason(MachineContext& c) {
  if (!c.request->comment.empty()) return true;
  c.Reason("comment_required", "a comment is required");
  return false;
}

// Guard: the event carries a comment ("comment required" in DESIGN 4).
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
