#include "tests/workflows/tally/workflow.h"

#include "tests/workflows/tally/events.h"

namespace rsoflow::tally {

TallyWorkflow::TallyWorkflow()
    : MachineWorkflow(
          Machine(),
          {{events::Add::name, PayloadFields({Field::Int("amount", 1, 10)
                                                  .Required()
                                                  .Says("amount is an integer from 1 to 10")})}}) {}

const FieldList& CreationFields() {
  static const FieldList kCreation = [] {
    FieldList list = {Field::Text("title", 1, 100)
                          .Plain()
                          .Required()
                          .Says("title is 1-100 characters")
                          .About("what is counted")};
    list.not_object = "the tally must be an object";
    list.not_object_field = "body";
    return list;
  }();
  return kCreation;
}

Result<CreateOutcome> TallyWorkflow::Create(const CreateRequest& req) const {
  RSOFLOW_RETURN_IF_ERROR(CreationFields().Check(req.data));
  CreateOutcome out;
  out.title = req.data.GetString("title");
  out.data.Set("total", int64_t{0});
  return out;
}

}  // namespace rsoflow::tally
