#include "workflows/momentum_plan/workflow.h"

#include <cstdlib>

#include "engine/clock.h"
#include "workflows/momentum_plan/events.h"
#include "workflows/momentum_plan/rules.h"
#include "workflows/rso_records.h"

namespace rsoflow::momentum_plan {

MomentumPlanWorkflow::MomentumPlanWorkflow()
    : MachineWorkflow(Machine(), {{events::Revise::name, RevisionPayload()},
                                  {events::ReportProgress::name, ProgressPayload()}}) {}

Result<CreateOutcome> MomentumPlanWorkflow::Create(const CreateRequest& req) const {
  const Json& in = req.data;
  if (req.rso_id.empty()) return Status::InvalidRequest("rso_id is required", {"rso_id"});
  RSOFLOW_RETURN_IF_ERROR(CreationFields().Check(in));
  const std::string title = in.GetString("title");
  const std::string event_id = in.GetString("iso_event_id");
  const Json* initiative = in.Get("initiative_id");
  int64_t next_id = 1;
  auto actions = BuildActions(*in.Get("actions"), Json::MakeArray(), &next_id, "actions");
  if (!actions.ok()) return actions.status();

  auto event = rso::FindIsoEvent(req.env, event_id, req.actor, "iso_event_id");
  if (!event.ok()) return event.status();
  std::string initiative_id;
  if (initiative != nullptr && initiative->is_string()) {
    initiative_id = initiative->AsString();
    auto linked = req.env.LoadInstance(std::atoll(initiative_id.c_str()));
    if (!linked.ok() || linked->workflow != "partnership_initiative" ||
        linked->rso_id != req.rso_id) {
      return Status::InvalidRequest("no initiative " + initiative_id + " of this RSO",
                                    {"initiative_id"});
    }
  }
  // A plan may be drafted as soon as its ISO event is registered, before or during the event
  // (DESIGN 8); its actions fall due after the event ends (SubmissionProblems).
  std::vector<Reason> reasons;
  const std::string ends_on = event->data.GetString("ends_on");
  const auto ended = ParseDate(ends_on);
  Reason unlisted = rso::NotListedReason(*event, req.rso_id);
  if (!unlisted.code.empty()) reasons.push_back(std::move(unlisted));
  auto why = rso::NotRecognizedReason(req.env, req.rso_id);
  if (!why.ok()) return why.status();
  if (!why->code.empty()) reasons.push_back(*why);
  if (!reasons.empty()) return Status::GuardFailed(reasons);

  CreateOutcome out;
  out.title = title;
  out.rso_id = req.rso_id;
  out.data.Set("title", title);
  out.data.Set("iso_event_id", event_id);
  out.data.Set("iso_event_title", event->data.GetString("title"));
  out.data.Set("initiative_id", initiative_id.empty() ? Json() : Json(initiative_id));
  out.data.Set("event_ends_on", ends_on);
  out.data.Set("drafting_overdue_on", ended ? FormatDate(*ended + kDraftingDays) : "");
  out.data.Set("actions", std::move(actions).value());
  out.data.Set("next_action", next_id);
  out.data.Set("at_risk_since", Json());
  return out;
}

bool MomentumPlanWorkflow::IsOverdue(const Instance& inst, int64_t now) const {
  if (inst.state == "drafting") {
    const auto overdue_on = ParseDate(inst.data.GetString("drafting_overdue_on"));
    return overdue_on && *overdue_on * kMsPerDay <= now;
  }
  if (inst.state == "at_risk") return true;  // an action is past its due date
  return Workflow::IsOverdue(inst, now);
}

}  // namespace rsoflow::momentum_plan
