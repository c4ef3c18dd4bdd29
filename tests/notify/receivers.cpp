#include "tests/notify/receivers.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>

namespace rsoflow::testing {
namespace {

class RecordingHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RecordingHandler(std::shared_ptr<WebhookReceiver::State> state)
      : state_(std::move(state)) {}
  void handleRequest(Poco::Net::HTTPServerRequest& req,
                     Poco::Net::HTTPServerResponse& res) override {
    WebhookReceiver::Received r;
    r.path = req.getURI();
    Poco::StreamCopier::copyToString(req.stream(), r.body);
    for (const auto& [name, value] : req) r.headers[name] = value;
    int status = 200;
    {
      std::lock_guard<std::mutex> lock(state_->mu);
      state_->received.push_back(std::move(r));
      status = state_->status;
    }
    res.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
    res.setContentLength(0);
    res.send();
  }

 private:
  std::shared_ptr<WebhookReceiver::State> state_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(std::shared_ptr<WebhookReceiver::State> state) : state_(std::move(state)) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RecordingHandler(state_);
  }

 private:
  std::shared_ptr<WebhookReceiver::State> state_;
};

}  // namespace

WebhookReceiver::WebhookReceiver() : state_(std::make_shared<State>()) {
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
  port_ = socket.address().port();
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(state_), socket,
                                                    new Poco::Net::HTTPServerParams);
  server_->start();
}

WebhookReceiver::~WebhookReceiver() { server_->stopAll(true); }

std::string WebhookReceiver::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void WebhookReceiver::AnswerWith(int status) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->status = status;
}

std::vector<WebhookReceiver::Received> WebhookReceiver::received() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->received;
}

SmtpReceiver::SmtpReceiver() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
  port_ = socket_.address().port();
  thread_ = std::thread([this] { Serve(); });
}

SmtpReceiver::~SmtpReceiver() {
  stop_ = true;
  // Wakes the accept with a connection of our own.
  try {
    Poco::Net::StreamSocket wake(Poco::Net::SocketAddress("127.0.0.1", port_));
  } catch (...) {
  }
  thread_.join();
}

std::vector<SmtpReceiver::Message> SmtpReceiver::messages() const {
  std::lock_guard<std::mutex> lock(mu_);
  return messages_;
}

void SmtpReceiver::Serve() {
  while (!stop_) {
    try {
      Poco::Net::StreamSocket s = socket_.acceptConnection();
      if (stop_) break;
      Session(s);
    } catch (...) {
    }
  }
}

void SmtpReceiver::Session(Poco::Net::StreamSocket& s) {
  s.setReceiveTimeout(Poco::Timespan(10, 0));
  std::string buffer;
  auto line = [&](std::string* out) {
    for (;;) {
      const size_t eol = buffer.find("\r\n");
      if (eol != std::string::npos) {
        *out = buffer.substr(0, eol);
        buffer.erase(0, eol + 2);
        return true;
      }
      char chunk[4096];
      const int n = s.receiveBytes(chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer.append(chunk, static_cast<size_t>(n));
    }
  };
  auto say = [&](const std::string& text) {
    const std::string out = text + "\r\n";
    s.sendBytes(out.data(), static_cast<int>(out.size()));
  };
  say("220 test.smtp ESMTP");
  Message m;
  std::string l;
  while (line(&l)) {
    const std::string verb = l.substr(0, 4);
    if (verb == "EHLO" || verb == "HELO") {
      say("250 test.smtp");
    } else if (verb == "MAIL") {
      m = Message{};
      m.mail_from = l.substr(l.find(':') + 1);
      m.mail_from.erase(0, m.mail_from.find_first_not_of(' '));
      say("250 OK");
    } else if (verb == "RCPT") {
      std::string to = l.substr(l.find(':') + 1);
      m.rcpt_to.push_back(to.erase(0, to.find_first_not_of(' ')));
      say("250 OK");
    } else if (verb == "DATA") {
      say("354 go on");
      std::string d;
      while (line(&d) && d != ".") {
        if (!d.empty() && d[0] == '.') d.erase(0, 1);
        m.data += d + "\r\n";
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        messages_.push_back(m);
      }
      say("250 queued");
    } else if (verb == "QUIT") {
      say("221 bye");
      return;
    } else {
      say("250 OK");
    }
  }
}

}  // namespace rsoflow::testing
