// The label catalogue of GET /api/v1/labels: every code the API can return (workflows, states,
// events, guard reason codes, roles, initiative types, ISO event types, regions) with its name
// for people in one language.
//
// Thread-safety: pure function of immutable tables.
#pragma once

#include <string>

#include "engine/json.h"
#include "engine/workflow_registry.h"

namespace rsoflow::api {

// {"workflows","states","events","reasons","roles","initiative_types","iso_event_types",
//  "regions"}, each {code: label}; `lang` is "en" or "ru". A code several workflows share
// (a state "approved") carries one label: the first workflow's by name.
Json LabelCatalogue(const WorkflowRegistry& registry, const std::string& lang);

}  // namespace rsoflow::api
