// Which URLs a webhook may post to (API.md 1.1, "Notifications"): http or https with a host.
// A host that is, or resolves to, a private, loopback, link-local (or otherwise non-public)
// address is refused unless the server runs with webhook_allow_private=true: otherwise an
// admin's webhook could reach services only this machine or its network can (SSRF). The check
// is made when the webhook is created and again before each attempt (DNS may have changed).
//
// Thread-safety: pure functions (name resolution is the system's).
#pragma once

#include <Poco/Net/IPAddress.h>

#include <string>
#include <vector>

#include "engine/status.h"

namespace rsoflow::api {

bool IsPrivateAddress(const Poco::Net::IPAddress& address);

struct WebhookTarget {
  std::string scheme;  // http or https
  std::string host;
  uint16_t port = 0;
  std::string path_and_query;
  std::vector<Poco::Net::IPAddress> addresses;  // resolved, each allowed
};

// InvalidRequest (field url) for a malformed URL; GuardFailed (422, reason code
// webhook_private_address or webhook_host_unresolved) for a refused host.
Result<WebhookTarget> CheckWebhookUrl(const std::string& url, bool allow_private);

}  // namespace rsoflow::api
