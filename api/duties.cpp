// Separation of duties (issue 17, finding 2): the audit names the token or session behind
// every change and who issued it. The rule that a Council member's events need a credential
// the member obtained itself is the access policy's (AccessPolicy::CheckOwnCredential, the
// roles from WorkflowMeta::own_credential_roles); the routes pass it what the request carries.
#include "api/handlers.h"

namespace rsoflow::api {

accounts::Acting ActingFor(const Request& req) {
  accounts::Acting by;
  by.actor = req.actor;
  by.token_id = req.token_id;
  by.token_issued_by = req.token_issued_by;
  by.request_id = req.request_id;
  by.client_ip = req.client_ip;
  return by;
}

}  // namespace rsoflow::api
