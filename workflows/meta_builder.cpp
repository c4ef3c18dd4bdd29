#include "workflows/meta_builder.h"

namespace rsoflow {

WorkflowMeta BuildWorkflowMeta(const MetaSpec& spec, std::vector<TransitionInfo> rows) {
  WorkflowMeta meta;
  meta.name = spec.name;
  meta.version = spec.version;
  meta.title = spec.title;
  meta.initial_state = spec.initial_state;
  meta.create_roles = spec.create_roles;
  meta.create = spec.create;
  meta.standing_events = spec.standing_events;
  meta.own_credential_roles = spec.own_credential_roles;
  meta.rso_status = spec.rso_status;
  meta.states = spec.states;
  meta.label = spec.label;
  meta.state_labels = spec.state_labels;
  meta.event_labels = spec.event_labels;
  meta.reason_labels = spec.reason_labels;
  for (auto& row : rows) {
    auto roles = spec.roles_by_event.find(row.event);
    if (roles != spec.roles_by_event.end()) row.roles = roles->second;
    if (meta.FindEvent(row.event) == nullptr) {
      meta.events.push_back(EventInfo{row.event, row.roles});
    }
  }
  meta.transitions = std::move(rows);
  return meta;
}

}  // namespace rsoflow
