#include "engine/instance.h"

namespace rsoflow {

bool role::IsUserRole(const std::string& r) {
  return r == kSecretariat || r == kCouncil || r == kLiaison || r == kAuditor || r == kAdmin;
}

Json InstanceToJson(const Instance& i) {
  Json j = Json::MakeObject();
  j.Set("id", i.id);
  j.Set("workflow", i.workflow);
  j.Set("workflow_version", i.workflow_version);
  j.Set("state", i.state);
  j.Set("version", i.version);
  j.Set("rso_id", i.rso_id);
  j.Set("subject_id", i.subject_id);
  j.Set("title", i.title);
  j.Set("data", i.data);
  j.Set("created_at", i.created_at);
  j.Set("created_by", i.created_by);
  j.Set("updated_at", i.updated_at);
  j.Set("due_at", i.due_at ? Json(*i.due_at) : Json());
  j.Set("terminal", i.terminal);
  return j;
}

Instance InstanceFromJson(const Json& j) {
  Instance i;
  i.id = j.GetInt("id");
  i.workflow = j.GetString("workflow");
  i.workflow_version = static_cast<int>(j.GetInt("workflow_version", 1));
  i.state = j.GetString("state");
  i.version = j.GetInt("version");
  i.rso_id = j.GetString("rso_id");
  i.subject_id = j.GetInt("subject_id");
  i.title = j.GetString("title");
  if (const Json* d = j.Get("data")) i.data = *d;
  i.created_at = j.GetInt("created_at");
  i.created_by = j.GetString("created_by");
  i.updated_at = j.GetInt("updated_at");
  if (const Json* due = j.Get("due_at"); due != nullptr && due->is_int()) i.due_at = due->AsInt();
  i.terminal = j.GetBool("terminal");
  return i;
}

}  // namespace rsoflow
