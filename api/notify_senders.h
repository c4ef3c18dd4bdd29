// How notifications leave the process (DESIGN 9), behind interfaces so that the dispatcher
// (api/notify_dispatcher.h) is tested without the network: a webhook POST over HTTP(S) and an
// e-mail over SMTP, both on Poco::Net (which only api/ may use).
//
// Thread-safety: a sender is used by the dispatcher's one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/status.h"

namespace rsoflow::api {

struct HttpAttempt {
  std::optional<int> status;  // none: no answer (refused, timed out, not allowed)
  std::string error;
};

class WebhookSender {
 public:
  virtual ~WebhookSender() = default;
  virtual HttpAttempt Post(const std::string& url, const std::string& body,
                           const std::vector<std::pair<std::string, std::string>>& headers) = 0;
};

struct SmtpSettings {
  std::string host;  // empty: no e-mail is sent
  uint16_t port = 25;
  std::string from;
  bool starttls = false;
};

struct MailSpec {
  std::string from;
  std::string to;
  std::string subject;  // UTF-8; encoded as RFC 2047 words
  std::string body;     // UTF-8 plain text
};

class MailSender {
 public:
  virtual ~MailSender() = default;
  virtual Status Send(const MailSpec& mail) = 0;
};

// POSTs with a `timeout_ms` limit on connecting, sending and reading the answer; checks the
// host's addresses again before connecting (CheckWebhookUrl).
std::unique_ptr<WebhookSender> MakeHttpWebhookSender(bool allow_private, int timeout_ms);
std::unique_ptr<MailSender> MakeSmtpMailSender(SmtpSettings settings, int timeout_ms);

}  // namespace rsoflow::api
