// Assembles a WorkflowMeta from a machine's table rows (read off MSM) and the roles allowed
// per event (the "who" column of DESIGN 4). Every row of an event gets that event's roles.
// msm_glue::Define fills `states` and `initial_state` from the front-end's state list.
//
// Thread-safety: pure function.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/workflow.h"

namespace rsoflow {

struct MetaSpec {
  std::string name;
  int version = 1;
  std::string title;
  std::string initial_state;
  std::vector<std::string> create_roles;
  CreateRoute create;                             // see WorkflowMeta::create
  std::vector<std::string> standing_events;       // see WorkflowMeta::standing_events
  std::vector<std::string> own_credential_roles;  // see WorkflowMeta::own_credential_roles
  RsoStatusRole rso_status;                       // see WorkflowMeta::rso_status
  std::vector<StateInfo> states;
  std::map<std::string, std::vector<std::string>> roles_by_event;
  // See WorkflowMeta; each workflow's labels.cpp fills them.
  Label label;
  LabelMap state_labels;
  LabelMap event_labels;
  LabelMap reason_labels;
};

WorkflowMeta BuildWorkflowMeta(const MetaSpec& spec, std::vector<TransitionInfo> rows);

}  // namespace rsoflow
