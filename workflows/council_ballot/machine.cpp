// The council_ballot state machine (DESIGN 4.2) on Boost.MSM's functor front-end. This is the
// only translation unit that includes MSM for this workflow.
#include "workflows/msm_glue.h"
// (msm_glue.h first: it brings in MSM with the project-wide compile definitions.)
#include <set>

#include "engine/clock.h"
#include "workflows/council_ballot/events.h"
#include "workflows/council_ballot/rules.h"
#include "workflows/council_ballot/workflow.h"
#include "workflows/meta_builder.h"

namespace rsoflow::council_ballot {
namespace {

namespace msmf = boost::msm::front;
using msmf::none;
using msmf::Row;

// The shared context plus the ballot's parsed decision data.
struct Context : MachineContext {
  Ballot ballot;
  const Floors* floors = nullptr;
};

// ---- states ----
struct Open : msmf::state<> {
  static constexpr const char* name = "open";
  static constexpr bool terminal = false;
};
struct Approved : msmf::state<> {
  static constexpr const char* name = "approved";
  static constexpr bool terminal = true;
};
struct Rejected : msmf::state<> {
  static constexpr const char* name = "rejected";
  static constexpr bool terminal = true;
};
struct NoQuorum : msmf::state<> {
  static constexpr const char* name = "no_quorum";
  static constexpr bool terminal = true;
};
struct Cancelled : msmf::state<> {
  static constexpr const char* name = "cancelled";
  static constexpr bool terminal = true;
};

// ---- guards ----
struct EligibleToVote {
  static constexpr const char* name = "eligible_to_vote";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    Status s = CheckVote(c.ballot, c.request->actor.user_id, c.request->now);
    if (!s.ok()) c.Refuse(std::move(s));
    return s.ok();
  }
};

struct MayRecuse {
  static constexpr const char* name = "may_recuse";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    Status s = CheckRecuse(c.ballot, c.request->actor.user_id);
    if (!s.ok()) c.Refuse(std::move(s));
    return s.ok();
  }
};

struct LaterDeadlineWithComment {
  static constexpr const char* name = "later_deadline && comment";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    bool ok = msm_glue::CommentOrReason(c);
    const auto when = ParseTime(c.request->data.GetString("deadline"));
    if (!when || *when <= c.ballot.deadline) {
      c.Reason("deadline_not_later", "the new deadline must be later than the current one");
      ok = false;
    } else {
      // An extension may not leave a voting period under the floor either (a ballot opened
      // before the floors existed keeps its deadline until it is extended).
      const int64_t opened =
          ParseTime(c.data.GetString("opened_at")).value_or(c.request->instance.created_at);
      Status period = CheckVotingPeriod(opened, *when, *c.floors);
      if (!period.ok()) {
        for (size_t i = 0; i < period.reasons().size(); ++i) {
          c.Reason(period.reason_codes()[i].c_str(), period.reasons()[i]);
        }
        ok = false;
      }
    }
    return ok;
  }
};

bool ClosableOrReason(Context& c) {
  if (Closable(c.ballot, c.request->now)) return true;
  c.Reason("ballot_still_open",
           "the deadline has not passed and not every eligible member has voted");
  return false;
}

struct ClosesApproved {
  static constexpr const char* name = "closable && quorum_met && threshold_met";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    return ClosableOrReason(c) && QuorumMet(c.ballot) && ThresholdMet(c.ballot);
  }
};
struct ClosesRejected {
  static constexpr const char* name = "closable && quorum_met && !threshold_met";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    return ClosableOrReason(c) && QuorumMet(c.ballot) && !ThresholdMet(c.ballot);
  }
};
struct ClosesNoQuorum {
  static constexpr const char* name = "closable && !quorum_met";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    return ClosableOrReason(c) && !QuorumMet(c.ballot);
  }
};

