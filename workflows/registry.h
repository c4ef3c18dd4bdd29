// The workflows rsoflow runs. Adding a workflow is one line in registry.cpp.
#pragma once

#include "engine/workflow_registry.h"
#include "workflows/council_ballot/rules.h"

namespace rsoflow {

// The workflows' settings (serve's config file; OPERATIONS.md).
struct WorkflowSettings {
  council_ballot::Floors council;  // quorum and voting-period floors of every ballot
};

// Registers every workflow of this build into `registry`.
void RegisterWorkflows(WorkflowRegistry& registry,
                       const WorkflowSettings& settings = WorkflowSettings());

}  // namespace rsoflow
