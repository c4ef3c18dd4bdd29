// The rso_recognition state machine (DESIGN 4.1) on Boost.MSM's functor front-end. This is the
// only translation unit that includes MSM for this workflow (through the glue).
#include "workflows/msm_glue.h"
// (msm_glue.h first: it brings in MSM with the project-wide compile definitions.)
#include "engine/clock.h"
#include "workflows/rso_recognition/events.h"
#include "workflows/rso_recognition/workflow.h"
#include "workflows/rso_records.h"

namespace rsoflow::rso_recognition {
namespace {

using msm_glue::CommentGiven;
using msm_glue::FromEach;
using msm_glue::NoAction;
using msm_glue::none;
using msm_glue::Row;
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
      // Validated before the machine ran (CheckPayload).
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
    // Recorded in this event's audit entry (its payload) and in the ballot's data.
    if (p.Has("exclude_affiliated")) f.data.Set("exclude_affiliated", *p.Get("exclude_affiliated"));
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
      // The day of recognition the RSO shows (a decision in session brings its own date).
      if (!on_withdrawal && std::string(E::name) == events::CouncilApproved::name) {
        c.data.Set("recognized_on", p.Has("decided_on") ? p.GetString("decided_on")
                                                        : FormatDate(c.request->now / kMsPerDay));
      }
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
using RecognitionStates =
    msm_glue::States<Draft, Submitted, SecretariatReview, Returned, CouncilReview, Recognized,
                     Rejected, Suspended, WithdrawalReview, Withdrawn>;
// Withdrawal before any decision: the recognition has not been decided yet.
using Undecided = msm_glue::States<Draft, Returned, Submitted, SecretariatReview, CouncilReview>;

struct RecognitionFront : msm_glue::Front<RecognitionFront, RecognitionStates> {
  // clang-format off
  struct transition_table : msm_glue::Table<
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
      FromEach<Undecided,    events::Withdraw,           Withdrawn,         CancelOpenBallots, CommentGiven>,
      Row<Rejected,          events::Reopen,             Draft,             NoAction,          none>
  > {};
  // clang-format on
};

}  // namespace

MachineDefinition Machine() {
  MetaSpec spec;
  spec.name = kWorkflowName;
  spec.title = "RSO recognition";
  spec.create_roles = {"secretariat", "system"};
  spec.standing_events = {events::EditDossier::name, events::Suspend::name, events::Withdraw::name};
  spec.rso_status = {true, events::EditDossier::name, Recognized::name};  // its state: the RSO's
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
  return msm_glue::Define<RecognitionFront>(std::move(spec));
}

}  // namespace rsoflow::rso_recognition
