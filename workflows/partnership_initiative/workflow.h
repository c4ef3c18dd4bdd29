// PartnershipInitiativeWorkflow: the `partnership_initiative` workflow (DESIGN 4.3), one
// instance per cooperation with a recognized RSO. Create lives in workflow.cpp; Fire and the
// metadata in machine.cpp (the only file that includes MSM for it).
//
// Thread-safety: immutable after construction.
#pragma once

#include "engine/workflow.h"

namespace rsoflow::partnership_initiative {

class PartnershipInitiativeWorkflow final : public Workflow {
 public:
  PartnershipInitiativeWorkflow();
  const WorkflowMeta& Meta() const override { return meta_; }
  // Needs a recognized RSO (guard_failed otherwise) and valid fields; an iso_event_id must
  // name an ISO event.
  Result<CreateOutcome> Create(const CreateRequest& request) const override;
  Result<FireOutcome> Fire(const FireRequest& request) const override;

 private:
  WorkflowMeta meta_;
};

WorkflowMeta BuildMeta();

// InvalidRequest naming `field` when `iso_event_id` is set and names no ISO event.
Status CheckIsoEventExists(WorkflowEnv& env, const Json& fields, const std::string& field);

}  // namespace rsoflow::partnership_initiative
