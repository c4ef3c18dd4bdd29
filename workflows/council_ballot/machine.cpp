// The council_ballot state machine (DESIGN 4.2) on Boost.MSM's functor front-end. This is the
// only translation unit that includes MSM for this workflow (through the glue).
#include "workflows/msm_glue.h"
// (msm_glue.h first: it brings in MSM with the project-wide compile definitions.)
#include "engine/clock.h"
#include "workflows/council_ballot/events.h"
#include "workflows/council_ballot/rules.h"
#include "workflows/council_ballot/workflow.h"

namespace rsoflow::council_ballot {
namespace {

using msm_glue::none;
using msm_glue::Row;

// The shared context plus the ballot's parsed decision data.
struct Context : MachineContext {
  Ballot ballot;
  const Floors* floors = nullptr;
};

// ---- states ----
RSOFLOW_MSM_STATE(Open, "open", false);
RSOFLOW_MSM_STATE(Approved, "approved", true);
RSOFLOW_MSM_STATE(Rejected, "rejected", true);
RSOFLOW_MSM_STATE(NoQuorum, "no_quorum", true);
RSOFLOW_MSM_STATE(Cancelled, "cancelled", true);

// ---- guards ----
// The delegate's own exclusions and recusals, when the member votes or recuses under a mandate.
Status CheckDelegateOf(const Context& c) {
  if (c.request->delegate == nullptr) return Status::Ok();
  const Json* exclude = c.data.Get("exclude_affiliated");
  const bool exclude_affiliated = exclude == nullptr || !exclude->is_bool() || exclude->AsBool();
  return CheckDelegate(c.ballot, *c.request->delegate, c.request->instance.rso_id,
                       exclude_affiliated);
}

struct EligibleToVote {
  static constexpr const char* name = "eligible_to_vote";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    Status s = CheckVote(c.ballot, c.request->actor.user_id, c.request->now);
    if (s.ok()) s = CheckDelegateOf(c);
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
    if (s.ok()) s = CheckDelegateOf(c);
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

// The decision drives its subject (e.g. an RSO recognition) in the same transaction:
// council_approved, council_rejected or council_no_quorum, with the resolution when there is one.
void DecideSubject(Context& c, const std::string& outcome, const std::string& resolution) {
  if (c.request->instance.subject_id == 0) return;
  FollowUp f;
  f.instance_id = c.request->instance.subject_id;
  f.event = "council_" + outcome;
  f.data.Set("ballot_id", std::to_string(c.request->instance.id));
  f.data.Set("outcome", outcome);
  if (!resolution.empty()) f.data.Set("resolution", resolution);
  f.data.Set("basis", c.data.Get("basis") ? *c.data.Get("basis") : Json());
  f.comment = resolution.empty()
                  ? "Council ballot closed " + outcome
                  : "Council ballot closed " + outcome + ", resolution " + resolution;
  c.effects.follow_ups.push_back(std::move(f));
}

// approved / rejected: a resolution. The ballot takes the next free number of its year in the
// register (after the highest recorded so far, session and imported numbers included) and
// records itself there, in the same transaction (DESIGN 8).
struct RecordResolution {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    const int year = YearOf(c.request->now);
    auto number = c.request->env.NextResolutionNumber(year);
    if (!number.ok()) return c.Fail(number.status());
    const std::string outcome = T::name;
    Resolution r;
    r.ordinal = *number;
    r.year = year;
    r.number = FormatResolution(*number, year);
    r.decided_on = FormatDate(c.request->now / kMsPerDay);
    r.title = c.data.GetString("title");
    r.outcome = outcome;
    r.source = "ballot";
    r.ballot_id = c.request->instance.id;
    r.subject_instance_id = c.request->instance.subject_id;
    r.rso_id = c.request->instance.rso_id;
    r.recorded_at = c.request->now;
    r.recorded_by = c.request->actor.user_id;
    Status recorded = c.request->env.RecordResolution(r);
    if (!recorded.ok()) return c.Fail(std::move(recorded));
    c.data.Set("outcome", outcome);
    c.data.Set("resolution", r.number);
    c.data.Set("closed_at", FormatTime(c.request->now));
    DecideSubject(c, outcome, r.number);
  }
};

// no_quorum: no decision, so no resolution and no number (a ballot without quorum is no
// resolution at all).
struct RecordNoQuorum {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    const std::string outcome = T::name;
    c.data.Set("outcome", outcome);
    c.data.Set("closed_at", FormatTime(c.request->now));
    DecideSubject(c, outcome, "");
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
struct BallotFront
    : msm_glue::Front<BallotFront, msm_glue::States<Open, Approved, Rejected, NoQuorum, Cancelled>,
                      Context> {
  // clang-format off
  struct transition_table : msm_glue::Table<
      //  Start  Event            Next       Action              Guard
      Row<Open,  events::Vote,    none,      RecordVote,         EligibleToVote>,
      Row<Open,  events::Recuse,  none,      RecordRecusal,      MayRecuse>,
      Row<Open,  events::Extend,  none,      MoveDeadline,       LaterDeadlineWithComment>,
      Row<Open,  events::Close,   Approved,  RecordResolution,   ClosesApproved>,
      Row<Open,  events::Close,   Rejected,  RecordResolution,   ClosesRejected>,
      Row<Open,  events::Close,   NoQuorum,  RecordNoQuorum,     ClosesNoQuorum>,
      Row<Open,  events::Cancel,  Cancelled, RecordCancellation, CommentAndNoWaitingSubject>
  > {};
  // clang-format on

  // Guards read the parsed ballot, and nothing reads req.instance.data again, so the engine's
  // copy is taken rather than copied: a vote is the hottest command there is.
  static void Prepare(Context& c, const FireRequest& req, const Workflow& workflow) {
    c.floors = &static_cast<const CouncilBallotWorkflow&>(workflow).floors();
    c.ballot = ParseBallot(req.instance.data);
    if (req.instance_data_to_take != nullptr) {
      c.data = std::move(*req.instance_data_to_take);
    } else {
      c.data = req.instance.data;
    }
  }
};

}  // namespace

MachineDefinition Machine() {
  MetaSpec spec;
  spec.name = kWorkflowName;
  spec.title = "Council ballot";
  spec.create_roles = {"secretariat", "system"};
  // A client opens a ballot with these; `basis` comes only from the workflow that opens one.
  spec.create.path = "/api/v1/ballots";
  spec.create.fields = BallotFields();
  spec.create.body_names_first = true;
  spec.create.operation_id = "openBallot";
  spec.create.summary = "Open a Council ballot not tied to an RSO (secretariat)";
  spec.create.created = "Opened";
  // The deadline timer closes the ballot; the secretariat need not act on an open ballot.
  spec.standing_events = {events::Extend::name, events::Close::name, events::Cancel::name,
                          events::Recuse::name};
  spec.own_credential_roles = {"council"};  // a vote is the member's own act (issue 17)
  spec.roles_by_event = {{events::Vote::name, {"council"}},
                         {events::Recuse::name, {"council"}},
                         {events::Extend::name, {"secretariat"}},
                         {events::Close::name, {"secretariat", "system"}},
                         {events::Cancel::name, {"secretariat", "system"}}};
  AddLabels(&spec);
  return msm_glue::Define<BallotFront>(std::move(spec));
}

}  // namespace rsoflow::council_ballot
