#include "workflows/rso_recognition/workflow.h"

#include <cstdio>

#include "engine/clock.h"
#include "workflows/rso_recognition/events.h"
#include "workflows/rso_records.h"

namespace rsoflow::rso_recognition {
namespace {

EventPayloads Payloads(const council_ballot::Floors& floors) {
  // The ballot's settings, named as this event's payload fields; the ballot checks them again
  // (and the threshold) when it opens. The deadline must be in the future (CheckPayload).
  char floor[32];
  std::snprintf(floor, sizeof floor, "%g", floors.min_quorum);
  const FieldList ballot = PayloadFields(
      {Field::Bool("exclude_affiliated").NotNull().Says("exclude_affiliated is true or false"),
       Field::Time("deadline").NotNull().Says("deadline must be an RFC 3339 time"),
       Field::Any("threshold"),
       Field::Number("quorum", floors.min_quorum, 1)
           .Says(std::string("data.quorum must be a number within [") + floor +
                 ", 1]: the fraction of the eligible that must vote")});
  // Sent by the closing ballot.
  const FieldList decision =
      PayloadFields({Field::Any("ballot_id"), Field::Any("outcome"), Field::Any("resolution"),
                     Field::Any("basis"), Field::Any("decided_on")});
  return {{events::ReferToCouncil::name, ballot},
          {events::ProposeWithdrawal::name, ballot},
          {events::CouncilApproved::name, decision},
          {events::CouncilRejected::name, decision},
          {events::CouncilNoQuorum::name, decision}};
}

}  // namespace

RsoRecognitionWorkflow::RsoRecognitionWorkflow(council_ballot::Floors floors)
    : MachineWorkflow(Machine(), Payloads(floors)), floors_(floors) {}

Status RsoRecognitionWorkflow::CheckPayload(const FireRequest& req) const {
  const Json& data = req.data;
  if (req.event == events::EditDossier::name) {
    auto checked = rso::ValidateDossier(data, true);
    return checked.ok() ? Status::Ok() : checked.status();
  }
  RSOFLOW_RETURN_IF_ERROR(MachineWorkflow::CheckPayload(req));
  if (req.event != events::ReferToCouncil::name && req.event != events::ProposeWithdrawal::name) {
    return Status::Ok();
  }
  const auto deadline = ParseTime(data.GetString("deadline"));
  if (deadline && *deadline <= req.now) {
    return Status::GuardFailed(
        {Reason{"deadline_not_in_future", "the deadline must be in the future"}});
  }
  if (deadline) return council_ballot::CheckVotingPeriod(req.now, *deadline, floors_);
  return Status::Ok();  // the threshold is checked by the ballot
}

Result<CreateOutcome> RsoRecognitionWorkflow::Create(const CreateRequest& req) const {
  auto dossier = rso::ValidateDossier(req.data, false);
  if (!dossier.ok()) return dossier.status();
  Record record;
  record.kind = rso::kRsoKind;
  record.key = dossier->GetString("acronym");
  record.data = *dossier;
  record.created_at = record.updated_at = req.now;
  auto id = req.env.InsertRecord(record);
  if (!id.ok()) {
    if (id.status().code() == Status::Code::kDuplicate) {
      return Status::Duplicate("an RSO with acronym " + record.key + " is already registered");
    }
    return id.status();
  }
  CreateOutcome out;
  out.title = RecognitionTitle(record.key);
  out.rso_id = *id;
  out.data.Set("acronym", record.key);
  out.data.Set("kind", dossier->GetString("kind"));
  out.data.Set("basis", rso::LegalBasis(dossier->GetString("kind")));
  out.data.Set("resolution", Json());
  out.data.Set("last_ballot_id", Json());
  return out;
}

bool RsoRecognitionWorkflow::DocumentsFrozen(const Instance& instance) const {
  return instance.state == "council_review" || instance.state == "withdrawal_review";
}

}  // namespace rsoflow::rso_recognition
