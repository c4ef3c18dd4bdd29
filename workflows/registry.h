// The workflows rsoflow runs. Adding a workflow is one line in registry.cpp.
#pragma once

#include <functional>

#include "engine/workflow_registry.h"
#include "workflows/council_ballot/rules.h"

namespace rsoflow {

// The workflows' settings (serve's config file; OPERATIONS.md).
struct WorkflowSettings {
  council_ballot::Floors council;  // quorum and voting-period floors of every ballot
  // Registers more workflows after this build's own (tests add workflows of their own).
  std::function<void(WorkflowRegistry&)> more;
};

// Registers every workflow of this build into `registry`.
void RegisterWorkflows(WorkflowRegistry& registry,
                       const WorkflowSettings& settings = WorkflowSettings());

}  // namespace rsoflow
