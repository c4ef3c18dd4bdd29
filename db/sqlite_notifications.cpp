// SqliteStore's NotificationStore (engine/store/notification_store.h): the outbox of
// migration 0011.

#include "db/query.h"
#include "db/sql_notify.h"
#include "db/sqlite_rows.h"
#include "db/sqlite_store.h"

namespace rsoflow::db {
namespace {

NotificationRow ReadNotification(const Statement& s) {
  NotificationRow n;
  n.id = s.Int(0);
  n.user_id = std::to_string(s.Int(1));
  n.at = s.Int(2);
  n.type = s.Text(3);
  n.instance_id = s.Int(4);
  n.title = s.Text(5);
  n.detail = ParseStoredJson(s.Text(6));
  n.read_at = s.OptionalInt(7);
  n.email_state = s.Text(8);
  n.email_attempts = static_cast<int>(s.Int(9));
  n.email_next_at = s.Int(10);
  return n;
}

WebhookRow ReadWebhook(const Statement& s) {
  WebhookRow w;
  w.id = s.Int(0);
  w.url = s.Text(1);
  w.events = StringsFromJson(s.Text(2));
  w.secret = s.Text(3);
  w.created_at = s.Int(4);
  w.created_by = s.Text(5);
  return w;
}

DeliveryRow ReadDelivery(const Statement& s) {
  DeliveryRow d;
  d.id = s.Int(0);
  d.webhook_id = s.Int(1);
  d.event = s.Text(2);
  d.at = s.Int(3);
  d.body = s.Text(4);
  d.status = s.Text(5);
  d.attempts = static_cast<int>(s.Int(6));
  d.last_status_code = s.OptionalInt(7);
  d.next_attempt_at = s.OptionalInt(8);
  return d;
}

Actor ReadActor(const Statement& s) {
  Actor a;
  a.user_id = std::to_string(s.Int(0));
  a.username = s.Text(1);
  a.role = s.Text(2);
  a.rso_id = s.Text(3);
  a.affiliated_rso_ids = StringsFromJson(s.Text(4));
  return a;
}

}  // namespace

Result<int64_t> SqliteStore::InsertNotification(const NotificationRow& n) {
  Query q = Write(sql::kInsertNotification, "insert notification");
  RSOFLOW_RETURN_IF_ERROR(q.Bind(ToId(n.user_id), n.at, n.type, n.instance_id, n.title,
                                 n.detail.Dump(), n.email_state, n.email_next_at)
                              .Run());
  return q.LastInsertId();
}

Status SqliteStore::MarkNotificationsRead(const std::string& user_id, int64_t up_to_id,
                                          int64_t at) {
  return Write(sql::kMarkNotificationsRead, "mark notifications read")
      .Bind(ToId(user_id), up_to_id, at)
      .Run();
}

Status SqliteStore::SetEmailState(int64_t id, const std::string& state, int attempts,
                                  int64_t next_at) {
  return Write(sql::kSetEmailState, "set e-mail state").Bind(id, state, attempts, next_at).Run();
}

Result<std::vector<Actor>> SqliteStore::ActiveActorsWithRoleForWrite(const std::string& role) {
  return Query(*writer_, sql::kSelectActiveActorsWithRole, "active actors with role")
      .Bind(role)
      .All(ReadActor);
}

Result<std::vector<WebhookRow>> SqliteStore::ActiveWebhooksForWrite() {
  return Query(*writer_, sql::kSelectActiveWebhooks, "active webhooks").All(ReadWebhook);
}

Result<int64_t> SqliteStore::InsertWebhook(const WebhookRow& w) {
  Json events = Json::MakeArray();
  for (const auto& e : w.events) events.Push(e);
  Query q = Write(sql::kInsertWebhook, "insert webhook");
  RSOFLOW_RETURN_IF_ERROR(q.Bind(w.url, events.Dump(), w.secret, w.created_at, w.created_by).Run());
  return q.LastInsertId();
}

Status SqliteStore::DeleteWebhook(int64_t id, int64_t at) {
  Query q = Write(sql::kDeleteWebhook, "delete webhook");
  RSOFLOW_RETURN_IF_ERROR(q.Bind(id, at).Run());
  if (q.Changes() == 0) return Status::NotFound("no such webhook");
  return Write(sql::kFailPendingDeliveriesOf, "fail pending deliveries").Bind(id).Run();
}

Result<int64_t> SqliteStore::InsertDelivery(const DeliveryRow& d) {
  Query q = Write(sql::kInsertDelivery, "insert delivery");
  RSOFLOW_RETURN_IF_ERROR(
      q.Bind(d.webhook_id, d.event, d.at, d.body, d.status, d.attempts, d.next_attempt_at).Run());
  return q.LastInsertId();
}

Status SqliteStore::UpdateDelivery(const DeliveryRow& d) {
  return Write(sql::kUpdateDelivery, "update delivery")
      .Bind(d.id, d.status, d.attempts, d.last_status_code, d.next_attempt_at)
      .Run();
}

Result<std::vector<NotificationRow>> SqliteStore::ListNotifications(const std::string& user_id,
                                                                    bool unread_only,
                                                                    int64_t before_id, int limit) {
  const int64_t before = before_id > 0 ? before_id : INT64_MAX;
  return OnReader([&](Connection& c) {
    return Query(c, sql::kListNotifications, "list notifications")
        .Bind(ToId(user_id), before, unread_only ? 1 : 0, limit)
        .All(ReadNotification);
  });
}

Result<std::vector<NotificationRow>> SqliteStore::DueEmails(int64_t now, int limit) {
  return OnReader([&](Connection& c) {
    return Query(c, sql::kDueEmails, "due e-mails").Bind(now, limit).All(ReadNotification);
  });
}

Result<std::vector<WebhookRow>> SqliteStore::ListWebhooks(int64_t after_id, int limit) {
  return OnReader([&](Connection& c) {
    return Query(c, sql::kListWebhooks, "list webhooks").Bind(after_id, limit).All(ReadWebhook);
  });
}

Result<WebhookRow> SqliteStore::GetWebhook(int64_t id) {
  auto found = OnReader([&](Connection& c) {
    return Query(c, sql::kSelectWebhook, "select webhook").Bind(id).First(ReadWebhook);
  });
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::NotFound("no such webhook");
  return std::move(**found);
}

Result<std::vector<DeliveryRow>> SqliteStore::ListDeliveries(int64_t webhook_id, int64_t before_id,
                                                             int limit) {
  const int64_t before = before_id > 0 ? before_id : INT64_MAX;
  return OnReader([&](Connection& c) {
    return Query(c, sql::kListDeliveries, "list deliveries")
        .Bind(webhook_id, before, limit)
        .All(ReadDelivery);
  });
}

Result<DeliveryRow> SqliteStore::GetDelivery(int64_t id) {
  auto found = OnReader([&](Connection& c) {
    return Query(c, sql::kSelectDelivery, "select delivery").Bind(id).First(ReadDelivery);
  });
  if (!found.ok()) return found.status();
  if (!found->has_value()) return Status::NotFound("no such delivery");
  return std::move(**found);
}

Result<std::vector<DeliveryRow>> SqliteStore::DueDeliveries(int64_t now, int limit) {
  return OnReader([&](Connection& c) {
    return Query(c, sql::kDueDeliveries, "due deliveries").Bind(now, limit).All(ReadDelivery);
  });
}

}  // namespace rsoflow::db
