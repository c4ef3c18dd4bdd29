// The rso_recognition state machine (DESIGN 4.1) on Boost.MSM's functor front-end. This is the
// only translation unit that includes MSM for this workflow.
#include "workflows/msm_glue.h"
// (msm_glue.h first: it brings in MSM with the project-wide compile definitions.)
#include "engine/clock.h"
#include "workflows/meta_builder.h"
#include "workflows/rso_recognition/events.h"
#include "workflows/rso_recognition/workflow.h"
#include "workflows/rso_records.h"

namespace rsoflow::rso_recognition {
namespace {

namespace msmf = boost::msm::front;
using msm_glue::CommentGiven;
using msm_glue::NoAction;
using msmf::none;
using msmf::Row;
using Context = MachineContext;

// ---- states ----
RSOFLOW_MSM_STATE(Draft, "draft", false);
RSOFLOW_MSM_STATE(Submitted, "submitted", false);
RSOFLOW_MSM_STATE(SecretariatReview, "secretariat_review", false);
RSOFLOW_MSM_STATE(Returned, "returned", false);
RSOFLOW_MSM_STATE(CouncilReview, "council_review", false);
RSOFLOW_MSM_STATE(Recognized, "recognized", false);
RSOFLOW_MSM_STATE(Rejected, "rejected", false);
RSOFLOW_MSM_STATE(Suspended, "suspended", false);
RSOFLOW_MSM_STATE(WithdrawalReview, "withdrawal_review", false);
RSOFLOW_MSM_STATE(Withdrawn, "withdrawn", true);

Result<Record> LoadRso(Context& c) {
  return c.request->env.GetRecord(rso::kRsoKind, c.request->instance.rso_id);
}

// ---- guards ----
struct DossierComplete {
  static constexpr const char* name = "dossier_complete";
  template <class E, class M, class S, class T>
  bool operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    auto record = LoadRso(c);
    if (!record.ok()) {
      c.Fail(record.status());
      c.Reason("rso_record_unreadable", "the RSO record cannot be read");
      return false;
    }
    const auto gaps = rso::DossierGaps(record->data);
    for (const auto& g : gaps) c.Reason(g);
    return gaps.empty();
  }
};

// ---- actions ----
struct UpdateDossier {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    auto record = LoadRso(c);
    if (!record.ok()) return c.Fail(record.status());
    for (const auto& [key, value] : c.request->data.AsObject()) {
      // Validated before the machine ran (ValidatePayload).
      record->data.Set(key, value);
    }
    auto normalized = rso::ValidateDossier(record->data, false);
    if (!normalized.ok()) return c.Fail(normalized.status());
    record->data = *normalized;
    record->key = normalized->GetString("acronym");
    record->updated_at = c.request->now;
    Status st = c.request->env.UpdateRecord(*record);
    if (!st.ok()) return c.Fail(st);
    c.data.Set("acronym", record->key);
    c.effects.new_title = RecognitionTitle(record->key);
    c.data.Set("kind", normalized->GetString("kind"));
    c.data.Set("basis", rso::LegalBasis(normalized->GetString("kind")));
  }
};

// refer_to_council / propose_withdrawal: a council_ballot whose subject is this instance
// starts in the same transaction.
struct OpenBallot {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    auto record = LoadRso(c);
    if (!record.ok()) return c.Fail(record.status());
    const Json& d = record->data;
    const bool withdrawal = std::string(E::name) == events::ProposeWithdrawal::name;
    const std::string kind = d.GetString("kind") == "sub_regional" ? "sub-regional" : "regional";
    FollowUp f;
    f.start_workflow = "council_ballot";
    f.rso_id = c.request->instance.rso_id;
    f.subject_id = c.request->instance.id;
    f.data.Set("title", (withdrawal ? "Withdrawal of recognition: " : "Recognition: ") +
                            d.GetString("acronym"));
    f.data.Set("question", withdrawal ? "Shall the ISO Council withdraw its recognition of " +
                                            d.GetString("name") + " (" + d.GetString("acronym") +
                                            ") as a " + kind + " standards organization?"
                                      : "Shall the ISO Council approve relations with " +
                                            d.GetString("name") + " (" + d.GetString("acronym") +
                                            ") as a " + kind + " standards organization?");
    f.data.Set("basis", rso::LegalBasis(d.GetString("kind")));
    const Json& p = c.request->data;
    f.data.Set("deadline", p.Has("deadline")
                               ? p.GetString("deadline")
                               : FormatTime(c.request->now + kDefaultBallotDays * kMsPerDay));
    if (p.Has("threshold")) f.data.Set("threshold", *p.Get("threshold"));
    if (p.Has("quorum")) f.data.Set("quorum", *p.Get("quorum"));
    f.comment = c.request->comment;
    c.effects.follow_ups.push_back(std::move(f));
  }
};

