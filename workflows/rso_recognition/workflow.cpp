#include "workflows/rso_recognition/workflow.h"

#include "workflows/rso_records.h"

namespace rsoflow::rso_recognition {

RsoRecognitionWorkflow::RsoRecognitionWorkflow(council_ballot::Floors floors)
    : meta_(BuildMeta()), floors_(floors) {}

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

}  // namespace rsoflow::rso_recognition
