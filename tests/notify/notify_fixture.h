// NotifyApiTest: the API test server (tests/api/api_fixture.h) with what the notification
// tests share: a dispatcher run by hand on the fake clock (RunOnce, never its thread), webhooks
// created through the API, and reads of the in-app list and the delivery log.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/notify_dispatcher.h"
#include "tests/api/api_fixture.h"
#include "tests/notify/receivers.h"

namespace rsoflow::testing {

inline constexpr const char* kSecret = "a shared secret of the receiver";

class NotifyApiTest : public ApiTest {
 protected:
  std::unique_ptr<api::NotifyDispatcher> Dispatcher(api::SmtpSettings smtp = {});
  // Creates a webhook as the admin; returns its id.
  std::string AddWebhook(const std::string& url, const std::vector<std::string>& events);
  // The items of GET /api/v1/me/notifications<query> as `token`.
  Json Notifications(const std::string& token, const std::string& query = "");
  Json Deliveries(const std::string& webhook_id);
};

// The hex HMAC-SHA256 of `text` under `key`, computed here with OpenSSL (not the server's).
std::string HmacHex(const std::string& key, const std::string& text);
// Undoes quoted-printable (and, with `q_word`, RFC 2047 Q words' "_" for space).
std::string DecodeQuotedPrintable(const std::string& text, bool q_word = false);

}  // namespace rsoflow::testing
