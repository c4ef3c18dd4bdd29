// Separation of duties (issue 17, finding 2): the audit names the token or session behind
// every change and who issued it, and a Council member's events need a credential the member
// obtained itself. An admin may still issue tokens for other users: they serve integrations
// (any event but the Council's), and each is on the record (accounts "token_created").
#include <spdlog/spdlog.h>

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

Status CheckOwnCredential(const Request& req) {
  if (req.actor.role != role::kCouncil || req.token_issued_by == req.actor.user_id) {
    return Status::Ok();
  }
  // Refused attempts are logged, not audited (DESIGN 3.3): who, what, why.
  spdlog::info("refused: user={} role={} token={} issued_by={:?} request_id={}: token_not_own",
               req.actor.username, req.actor.role, req.token_id, req.token_issued_by,
               req.request_id);
  const std::string issuer = req.token_issued_by.empty()            ? "an unknown issuer"
                             : req.token_issued_by == role::kSystem ? "the command line"
                                                                    : "user " + req.token_issued_by;
  return Status::Forbidden(
      "token " + req.token_id + " was issued for this Council member by " + issuer +
          ": Council events (a vote, a recusal) are accepted only with a session or token the "
          "member obtained itself (sign in)",
      Reason{"token_not_own",
             "a Council member acts only with a session or token it obtained itself, not one "
             "issued for it by someone else"});
}

}  // namespace rsoflow::api
