// CouncilBallotWorkflow: the `council_ballot` workflow (DESIGN 4.2). Create and View live in
// workflow.cpp; Fire and the metadata (read off the MSM transition table) in machine.cpp.
//
// Thread-safety: immutable after construction.
#pragma once

#include "engine/workflow.h"
#include "workflows/council_ballot/rules.h"

namespace rsoflow {
struct MetaSpec;
}

namespace rsoflow::council_ballot {

class CouncilBallotWorkflow final : public Workflow {
 public:
  explicit CouncilBallotWorkflow(Floors floors = Floors());
  const WorkflowMeta& Meta() const override { return meta_; }
  Result<CreateOutcome> Create(const CreateRequest& request) const override;
  Result<FireOutcome> Fire(const FireRequest& request) const override;
  Json View(const Instance& instance, const Actor& viewer) const override;

 private:
  WorkflowMeta meta_;
  Floors floors_;
};

// Introspects the MSM machine: states, events with roles, transitions with guard names.
// The names of the workflow, its states, its events and its own guards' reason codes, in
// English and Russian (labels.cpp; Russian terms from the policy's Russian text).
void AddLabels(MetaSpec* spec);
WorkflowMeta BuildMeta();

}  // namespace rsoflow::council_ballot
