// The SQL statements of the notifications outbox (migration 0011; db/sqlite_notifications.cpp),
// named constants as every statement of db/sql.h, kept apart so that the outbox is one room.
#pragma once

namespace rsoflow::db::sql {

inline constexpr const char* kInsertNotification =
    "INSERT INTO notifications (user_id, at, type, instance_id, title, detail, email_state, "
    "email_next_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
inline constexpr const char* kMarkNotificationsRead =
    "UPDATE notifications SET read_at = ?3 WHERE user_id = ?1 AND id <= ?2 AND read_at IS NULL";
inline constexpr const char* kSetEmailState =
    "UPDATE notifications SET email_state = ?2, email_attempts = ?3, email_next_at = ?4 "
    "WHERE id = ?1";
inline constexpr const char* kListNotifications =
    "SELECT id, user_id, at, type, instance_id, title, detail, read_at, email_state, "
    "email_attempts, email_next_at FROM notifications "
    "WHERE user_id = ?1 AND id < ?2 AND (?3 = 0 OR read_at IS NULL) ORDER BY id DESC LIMIT ?4";
inline constexpr const char* kDueEmails =
    "SELECT id, user_id, at, type, instance_id, title, detail, read_at, email_state, "
    "email_attempts, email_next_at FROM notifications "
    "WHERE email_state = 'pending' AND email_next_at <= ?1 ORDER BY email_next_at, id LIMIT ?2";
inline constexpr const char* kSelectActiveActorsWithRole =
    "SELECT id, username, role, COALESCE(rso_id, ''), affiliated_rso_ids FROM users "
    "WHERE role = ?1 AND disabled = 0 ORDER BY id";
inline constexpr const char* kSelectActiveWebhooks =
    "SELECT id, url, events, secret, created_at, created_by FROM webhooks "
    "WHERE deleted_at IS NULL ORDER BY id";
inline constexpr const char* kListWebhooks =
    "SELECT id, url, events, secret, created_at, created_by FROM webhooks "
    "WHERE deleted_at IS NULL AND id > ?1 ORDER BY id LIMIT ?2";
inline constexpr const char* kSelectWebhook =
    "SELECT id, url, events, secret, created_at, created_by FROM webhooks "
    "WHERE deleted_at IS NULL AND id = ?1";
inline constexpr const char* kInsertWebhook =
    "INSERT INTO webhooks (url, events, secret, created_at, created_by) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
inline constexpr const char* kDeleteWebhook =
    "UPDATE webhooks SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL";
// A deleted webhook's pending deliveries are not attempted any more.
inline constexpr const char* kFailPendingDeliveriesOf =
    "UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL "
    "WHERE webhook_id = ?1 AND status = 'pending'";
inline constexpr const char* kInsertDelivery =
    "INSERT INTO webhook_deliveries (webhook_id, event, at, body, status, attempts, "
    "next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
inline constexpr const char* kUpdateDelivery =
    "UPDATE webhook_deliveries SET status = ?2, attempts = ?3, last_status_code = ?4, "
    "next_attempt_at = ?5 WHERE id = ?1";
inline constexpr const char* kListDeliveries =
    "SELECT id, webhook_id, event, at, body, status, attempts, last_status_code, "
    "next_attempt_at FROM webhook_deliveries WHERE webhook_id = ?1 AND id < ?2 "
    "ORDER BY id DESC LIMIT ?3";
inline constexpr const char* kSelectDelivery =
    "SELECT id, webhook_id, event, at, body, status, attempts, last_status_code, "
    "next_attempt_at FROM webhook_deliveries WHERE id = ?1";
inline constexpr const char* kDueDeliveries =
    "SELECT id, webhook_id, event, at, body, status, attempts, last_status_code, "
    "next_attempt_at FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= ?1 "
    "ORDER BY next_attempt_at, id LIMIT ?2";

}  // namespace rsoflow::db::sql
