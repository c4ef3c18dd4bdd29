#include "workflows/machine_workflow.h"

namespace rsoflow {

FieldList PayloadFields(std::initializer_list<Field> fields) {
  FieldList list(fields);
  list.prefix = "data.";
  return list;
}

MachineWorkflow::MachineWorkflow(MachineDefinition definition, EventPayloads payloads)
    : definition_(std::move(definition)), payloads_(std::move(payloads)) {}

Status MachineWorkflow::CheckPayload(const FireRequest& request) const {
  static const FieldList kNoField = PayloadFields({});
  auto it = payloads_.find(request.event);
  return (it == payloads_.end() ? kNoField : it->second).Check(request.data);
}

Result<FireOutcome> MachineWorkflow::Fire(const FireRequest& request) const {
  RSOFLOW_RETURN_IF_ERROR(CheckPayload(request));
  return definition_.run(request, *this);
}

}  // namespace rsoflow
