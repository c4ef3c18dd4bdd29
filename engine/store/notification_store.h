// NotificationStore: the transactional outbox of notifications (DESIGN 9, migration 0011), one
// part of the Store (engine/store.h): in-app notifications (which carry their e-mail's state),
// webhooks and their deliveries.
//
// The writer side is called only by the engine's writer thread inside a transaction: the rows
// a transition causes are inserted in that transition's transaction (engine/notify/notifier.h),
// and the dispatcher's outcomes and the admin's changes go through write jobs. The reader side
// is thread-safe and sees the last committed state. A storage failure is Code::kUnavailable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/instance.h"
#include "engine/json.h"
#include "engine/status.h"

namespace rsoflow {

struct NotificationRow {
  int64_t id = 0;
  std::string user_id;
  int64_t at = 0;
  std::string type;  // item.waiting, ballot.closed, reminder.due
  int64_t instance_id = 0;
  std::string title;
  Json detail = Json::MakeObject();  // what the text is rendered from
  std::optional<int64_t> read_at;
  std::string email_state = "pending";  // pending, sent, failed, none
  int email_attempts = 0;
  int64_t email_next_at = 0;
};

struct WebhookRow {
  int64_t id = 0;
  std::string url;
  std::vector<std::string> events;
  std::string secret;
  int64_t created_at = 0;
  std::string created_by;
};

struct DeliveryRow {
  int64_t id = 0;
  int64_t webhook_id = 0;
  std::string event;
  int64_t at = 0;
  std::string body;                // the payload without its "id"
  std::string status = "pending";  // pending, delivered, failed
  int attempts = 0;
  std::optional<int64_t> last_status_code;
  std::optional<int64_t> next_attempt_at;
};

class NotificationStore {
 public:
  virtual ~NotificationStore() = default;

  // ---- writer side ----
  virtual Result<int64_t> InsertNotification(const NotificationRow& row) = 0;
  // Marks the user's notifications up to `up_to_id` read (those already read keep their time).
  virtual Status MarkNotificationsRead(const std::string& user_id, int64_t up_to_id,
                                       int64_t at) = 0;
  virtual Status SetEmailState(int64_t notification_id, const std::string& state, int attempts,
                               int64_t next_at) = 0;
  // Active users with the role, as actors (their RSO and affiliations), ordered by id.
  virtual Result<std::vector<Actor>> ActiveActorsWithRoleForWrite(const std::string& role) = 0;
  virtual Result<std::vector<WebhookRow>> ActiveWebhooksForWrite() = 0;
  virtual Result<int64_t> InsertWebhook(const WebhookRow& row) = 0;
  // kNotFound when there is no such active webhook.
  virtual Status DeleteWebhook(int64_t id, int64_t at) = 0;
  virtual Result<int64_t> InsertDelivery(const DeliveryRow& row) = 0;
  // Writes status, attempts, last_status_code and next_attempt_at of the delivery.
  virtual Status UpdateDelivery(const DeliveryRow& row) = 0;

  // ---- reader side (thread-safe) ----
  // The user's notifications with id < before_id (0: from the newest), newest first.
  virtual Result<std::vector<NotificationRow>> ListNotifications(const std::string& user_id,
                                                                 bool unread_only,
                                                                 int64_t before_id, int limit) = 0;
  virtual Result<std::vector<NotificationRow>> DueEmails(int64_t now, int limit) = 0;
  virtual Result<std::vector<WebhookRow>> ListWebhooks(int64_t after_id, int limit) = 0;
  // An active webhook, with its secret; kNotFound otherwise.
  virtual Result<WebhookRow> GetWebhook(int64_t id) = 0;
  virtual Result<std::vector<DeliveryRow>> ListDeliveries(int64_t webhook_id, int64_t before_id,
                                                          int limit) = 0;
  virtual Result<DeliveryRow> GetDelivery(int64_t id) = 0;
  virtual Result<std::vector<DeliveryRow>> DueDeliveries(int64_t now, int limit) = 0;
};

}  // namespace rsoflow
