#include "workflows/partnership_initiative/workflow.h"

#include "workflows/partnership_initiative/events.h"
#include "workflows/partnership_initiative/rules.h"
#include "workflows/rso_records.h"

namespace rsoflow::partnership_initiative {

PartnershipInitiativeWorkflow::PartnershipInitiativeWorkflow()
    : MachineWorkflow(Machine(), {{events::Complete::name, CompletionPayload()},
                                  {events::ReportProgress::name, ProgressPayload()}}) {}

Status PartnershipInitiativeWorkflow::CheckPayload(const FireRequest& req) const {
  const Json& data = req.data;
  if (req.event == events::Revise::name) {
    Json merged = req.instance.data;  // the fields as the revise leaves them
    if (data.is_object()) {
      for (const auto& [key, value] : data.AsObject()) merged.Set(key, value);
    }
    auto checked = ValidateFields(data, true, merged, "data.");
    return checked.ok() ? Status::Ok() : checked.status();
  }
  return MachineWorkflow::CheckPayload(req);
}

Result<std::vector<Reason>> IsoEventProblems(WorkflowEnv& env, const Json& fields,
                                             const std::string& field, const Actor& caller,
                                             const std::string& rso_id) {
  const std::string id = fields.GetString("iso_event_id");
  if (id.empty()) return std::vector<Reason>{};
  auto event = rso::FindIsoEvent(env, id, caller, field);
  if (!event.ok()) return event.status();
  Reason unlisted = rso::NotListedReason(*event, rso_id);
  if (unlisted.code.empty()) return std::vector<Reason>{};
  return std::vector<Reason>{std::move(unlisted)};
}

Result<CreateOutcome> PartnershipInitiativeWorkflow::Create(const CreateRequest& req) const {
  if (req.rso_id.empty()) return Status::InvalidRequest("rso_id is required", {"rso_id"});
  auto fields = ValidateFields(req.data, false, Json::MakeObject(), "");
  if (!fields.ok()) return fields.status();
  auto reasons = IsoEventProblems(req.env, *fields, "iso_event_id", req.actor, req.rso_id);
  if (!reasons.ok()) return reasons.status();
  auto why = rso::NotRecognizedReason(req.env, req.rso_id);
  if (!why.ok()) return why.status();
  if (!why->code.empty()) reasons->push_back(*why);
  if (!reasons->empty()) return Status::GuardFailed(*reasons);

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
