#include "workflows/partnership_initiative/workflow.h"

#include "workflows/partnership_initiative/rules.h"
#include "workflows/rso_records.h"

namespace rsoflow::partnership_initiative {

PartnershipInitiativeWorkflow::PartnershipInitiativeWorkflow() : meta_(BuildMeta()) {}

Status CheckIsoEventExists(WorkflowEnv& env, const Json& fields, const std::string& field) {
  const std::string id = fields.GetString("iso_event_id");
  if (id.empty()) return Status::Ok();
  auto event = env.GetRecord(rso::kIsoEventKind, id);
  if (event.ok()) return Status::Ok();
  if (event.status().code() != Status::Code::kNotFound) return event.status();
  return Status::InvalidRequest("no ISO event " + id, {field});
}

Result<CreateOutcome> PartnershipInitiativeWorkflow::Create(const CreateRequest& req) const {
  if (req.rso_id.empty()) return Status::InvalidRequest("rso_id is required", {"rso_id"});
  auto fields = ValidateFields(req.data, false, Json::MakeObject(), "");
  if (!fields.ok()) return fields.status();
  RSOFLOW_RETURN_IF_ERROR(CheckIsoEventExists(req.env, *fields, "iso_event_id"));
  const std::string why = rso::NotRecognizedReason(req.env, req.rso_id);
  if (!why.empty()) return Status::GuardFailed({why});

  CreateOutcome out;
  out.title = fields->GetString("title");
  out.rso_id = req.rso_id;
  out.data = std::move(fields).value();
  out.data.Set("percent_complete", Json(int64_t{0}));
  out.data.Set("progress", Json::MakeArray());
  out.data.Set("outcome_summary", Json());
  return out;
}

}  // namespace rsoflow::partnership_initiative
