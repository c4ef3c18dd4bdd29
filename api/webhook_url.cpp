#include "api/webhook_url.h"

#include <Poco/Exception.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/HostEntry.h>
#include <Poco/URI.h>

namespace rsoflow::api {
namespace {

bool PrivateV4(const unsigned char* b) {
  return b[0] == 0 || b[0] == 10 || b[0] == 127 ||   // this network, private, loopback
         (b[0] == 100 && (b[1] & 0xC0) == 64) ||     // 100.64/10 shared (CGNAT)
         (b[0] == 169 && b[1] == 254) ||             // link-local (cloud metadata)
         (b[0] == 172 && (b[1] & 0xF0) == 16) ||     // 172.16/12
         (b[0] == 192 && b[1] == 168) ||             // 192.168/16
         (b[0] == 192 && b[1] == 0 && b[2] == 0) ||  // IETF protocol assignments
         (b[0] == 198 && (b[1] & 0xFE) == 18) ||     // benchmarking
         b[0] >= 224;                                // multicast, reserved, broadcast
}

}  // namespace

bool IsPrivateAddress(const Poco::Net::IPAddress& a) {
  const auto* b = static_cast<const unsigned char*>(a.addr());
  if (a.family() == Poco::Net::IPAddress::IPv4) return PrivateV4(b);
  if (a.isLoopback() || a.isWildcard() || a.isLinkLocal() || a.isSiteLocal() || a.isMulticast()) {
    return true;
  }
  if ((b[0] & 0xFE) == 0xFC) return true;  // fc00::/7 unique local
  bool v4_mapped = b[10] == 0xFF && b[11] == 0xFF;
  for (int i = 0; i < 10; ++i) v4_mapped = v4_mapped && b[i] == 0;
  return v4_mapped && PrivateV4(b + 12);
}

Result<WebhookTarget> CheckWebhookUrl(const std::string& url, bool allow_private) {
  const Status malformed =
      Status::InvalidRequest("url must be an absolute http or https URL with a host", {"url"});
  WebhookTarget t;
  try {
    Poco::URI uri(url);
    t.scheme = uri.getScheme();
    t.host = uri.getHost();
    t.port = uri.getPort();
    t.path_and_query = uri.getPathAndQuery();
    if (!uri.getUserInfo().empty()) {
      return Status::InvalidRequest("url must not carry a user name or password", {"url"});
    }
  } catch (const Poco::Exception&) {
    return malformed;
  }
  if ((t.scheme != "http" && t.scheme != "https") || t.host.empty() || t.port == 0) {
    return malformed;
  }
  if (t.path_and_query.empty()) t.path_and_query = "/";
  try {
    Poco::Net::IPAddress literal;
    if (Poco::Net::IPAddress::tryParse(t.host, literal)) {
      t.addresses.push_back(literal);
    } else {
      const Poco::Net::HostEntry entry = Poco::Net::DNS::hostByName(t.host);
      for (const auto& a : entry.addresses()) t.addresses.push_back(a);
    }
  } catch (const Poco::Exception&) {
  }
  if (t.addresses.empty()) {
    return Status::GuardFailed(
        {Reason{"webhook_host_unresolved", "the host of url (" + t.host + ") does not resolve"}});
  }
  if (!allow_private) {
    for (const auto& a : t.addresses) {
      if (IsPrivateAddress(a)) {
        return Status::GuardFailed(
            {Reason{"webhook_private_address", "the host of url (" + t.host +
                                                   ") is a private, loopback or link-local "
                                                   "address (" +
                                                   a.toString() +
                                                   "); webhook_allow_private=true admits it"}});
      }
    }
  }
  return t;
}

}  // namespace rsoflow::api
