// MachineWorkflow: the Workflow of a state machine declared in a workflow's machine.cpp. The
// machine glue (workflows/msm_glue.h, msm_glue::Define) turns the front-end into a
// MachineDefinition: the metadata read off the transition table and the function that runs one
// event through the machine. This class gives the workflow its Meta and its Fire (payload
// check, then the machine); a workflow adds Create and, where it has them, its own View,
// IsOverdue and payload rules. No MSM here: workflow.h files and the registry include it.
//
// Thread-safety: immutable after construction, like every Workflow.
#pragma once

#include <map>
#include <string>

#include "engine/fields.h"
#include "engine/workflow.h"

namespace rsoflow {

struct MachineDefinition {
  WorkflowMeta meta;
  Result<FireOutcome> (*run)(const FireRequest& request, const Workflow& workflow) = nullptr;
};

// Each event's payload fields by event name; an event not listed takes no field.
using EventPayloads = std::map<std::string, FieldList>;

// An event's payload field list: names in errors read "data.<field>".
FieldList PayloadFields(std::initializer_list<Field> fields);

class MachineWorkflow : public Workflow {
 public:
  const WorkflowMeta& Meta() const final { return definition_.meta; }
  // CheckPayload, then the machine (guards, actions, the new state).
  Result<FireOutcome> Fire(const FireRequest& request) const final;

 protected:
  MachineWorkflow(MachineDefinition definition, EventPayloads payloads);
  // The payload as the machine may take it. By default: the event's field list (or no field);
  // a workflow overrides it for what a field list cannot say (rules against the instance or
  // between fields), calling this first where the field list still applies.
  virtual Status CheckPayload(const FireRequest& request) const;

 private:
  MachineDefinition definition_;
  EventPayloads payloads_;
};

}  // namespace rsoflow
