// TallyWorkflow: a small workflow that lives in the test tree only, to prove that a workflow is
// its folder plus one registry call: no edit to workflows/, api/, CMake's workflow list or the
// routing table. It counts amounts until it is closed:
//
//   open          --add {amount: 1-10}-->  open       secretariat, rso_liaison
//   open          --pause-->               paused     secretariat
//   paused        --resume-->              open       secretariat
//   open          --close / not_empty-->   closed     secretariat   terminal
//   open, paused  --cancel / comment-->    cancelled  secretariat   terminal (one FromEach row)
//
// Created by POST /api/v1/tallies {"title"} (its creation route, from its metadata).
//
// Thread-safety: immutable after construction.
#pragma once

#include "workflows/machine_workflow.h"

namespace rsoflow::tally {

inline constexpr const char* kWorkflowName = "tally";

class TallyWorkflow final : public MachineWorkflow {
 public:
  TallyWorkflow();
  Result<CreateOutcome> Create(const CreateRequest& request) const override;
};

// The fields of its creation body: Create checks them, and the API document shows them
// (WorkflowMeta::create.fields).
const FieldList& CreationFields();

// The machine (machine.cpp).
MachineDefinition Machine();

}  // namespace rsoflow::tally
