// Receivers for the notification tests, on 127.0.0.1 (ephemeral ports): a webhook endpoint
// (Poco's HTTPServer) that records each request before it answers, and a small SMTP server
// that records each message before it accepts it. So once the dispatcher's attempt returned,
// what it sent is here: no test waits for anything.
#pragma once

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/ServerSocket.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rsoflow::testing {

class WebhookReceiver {
 public:
  struct Received {
    std::string path;
    std::string body;
    std::map<std::string, std::string> headers;
  };

  WebhookReceiver();
  ~WebhookReceiver();
  std::string Url(const std::string& path = "/hook") const;
  // The status every request is answered with from now on (200 at first).
  void AnswerWith(int status);
  std::vector<Received> received() const;

  // Shared with the request handlers.
  struct State {
    mutable std::mutex mu;
    int status = 200;
    std::vector<Received> received;
  };

 private:
  std::shared_ptr<State> state_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  uint16_t port_ = 0;
};

class SmtpReceiver {
 public:
  struct Message {
    std::string mail_from;
    std::vector<std::string> rcpt_to;
    std::string data;  // headers and body as sent (dot-stuffing undone)
  };

  SmtpReceiver();
  ~SmtpReceiver();
  uint16_t port() const { return port_; }
  std::vector<Message> messages() const;

 private:
  void Serve();
  void Session(Poco::Net::StreamSocket& socket);

  Poco::Net::ServerSocket socket_;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::vector<Message> messages_;
  std::thread thread_;
};

}  // namespace rsoflow::testing
