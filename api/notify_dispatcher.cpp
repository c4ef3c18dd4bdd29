#include "api/notify_dispatcher.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <spdlog/spdlog.h>

#include "api/notification_text.h"

namespace rsoflow::api {

std::string WebhookSignature(const std::string& secret, int64_t t, const std::string& body) {
  const std::string signed_text = std::to_string(t) + "." + body;
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(signed_text.data()), signed_text.size(), mac, &len);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) {
    hex += kHex[mac[i] >> 4];
    hex += kHex[mac[i] & 15];
  }
  return "t=" + std::to_string(t) + ",v1=" + hex;
}

NotifyDispatcher::NotifyDispatcher(Engine& engine, const Clock& clock, DispatcherOptions options,
                                   std::unique_ptr<WebhookSender> webhooks,
                                   std::unique_ptr<MailSender> mail)
    : engine_(engine),
      clock_(clock),
      options_(std::move(options)),
      webhooks_(std::move(webhooks)),
      mail_(std::move(mail)) {}

NotifyDispatcher::~NotifyDispatcher() { Stop(); }

void NotifyDispatcher::Start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void NotifyDispatcher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void NotifyDispatcher::Loop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    // A full batch: more may be due at once.
    while (RunOnce() >= options_.batch) {
    }
    lock.lock();
    cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [this] { return stop_; });
  }
}

std::optional<int64_t> NotifyDispatcher::NextAttempt(int64_t first_at, int attempts,
                                                     int64_t now) const {
  int64_t delay = options_.first_retry_ms;
  for (int i = 1; i < attempts && delay < options_.give_up_after_ms; ++i) delay *= 2;
  if (now + delay - first_at > options_.give_up_after_ms) return std::nullopt;
  return now + delay;
}

int NotifyDispatcher::RunOnce() {
  const int64_t now = clock_.NowMs();
  int attempts = 0;
  Store& store = engine_.store();
  auto due = store.DueDeliveries(now, options_.batch);
  if (!due.ok()) {
    spdlog::warn("webhook deliveries not read: {}", due.status().ToString());
  } else {
    for (DeliveryRow& d : *due) {
      Status st = AttemptDelivery(std::move(d));
      if (!st.ok()) spdlog::warn("webhook delivery not recorded: {}", st.ToString());
      ++attempts;
    }
  }
  auto mails = store.DueEmails(now, options_.batch);
  if (!mails.ok()) {
    spdlog::warn("e-mails not read: {}", mails.status().ToString());
  } else {
    for (const NotificationRow& n : *mails) {
      bool attempted = false;
      Status st = AttemptMail(n, &attempted);
      if (!st.ok()) spdlog::warn("e-mail not recorded: {}", st.ToString());
      if (attempted) ++attempts;
    }
  }
  return attempts;
}

Status NotifyDispatcher::AttemptDelivery(DeliveryRow d) {
  auto hook = engine_.store().GetWebhook(d.webhook_id);
  const int64_t now = clock_.NowMs();
  if (!hook.ok() && hook.status().code() != Status::Code::kNotFound) return hook.status();
  if (!hook.ok()) {  // deleted since: never attempted again
    d.status = "failed";
    d.next_attempt_at.reset();
  } else {
    Json body = ParseJson(d.body, nullptr, 256).value_or(Json::MakeObject());
    body.Set("id", std::to_string(d.id));
    const std::string text = body.Dump();
    const HttpAttempt answer =
        webhooks_->Post(hook->url, text,
                        {{"Rsoflow-Event", d.event},
                         {"Rsoflow-Delivery", std::to_string(d.id)},
                         {"Rsoflow-Signature", WebhookSignature(hook->secret, now / 1000, text)}});
    d.attempts += 1;
    d.last_status_code = answer.status ? std::optional<int64_t>(*answer.status) : std::nullopt;
    if (answer.status && *answer.status >= 200 && *answer.status < 300) {
      d.status = "delivered";
      d.next_attempt_at.reset();
    } else {
      d.next_attempt_at = NextAttempt(d.at, d.attempts, now);
      d.status = d.next_attempt_at ? "pending" : "failed";
      spdlog::info("webhook delivery {} to {} not delivered (attempt {}): {}", d.id, hook->url,
                   d.attempts,
                   answer.status ? "HTTP " + std::to_string(*answer.status) : answer.error);
    }
  }
  return engine_
      .SubmitJob([d](Store& store) -> Result<Json> {
        RSOFLOW_RETURN_IF_ERROR(store.UpdateDelivery(d));
        return Json();
      })
      .get()
      .status();
}

Status NotifyDispatcher::AttemptMail(const NotificationRow& n, bool* attempted) {
  std::string state = "none";
  int attempts = n.email_attempts;
  int64_t next_at = n.email_next_at;
  auto user = engine_.store().GetUser(n.user_id);
  if (!user.ok() && user.status().code() != Status::Code::kNotFound) return user.status();
  if (!options_.smtp.host.empty() && mail_ && user.ok() && !user->email.empty() &&
      !user->disabled) {
    const std::string link = options_.public_url + "/#/instances/" + std::to_string(n.instance_id);
    const MailText text = NotificationMail(engine_.registry(), n, user->language, link);
    Status sent = mail_->Send(MailSpec{options_.smtp.from, user->email, text.subject, text.body});
    *attempted = true;
    attempts += 1;
    if (sent.ok()) {
      state = "sent";
    } else {
      const auto next = NextAttempt(n.at, attempts, clock_.NowMs());
      state = next ? "pending" : "failed";
      next_at = next.value_or(next_at);
      spdlog::info("e-mail of notification {} not sent (attempt {}): {}", n.id, attempts,
                   sent.ToString());
    }
  }
  const int64_t id = n.id;
  return engine_
      .SubmitJob([id, state, attempts, next_at](Store& store) -> Result<Json> {
        RSOFLOW_RETURN_IF_ERROR(store.SetEmailState(id, state, attempts, next_at));
        return Json();
      })
      .get()
      .status();
}

}  // namespace rsoflow::api
