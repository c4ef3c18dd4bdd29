// CouncilBallotWorkflow: the `council_ballot` workflow (DESIGN 4.2). Create and the payload
// fields live in workflow.cpp; what each viewer may see of a ballot and of its audit entries
// (ballot secrecy) in visibility.cpp; the machine and the metadata (read off its transition
// table) in machine.cpp.
//
// Thread-safety: immutable after construction.
#pragma once

#include "engine/workflow.h"
#include "workflows/council_ballot/rules.h"
#include "workflows/machine_workflow.h"

namespace rsoflow {
struct MetaSpec;
}

namespace rsoflow::council_ballot {

class CouncilBallotWorkflow final : public MachineWorkflow {
 public:
  explicit CouncilBallotWorkflow(Floors floors = Floors());
  Result<CreateOutcome> Create(const CreateRequest& request) const override;
  // Ballot secrecy (visibility.cpp).
  Json View(const Instance& instance, const Actor& viewer) const override;
  bool ReadsAsCreated(const Instance& instance, const Actor& viewer) const override;
  bool DoneFor(const Instance& instance, const Actor& viewer) const override;
  // From the first vote on: what was voted on must not change under the voters.
  bool DocumentsFrozen(const Instance& instance) const override;
  bool AuditReadNeedsInstance() const override { return true; }
  std::optional<AuditEntryView> ReadAuditEntry(AuditEntry entry, const Instance* ballot,
                                               const Actor& viewer) const override;
  const Floors& floors() const { return floors_; }

 private:
  Floors floors_;
};

// The machine (machine.cpp): states, events with roles, transitions with guard names.
MachineDefinition Machine();
// The names of the workflow, its states, its events and its own guards' reason codes, in
// English and Russian (labels.cpp; Russian terms from the policy's Russian text).
void AddLabels(MetaSpec* spec);

}  // namespace rsoflow::council_ballot
