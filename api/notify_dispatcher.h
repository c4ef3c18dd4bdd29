// NotifyDispatcher: delivers what the outbox holds (DESIGN 9) after the transitions that wrote
// it committed: webhook deliveries (signed POSTs) and e-mails. At least once: a row is marked
// delivered (or sent) only after its receiver answered, in a write job of the engine, so a
// process that dies in between sends it again after its restart, with the same delivery id.
//
// A webhook delivery is POST url with body {"id","type","at","instance","audit",...} and the
// headers Rsoflow-Event, Rsoflow-Delivery and Rsoflow-Signature: t=<unix seconds>,v1=<hex
// HMAC-SHA256(secret, "<t>.<body>")>. Any 2xx delivers it; otherwise it is tried again after
// 10 s, doubling, until 24 h after the event, then it is `failed`. E-mails back off the same
// way; a user without an e-mail address, or a server without smtp_host, sends none ("none").
//
// Thread-safety: Start/Stop from one thread; RunOnce from one thread at a time (the thread
// Start runs, or a test that does not start it).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "api/notify_senders.h"
#include "engine/clock.h"
#include "engine/engine.h"

namespace rsoflow::api {

struct DispatcherOptions {
  int64_t first_retry_ms = 10 * 1000;
  int64_t give_up_after_ms = 24LL * 3600 * 1000;
  int64_t poll_ms = 1000;  // how often the thread looks for due rows (real time)
  int batch = 100;
  SmtpSettings smtp;
  // The web app's address, for the link in e-mails (e.g. https://rsoflow.example.org).
  std::string public_url = "http://127.0.0.1:8080";
};

// "t=<t>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>".
std::string WebhookSignature(const std::string& secret, int64_t unix_seconds,
                             const std::string& body);

class NotifyDispatcher {
 public:
  NotifyDispatcher(Engine& engine, const Clock& clock, DispatcherOptions options,
                   std::unique_ptr<WebhookSender> webhooks, std::unique_ptr<MailSender> mail);
  ~NotifyDispatcher();

  void Start();
  void Stop();
  // Attempts every delivery and e-mail due now; returns how many it attempted (an e-mail that
  // is not to be sent, to a user without an address, is not counted).
  int RunOnce();

 private:
  void Loop();
  Status AttemptDelivery(DeliveryRow delivery);
  // *attempted: whether it spoke to the SMTP server.
  Status AttemptMail(const NotificationRow& row, bool* attempted);
  // When a failed attempt number `attempts` is tried again, or nullopt: give up.
  std::optional<int64_t> NextAttempt(int64_t first_at, int attempts, int64_t now) const;

  Engine& engine_;
  const Clock& clock_;
  const DispatcherOptions options_;
  std::unique_ptr<WebhookSender> webhooks_;
  std::unique_ptr<MailSender> mail_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace rsoflow::api