// A ballot that decides a subject (an RSO's recognition, waiting in council_review or
// withdrawal_review for the outcome) is cancelled only by the engine, with its subject (the
// recognition's withdraw): cancelled alone, it would leave the subject waiting for a decision
// that never comes, with no row out of that state for anyone.
struct CommentAndNoWaitingSubject {
  static constexpr const char* name = "comment && (!subject || system)";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    bool ok = msm_glue::CommentOrReason(c);
    const int64_t subject = c.request->instance.subject_id;
    if (subject != 0 && c.request->actor.role != "system") {
      c.Reason("ballot_decides_waiting_subject",
               "this ballot decides instance " + std::to_string(subject) +
                   ", which waits for its outcome: it closes at its deadline, or is cancelled by "
                   "withdrawing that instance");
      ok = false;
    }
    return ok;
  }
};

// ---- actions ----
// When every eligible member has voted, the engine closes the ballot in the same transaction.
void CloseWhenComplete(Context& c) {
  if (AllEligibleVoted(c.ballot)) {
    FollowUp f;
    f.instance_id = c.request->instance.id;
    f.event = events::Close::name;
    f.comment = "every eligible member has voted";
    c.effects.follow_ups.push_back(std::move(f));
  }
}

struct RecordVote {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    const std::string& user = c.request->actor.user_id;
    const std::string choice = c.request->data.GetString("choice");
    Json vote = Json::MakeObject();
    vote.Set("choice", choice);
    vote.Set("at", FormatTime(c.request->now));
    Json& votes = c.data.AsObject()["votes"];
    if (!votes.is_object()) votes = Json::MakeObject();
    votes.AsObject()[user] = std::move(vote);
    c.ballot.votes[user] = choice;
    CloseWhenComplete(c);
  }
};

struct RecordRecusal {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    Json& recused = c.data.AsObject()["recused"];
    if (!recused.is_array()) recused = Json::MakeArray();
    recused.Push(c.request->actor.user_id);
    c.ballot.recused.push_back(c.request->actor.user_id);
    CloseWhenComplete(c);
  }
};

struct MoveDeadline {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    const int64_t when = ParseTime(c.request->data.GetString("deadline")).value_or(0);
    c.data.Set("deadline", FormatTime(when));
    c.effects.set_timers.push_back(TimerSpec{"deadline", when, events::Close::name});
  }
};

struct RecordOutcome {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T& target) const {
    Context& c = *m.ctx;
    const int year = YearOf(c.request->now);
    auto number = c.request->env.NextCounter(ResolutionCounter(year));
    if (!number.ok()) {
      c.Fail(number.status());
      return;
    }
    const std::string outcome = T::name;
    const std::string resolution = FormatResolution(*number, year);
    c.data.Set("outcome", outcome);
    c.data.Set("resolution", resolution);
    c.data.Set("closed_at", FormatTime(c.request->now));
    (void)target;
    // The decision drives its subject (e.g. an RSO recognition) in the same transaction.
    if (c.request->instance.subject_id != 0) {
      FollowUp f;
      f.instance_id = c.request->instance.subject_id;
      f.event = "council_" + outcome;
      f.data.Set("ballot_id", std::to_string(c.request->instance.id));
      f.data.Set("outcome", outcome);
      f.data.Set("resolution", resolution);
      f.data.Set("basis", c.data.Get("basis") ? *c.data.Get("basis") : Json());
      f.comment = "Council ballot closed " + outcome + ", resolution " + resolution;
      c.effects.follow_ups.push_back(std::move(f));
    }
  }
};

struct RecordCancellation {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    c.data.Set("cancelled_at", FormatTime(c.request->now));
  }
};

// ---- the machine ----
struct BallotFront : msmf::state_machine_def<BallotFront> {
  using initial_state = Open;
  using no_exception_thrown = int;
  using no_message_queue = int;

  Context* ctx = nullptr;

  // clang-format off
  struct transition_table : boost::mpl::vector<
      //  Start  Event            Next       Action              Guard
      Row<Open,  events::Vote,    none,      RecordVote,         EligibleToVote>,
      Row<Open,  events::Recuse,  none,      RecordRecusal,      MayRecuse>,
      Row<Open,  events::Extend,  none,      MoveDeadline,       LaterDeadlineWithComment>,
      Row<Open,  events::Close,   Approved,  RecordOutcome,      ClosesApproved>,
      Row<Open,  events::Close,   Rejected,  RecordOutcome,      ClosesRejected>,
      Row<Open,  events::Close,   NoQuorum,  RecordOutcome,      ClosesNoQuorum>,
      Row<Open,  events::Cancel,  Cancelled, RecordCancellation, CommentAndNoWaitingSubject>
  > {};
  // clang-format on

