// GET /api/v1/labels?lang=en|ru: the names for people of every code the API returns.
#include "accounts/accounts.h"
#include "api/handlers.h"
#include "api/labels.h"
#include "api/notification_text.h"
#include "workflows/labels.h"

namespace rsoflow::api {
namespace {

void Add(Json* section, const LabelMap& labels, const std::string& lang) {
  for (const auto& [code, label] : labels) {
    if (section->Has(code)) continue;
    section->Set(code, lang == "ru" ? label.ru : label.en);
  }
}

}  // namespace

Json LabelCatalogue(const WorkflowRegistry& registry, const std::string& lang) {
  Json workflows = Json::MakeObject(), states = Json::MakeObject(), events = Json::MakeObject(),
       reasons = Json::MakeObject();
  for (const Workflow* wf : registry.All()) {
    const WorkflowMeta& meta = wf->Meta();
    Add(&workflows, {{meta.name, meta.label}}, lang);
    Add(&states, meta.state_labels, lang);
    Add(&events, meta.event_labels, lang);
    Add(&reasons, meta.reason_labels, lang);
  }
  Add(&events, labels::EngineEvents(), lang);
  Add(&states, labels::AccountStates(), lang);
  Add(&reasons, labels::SharedReasons(), lang);
  Add(&reasons, WebhookReasonLabels(), lang);
  Add(&reasons, accounts::ReasonLabels(), lang);
  Json out = Json::MakeObject();
  out.Set("workflows", std::move(workflows));
  out.Set("states", std::move(states));
  out.Set("events", std::move(events));
  out.Set("reasons", std::move(reasons));
  for (auto [name, table] : {std::pair{"roles", &labels::Roles()},
                             std::pair{"initiative_types", &labels::InitiativeTypes()},
                             std::pair{"iso_event_types", &labels::IsoEventTypes()},
                             std::pair{"regions", &labels::Regions()}}) {
    Json section = Json::MakeObject();
    Add(&section, *table, lang);
    out.Set(name, std::move(section));
  }
  return out;
}

Result<Reply> Labels(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"lang"}));
  auto it = req.query.find("lang");
  const std::string lang = it == req.query.end() ? "en" : it->second;
  if (lang != "en" && lang != "ru") return Status::InvalidRequest("lang is en or ru", {"lang"});
  return JsonReply(200, LabelCatalogue(ctx.engine().registry(), lang));
}

}  // namespace rsoflow::api
