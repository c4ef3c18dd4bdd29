#include "api/notify_senders.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/SecureSMTPClientSession.h>
#include <Poco/Net/StringPartSource.h>

#include <istream>
#include <ostream>

#include "api/webhook_url.h"

namespace rsoflow::api {
namespace {

Poco::Net::Context::Ptr ClientTlsContext() {
  // The system's CA certificates, the peer verified (VERIFY_RELAXED verifies a client's peer).
  return new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
                                Poco::Net::Context::VERIFY_RELAXED, 9, true);
}

class HttpWebhookSender final : public WebhookSender {
 public:
  HttpWebhookSender(bool allow_private, int timeout_ms)
      : allow_private_(allow_private), timeout_ms_(timeout_ms) {}

  HttpAttempt Post(const std::string& url, const std::string& body,
                   const std::vector<std::pair<std::string, std::string>>& headers) override {
    auto target = CheckWebhookUrl(url, allow_private_);
    if (!target.ok()) return HttpAttempt{std::nullopt, target.status().message()};
    try {
      std::unique_ptr<Poco::Net::HTTPClientSession> session;
      if (target->scheme == "https") {
        session = std::make_unique<Poco::Net::HTTPSClientSession>(target->host, target->port,
                                                                  ClientTlsContext());
      } else {
        // To the address just checked, not a second look-up that could answer otherwise.
        session = std::make_unique<Poco::Net::HTTPClientSession>(
            Poco::Net::SocketAddress(target->addresses.front(), target->port));
      }
      session->setTimeout(Poco::Timespan(static_cast<long>(timeout_ms_) * 1000));
      Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, target->path_and_query,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
      req.setHost(target->host, target->port);
      req.setContentType("application/json");
      req.setContentLength(static_cast<std::streamsize>(body.size()));
      for (const auto& [name, value] : headers) req.set(name, value);
      session->sendRequest(req) << body;
      Poco::Net::HTTPResponse res;
      std::istream& in = session->receiveResponse(res);
      in.ignore(64 * 1024);  // the answer's body is not kept
      return HttpAttempt{static_cast<int>(res.getStatus()), ""};
    } catch (const Poco::Exception& e) {
      return HttpAttempt{std::nullopt, e.displayText()};
    } catch (const std::exception& e) {
      return HttpAttempt{std::nullopt, e.what()};
    }
  }

 private:
  const bool allow_private_;
  const int timeout_ms_;
};

class SmtpMailSender final : public MailSender {
 public:
  SmtpMailSender(SmtpSettings settings, int timeout_ms)
      : settings_(std::move(settings)), timeout_ms_(timeout_ms) {}

  Status Send(const MailSpec& mail) override {
    try {
      Poco::Net::MailMessage message;
      message.setSender(mail.from);
      message.addRecipient(
          Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, mail.to));
      message.setSubject(Poco::Net::MailMessage::encodeWord(mail.subject, "UTF-8"));
      message.setContentType("text/plain; charset=UTF-8");
      message.setContent(mail.body, Poco::Net::MailMessage::ENCODING_QUOTED_PRINTABLE);
      Poco::Net::SecureSMTPClientSession session(settings_.host, settings_.port);
      session.setTimeout(Poco::Timespan(static_cast<long>(timeout_ms_) * 1000));
      session.login();
      if (settings_.starttls && !session.startTLS(ClientTlsContext())) {
        session.close();
        return Status::Unavailable("the SMTP server does not offer STARTTLS");
      }
      session.sendMessage(message);
      session.close();
      return Status::Ok();
    } catch (const Poco::Exception& e) {
      return Status::Unavailable("SMTP: " + e.displayText());
    }
  }

 private:
  const SmtpSettings settings_;
  const int timeout_ms_;
};

}  // namespace

std::unique_ptr<WebhookSender> MakeHttpWebhookSender(bool allow_private, int timeout_ms) {
  return std::make_unique<HttpWebhookSender>(allow_private, timeout_ms);
}

std::unique_ptr<MailSender> MakeSmtpMailSender(SmtpSettings settings, int timeout_ms) {
  return std::make_unique<SmtpMailSender>(std::move(settings), timeout_ms);
}

}  // namespace rsoflow::api