  // The engine checks that a row exists before firing; these only keep MSM from asserting.
  template <class M, class E>
  void no_transition(const E&, M&, int) {}
  template <class M, class E>
  void exception_caught(const E&, M&, std::exception&) {}
};

using BallotMachine = boost::msm::back::state_machine<BallotFront>;

bool Restore(BallotMachine& m, const std::string& state) {
  return msm_glue::RestoreState<BallotMachine, Open, Approved, Rejected, NoQuorum, Cancelled>(
      m, state);
}

std::string StateName(const BallotMachine& m) {
  return msm_glue::CurrentStateName<BallotMachine, Open, Approved, Rejected, NoQuorum, Cancelled>(
      m);
}

// Payload shape per event; values are checked by guards.
Status ValidatePayload(const std::string& event, const Json& data) {
  std::set<std::string> allowed;
  if (event == events::Vote::name) allowed = {"choice"};
  if (event == events::Extend::name) allowed = {"deadline"};
  RSOFLOW_RETURN_IF_ERROR(CheckPayloadFields(data, allowed));
  if (event == events::Vote::name) {
    const Json* choice = data.Get("choice");
    if (choice == nullptr || !choice->is_string() ||
        (choice->AsString() != "approve" && choice->AsString() != "reject" &&
         choice->AsString() != "abstain")) {
      return Status::InvalidRequest("choice must be approve, reject or abstain", {"data.choice"});
    }
  }
  if (event == events::Extend::name) {
    const Json* d = data.Get("deadline");
    if (d == nullptr || !d->is_string() || !ParseTime(d->AsString())) {
      return Status::InvalidRequest("deadline must be an RFC 3339 time", {"data.deadline"});
    }
  }
  return Status::Ok();
}

}  // namespace

WorkflowMeta BuildMeta() {
  MetaSpec spec;
  spec.name = kWorkflowName;
  spec.title = "Council ballot";
  spec.initial_state = Open::name;
  spec.create_roles = {"secretariat", "system"};
  // The deadline timer closes the ballot; the secretariat need not act on an open ballot.
  spec.standing_events = {events::Extend::name, events::Close::name, events::Cancel::name,
                          events::Recuse::name};
  spec.states = {{Open::name, Open::terminal},
                 {Approved::name, Approved::terminal},
                 {Rejected::name, Rejected::terminal},
                 {NoQuorum::name, NoQuorum::terminal},
                 {Cancelled::name, Cancelled::terminal}};
  spec.roles_by_event = {{events::Vote::name, {"council"}},
                         {events::Recuse::name, {"council"}},
                         {events::Extend::name, {"secretariat"}},
                         {events::Close::name, {"secretariat", "system"}},
                         {events::Cancel::name, {"secretariat", "system"}}};
  AddLabels(&spec);
  return BuildWorkflowMeta(spec, msm_glue::TableRows<BallotFront>());
}

Result<FireOutcome> CouncilBallotWorkflow::Fire(const FireRequest& req) const {
  RSOFLOW_RETURN_IF_ERROR(ValidatePayload(req.event, req.data));
  Context ctx;
  ctx.request = &req;
  ctx.floors = &floors_;
  ctx.ballot = ParseBallot(req.instance.data);
  // Nothing below reads req.instance.data again (guards read ctx.ballot), so the engine's copy
  // is taken rather than copied: a vote is the hottest command there is.
  if (req.instance_data_to_take != nullptr) {
    ctx.data = std::move(*req.instance_data_to_take);
  } else {
    ctx.data = req.instance.data;
  }

  BallotMachine machine;
  machine.ctx = &ctx;
  if (!Restore(machine, req.instance.state)) {
    return Status::Undecidable("stored state '" + req.instance.state + "' is unknown");
  }
  const auto handled =
      msm_glue::Dispatch<BallotMachine, events::Vote, events::Recuse, events::Extend, events::Close,
                         events::Cancel>(machine, req.event);
  return msm_glue::Conclude(handled, ctx, StateName(machine), Meta());
}

}  // namespace rsoflow::council_ballot