// council_approved / council_rejected / council_no_quorum, sent by the closing ballot.
struct StoreDecision {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    const Json& p = c.request->data;
    c.data.Set("last_ballot_id", p.GetString("ballot_id"));
    c.data.Set("last_outcome", p.GetString("outcome"));
    if (std::string(E::name) != events::CouncilNoQuorum::name) {
      // `resolution` stays the decision on recognition (shown beside the legal basis); a
      // decision on withdrawal is kept apart so a rejected withdrawal does not replace it.
      const bool on_withdrawal = c.request->instance.state == WithdrawalReview::name;
      c.data.Set(on_withdrawal ? "withdrawal_resolution" : "resolution", p.GetString("resolution"));
      c.data.Set("last_resolution", p.GetString("resolution"));
      c.data.Set("decided_at", FormatTime(c.request->now));
    }
  }
};

// suspend: every active initiative of the RSO goes on hold in the same transaction, however
// many there are (read page by page, by id).
struct HoldInitiatives {
  static constexpr int kPageSize = 500;
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    InstanceQuery q;
    q.workflow = "partnership_initiative";
    q.state = "active";
    q.rso_id = c.request->instance.rso_id;
    q.limit = kPageSize;
    for (;;) {
      auto page = c.request->env.FindInstances(q);
      if (!page.ok()) return c.Fail(page.status());
      for (const Instance& i : *page) {
        FollowUp f;
        f.instance_id = i.id;
        f.event = "rso_suspended";
        f.comment = "the RSO was suspended: " + c.request->comment;
        c.effects.follow_ups.push_back(std::move(f));
      }
      if (page->size() < static_cast<size_t>(kPageSize)) return;
      q.after_id = page->back().id;
    }
  }
};

// withdraw: an open ballot about this recognition is cancelled in the same transaction.
struct CancelOpenBallots {
  template <class E, class M, class S, class T>
  void operator()(const E&, M& m, S&, T&) const {
    Context& c = *m.ctx;
    auto open = c.request->env.ActiveInstancesWithSubject("council_ballot", c.request->instance.id);
    if (!open.ok()) return c.Fail(open.status());
    for (int64_t id : *open) {
      FollowUp f;
      f.instance_id = id;
      f.event = "cancel";
      f.comment = "the recognition was withdrawn: " + c.request->comment;
      c.effects.follow_ups.push_back(std::move(f));
    }
  }
};

// ---- the machine ----
struct RecognitionFront : msmf::state_machine_def<RecognitionFront> {
  using initial_state = Draft;
  using no_exception_thrown = int;
  using no_message_queue = int;

  Context* ctx = nullptr;

  // clang-format off
  struct transition_table : boost::mpl::vector<
      //  Start              Event                       Next               Action             Guard
      Row<Draft,             events::EditDossier,        none,              UpdateDossier,     none>,
      Row<Returned,          events::EditDossier,        none,              UpdateDossier,     none>,
      Row<Draft,             events::Submit,             Submitted,         NoAction,          DossierComplete>,
      Row<Returned,          events::Submit,             Submitted,         NoAction,          DossierComplete>,
      Row<Submitted,         events::StartReview,        SecretariatReview, NoAction,          none>,
      Row<SecretariatReview, events::ReturnForChanges,   Returned,          NoAction,          CommentGiven>,
      Row<SecretariatReview, events::ReferToCouncil,     CouncilReview,     OpenBallot,        none>,
      Row<CouncilReview,     events::CouncilApproved,    Recognized,        StoreDecision,     none>,
      Row<CouncilReview,     events::CouncilRejected,    Rejected,          StoreDecision,     none>,
      Row<CouncilReview,     events::CouncilNoQuorum,    SecretariatReview, StoreDecision,     none>,
      Row<Recognized,        events::Suspend,            Suspended,         HoldInitiatives,   CommentGiven>,
      Row<Suspended,         events::Reinstate,          Recognized,        NoAction,          CommentGiven>,
      Row<Suspended,         events::ProposeWithdrawal,  WithdrawalReview,  OpenBallot,        CommentGiven>,
      Row<WithdrawalReview,  events::CouncilApproved,    Withdrawn,         StoreDecision,     none>,
      Row<WithdrawalReview,  events::CouncilRejected,    Suspended,         StoreDecision,     none>,
      Row<WithdrawalReview,  events::CouncilNoQuorum,    Suspended,         StoreDecision,     none>,
      Row<Draft,             events::Withdraw,           Withdrawn,         CancelOpenBallots, CommentGiven>,
      Row<Returned,          events::Withdraw,           Withdrawn,         CancelOpenBallots, CommentGiven>,
      Row<Submitted,         events::Withdraw,           Withdrawn,         CancelOpenBallots, CommentGiven>,
      Row<SecretariatReview, events::Withdraw,           Withdrawn,         CancelOpenBallots, CommentGiven>,
      Row<CouncilReview,     events::Withdraw,           Withdrawn,         CancelOpenBallots, CommentGiven>,
      Row<Rejected,          events::Reopen,             Draft,             NoAction,          none>
  > {};
  // clang-format on

