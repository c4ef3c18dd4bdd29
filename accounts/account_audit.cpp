#include "accounts/account_audit.h"

namespace rsoflow::accounts {

Json SubjectData(const UserRecord& u) {
  Json j = Json::MakeObject();
  j.Set("user_id", u.id);
  j.Set("username", u.username);
  j.Set("role", u.role);
  return j;
}

Status AppendAccountEntry(Engine& engine, const Acting& by, const std::string& event,
                          const std::string& from_state, const std::string& to_state, Json data) {
  AuditEntry e;
  e.instance_id = 0;
  e.workflow = kAccountsWorkflow;
  e.workflow_version = 1;
  e.event = event;
  e.from_state = from_state;
  e.to_state = to_state;
  e.actor_user_id = by.actor.user_id;
  e.actor_username = by.actor.username;
  e.actor_role = by.actor.role;
  e.data = std::move(data);
  e.request_id = by.request_id;
  e.client_ip = by.client_ip;
  e.token_id = by.token_id;
  e.token_issued_by = by.token_issued_by;
  return engine.AppendJobAudit(std::move(e)).status();
}

}  // namespace rsoflow::accounts
