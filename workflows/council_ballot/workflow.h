// CouncilBallotWorkflow: the `council_ballot` workflow (DESIGN 4.2). Create lives in
// workflow.cpp; what each viewer may see of a ballot and of its audit entries (ballot
// secrecy) in visibility.cpp; Fire and the metadata (read off the MSM transition table) in
// machine.cpp.
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
  // Ballot secrecy (visibility.cpp).
  Json View(const Instance& instance, const Actor& viewer) const override;
  bool ReadsAsCreated(const Instance& instance, const Actor& viewer) const override;
  bool DoneFor(const Instance& instance, const Actor& viewer) const override;
  bool AuditReadNeedsInstance() const override { return true; }
  std::optional<AuditEntryView> ReadAuditEntry(AuditEntry entry, const Instance* ballot,
                                               const Actor& viewer) const override;

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
