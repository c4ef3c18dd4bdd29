// The workflows rsoflow runs. Adding a workflow is one line in registry.cpp.
#pragma once

#include "engine/registry.h"

namespace rsoflow {

// Registers every workflow of this build into `registry`.
void RegisterWorkflows(WorkflowRegistry& registry);

}  // namespace rsoflow
