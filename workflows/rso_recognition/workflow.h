// RsoRecognitionWorkflow: the `rso_recognition` workflow (DESIGN 4.1), one instance per RSO
// application. Creating an instance registers the RSO record (its dossier) in the same
// transaction. The machine and the metadata live in machine.cpp.
//
// Thread-safety: immutable after construction.
#pragma once

#include <string>

#include "engine/workflow.h"
#include "workflows/council_ballot/rules.h"
#include "workflows/machine_workflow.h"

namespace rsoflow {
struct MetaSpec;
}

namespace rsoflow::rso_recognition {

inline constexpr const char* kWorkflowName = "rso_recognition";
// Default voting period of a ballot opened by refer_to_council / propose_withdrawal.
inline constexpr int64_t kDefaultBallotDays = 14;

class RsoRecognitionWorkflow final : public MachineWorkflow {
 public:
  explicit RsoRecognitionWorkflow(council_ballot::Floors floors = council_ballot::Floors());
  Result<CreateOutcome> Create(const CreateRequest& request) const override;
  // While a ballot on it is open (council_review, withdrawal_review): the Council votes on
  // the documents the ballot froze.
  bool DocumentsFrozen(const Instance& instance) const override;

 protected:
  // edit_dossier: the dossier's own rules; refer_to_council and propose_withdrawal: the
  // ballot's deadline, quorum and exclude_affiliated (a boolean: false keeps the Council
  // members affiliated with the RSO in the electorate), named as this event's payload fields.
  Status CheckPayload(const FireRequest& request) const override;

 private:
  council_ballot::Floors floors_;  // refer_to_council and propose_withdrawal open ballots
};

// The machine (machine.cpp).
MachineDefinition Machine();

// The names of the workflow, its states, its events and its own guards' reason codes, in
// English and Russian (labels.cpp; Russian terms from the policy's Russian text).
void AddLabels(MetaSpec* spec);

// The instance's title: "Recognition of <acronym>" (renamed when the acronym is edited).
inline std::string RecognitionTitle(const std::string& acronym) {
  return "Recognition of " + acronym;
}

}  // namespace rsoflow::rso_recognition