  template <class M, class E>
  void no_transition(const E&, M&, int) {}
  template <class M, class E>
  void exception_caught(const E&, M&, std::exception&) {}
};

using RecognitionMachine = boost::msm::back::state_machine<RecognitionFront>;

using States = msm_glue::TypeList<Draft, Submitted, SecretariatReview, Returned, CouncilReview,
                                  Recognized, Rejected, Suspended, WithdrawalReview, Withdrawn>;
using Events = msm_glue::TypeList<events::EditDossier, events::Submit, events::StartReview,
                                  events::ReturnForChanges, events::ReferToCouncil,
                                  events::CouncilApproved, events::CouncilRejected,
                                  events::CouncilNoQuorum, events::Suspend, events::Reinstate,
                                  events::ProposeWithdrawal, events::Withdraw, events::Reopen>;

Status ValidatePayload(const std::string& event, const Json& data, int64_t now,
                       const council_ballot::Floors& floors) {
  if (event == events::EditDossier::name) {
    if (!data.is_object() || data.size() == 0) {
      return Status::InvalidRequest("edit_dossier needs at least one dossier field", {"data"});
    }
    auto checked = rso::ValidateDossier(data, true);
    return checked.ok() ? Status::Ok() : checked.status();
  }
  if (event == events::ReferToCouncil::name || event == events::ProposeWithdrawal::name) {
    RSOFLOW_RETURN_IF_ERROR(CheckPayloadFields(data, {"deadline", "threshold", "quorum"}));
    std::optional<int64_t> deadline;
    if (data.Has("deadline")) {
      if (data.Get("deadline")->is_string()) deadline = ParseTime(data.GetString("deadline"));
      if (!deadline) {
        return Status::InvalidRequest("deadline must be an RFC 3339 time", {"data.deadline"});
      }
    }
    // The ballot checks them again; here they are named as this event's payload fields.
    auto quorum = council_ballot::ParseQuorum(data.Get("quorum"), floors, "data.quorum");
    if (!quorum.ok()) return quorum.status();
    if (deadline && *deadline <= now) {
      return Status::GuardFailed(
          {Reason{"deadline_not_in_future", "the deadline must be in the future"}});
    }
    if (deadline) return council_ballot::CheckVotingPeriod(now, *deadline, floors);
    return Status::Ok();  // the threshold is checked by the ballot
  }
  if (event == events::CouncilApproved::name || event == events::CouncilRejected::name ||
      event == events::CouncilNoQuorum::name) {
    return CheckPayloadFields(data, {"ballot_id", "outcome", "resolution", "basis"});
  }
  return CheckPayloadFields(data, {});
}

}  // namespace

WorkflowMeta BuildMeta() {
  MetaSpec spec;
  spec.name = kWorkflowName;
  spec.title = "RSO recognition";
  spec.initial_state = Draft::name;
  spec.create_roles = {"secretariat", "system"};
  spec.standing_events = {events::EditDossier::name, events::Suspend::name, events::Withdraw::name};
  spec.states = {{Draft::name, Draft::terminal},
                 {Submitted::name, Submitted::terminal},
                 {SecretariatReview::name, SecretariatReview::terminal},
                 {Returned::name, Returned::terminal},
                 {CouncilReview::name, CouncilReview::terminal},
                 {Recognized::name, Recognized::terminal},
                 {Rejected::name, Rejected::terminal},
                 {Suspended::name, Suspended::terminal},
                 {WithdrawalReview::name, WithdrawalReview::terminal},
                 {Withdrawn::name, Withdrawn::terminal}};
  const std::vector<std::string> s = {"secretariat"}, sl = {"secretariat", "rso_liaison"},
                                 sys = {"system"};
  spec.roles_by_event = {{events::EditDossier::name, sl},
                         {events::Submit::name, sl},
                         {events::StartReview::name, s},
                         {events::ReturnForChanges::name, s},
                         {events::ReferToCouncil::name, s},
                         {events::CouncilApproved::name, sys},
                         {events::CouncilRejected::name, sys},
                         {events::CouncilNoQuorum::name, sys},
                         {events::Suspend::name, s},
                         {events::Reinstate::name, s},
                         {events::ProposeWithdrawal::name, s},
                         {events::Withdraw::name, s},
                         {events::Reopen::name, s}};
  AddLabels(&spec);
  return BuildWorkflowMeta(spec, msm_glue::TableRows<RecognitionFront>());
}

Result<FireOutcome> RsoRecognitionWorkflow::Fire(const FireRequest& req) const {
  RSOFLOW_RETURN_IF_ERROR(ValidatePayload(req.event, req.data, req.now, floors_));
  return msm_glue::RunMachine<RecognitionMachine>(States{}, Events{}, req, Meta());
}

}  // namespace rsoflow::rso_recognition
