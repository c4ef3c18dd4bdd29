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
const LabelMap& EngineEvents();  // "create", "import"
const LabelMap& Roles();
const LabelMap& InitiativeTypes();
const LabelMap& IsoEventTypes();
const LabelMap& Regions();

}  // namespace rsoflow::labels
