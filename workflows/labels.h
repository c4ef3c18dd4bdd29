// Labels (English and Russian) of the codes no single workflow owns: reasons given by guards
// several workflows share (msm_glue.h, rso_records.h) or by the engine, the engine's own
// audit events, the roles, initiative types, ISO event types and regions. Each workflow's own
// labels are in its folder (labels.cpp) and reach its WorkflowMeta.
//
// Thread-safety: immutable tables, built once.
#pragma once

#include "engine/workflow.h"

namespace rsoflow::labels {

const LabelMap& SharedReasons();
// "create", "import", and the events of the entries about users and tokens ("user_created" ...)
const LabelMap& EngineEvents();
// The states of those entries: a user "enabled" or "disabled", a token "live" or "revoked".
const LabelMap& AccountStates();
const LabelMap& Roles();
const LabelMap& InitiativeTypes();
const LabelMap& IsoEventTypes();
const LabelMap& Regions();

}  // namespace rsoflow::labels
