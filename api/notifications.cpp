// /api/v1/me/notifications and /api/v1/webhooks (API.md 1.1, "Notifications"): a user's in-app
// notifications, newest first, and the admin's webhooks with their delivery log. The rows are
// written by the transitions themselves (engine/notify/notifier.h) and delivered by the
// dispatcher (api/notify_dispatcher.h); these handlers read them and change what a user or an
// admin may change, through write jobs.
#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include "api/handlers.h"
#include "api/notification_text.h"
#include "api/webhook_url.h"
#include "engine/random.h"

namespace rsoflow::api {
namespace {

const std::set<std::string> kEventTypes = {"instance.created",  "instance.transitioned",
                                           "ballot.opened",     "ballot.closed",
                                           "document.attached", "reminder.due"};

Result<Json> Committed(Engine& engine, Engine::Job job) { return engine.SubmitJob(job).get(); }

// An id sent in a body: a string of digits (ids are strings), or an integer.
std::optional<int64_t> BodyId(const Json* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_int() && v->AsInt() > 0) return v->AsInt();
  if (!v->is_string()) return std::nullopt;
  const std::string& s = v->AsString();
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const int64_t id = std::stoll(s);
  return id > 0 ? std::optional<int64_t>(id) : std::nullopt;
}

Json WebhookJson(const WebhookRow& w) {
  Json j = Json::MakeObject();
  j.Set("id", std::to_string(w.id));
  j.Set("url", w.url);
  Json events = Json::MakeArray();
  for (const auto& e : w.events) events.Push(e);
  j.Set("events", std::move(events));
  j.Set("created_at", FormatTime(w.created_at));
  j.Set("created_by", w.created_by);
  return j;
}

Json DeliveryJson(const DeliveryRow& d) {
  Json j = Json::MakeObject();
  j.Set("id", std::to_string(d.id));
  j.Set("event", d.event);
  j.Set("at", FormatTime(d.at));
  j.Set("status", d.status);
  j.Set("attempts", static_cast<int64_t>(d.attempts));
  j.Set("last_status_code", d.last_status_code ? Json(*d.last_status_code) : Json());
  j.Set("next_attempt_at", TimeOrNull(d.next_attempt_at));
  return j;
}

}  // namespace

Result<Reply> ListMyNotifications(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"unread", "limit", "cursor"}));
  bool unread = false;
  if (auto it = req.query.find("unread"); it != req.query.end()) {
    if (it->second != "true" && it->second != "false") {
      return Status::InvalidRequest("unread must be true or false", {"unread"});
    }
    unread = it->second == "true";
  }
  auto limit = Limit(req);
  if (!limit.ok()) return limit.status();
  auto before = Cursor(req);
  if (!before.ok()) return before.status();
  auto rows = ctx.store().ListNotifications(req.actor.user_id, unread, *before, *limit + 1);
  if (!rows.ok()) return rows.status();
  auto me = ctx.store().GetUser(req.actor.user_id);
  const std::string language = me.ok() ? me->language : "en";
  Json items = Json::MakeArray();
  std::optional<int64_t> next;
  for (const NotificationRow& n : *rows) {
    if (static_cast<int>(items.size()) == *limit) break;
    Json j = Json::MakeObject();
    j.Set("id", std::to_string(n.id));
    j.Set("at", FormatTime(n.at));
    j.Set("type", n.type);
    j.Set("instance_id", std::to_string(n.instance_id));
    j.Set("title", n.title);
    j.Set("text", NotificationText(ctx.engine().registry(), n, language));
    j.Set("read", n.read_at.has_value());
    items.Push(std::move(j));
    next = n.id;
  }
  if (static_cast<int>(rows->size()) <= *limit) next.reset();
  return JsonReply(200, Page(std::move(items), next));
}

Result<Reply> MarkMyNotificationsRead(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  RSOFLOW_RETURN_IF_ERROR(CheckFields(req.body, {"up_to_id"}, {"up_to_id"}));
  const auto up_to = BodyId(req.body.Get("up_to_id"));
  if (!up_to) return Status::InvalidRequest("up_to_id must be a notification id", {"up_to_id"});
  const std::string user = req.actor.user_id;
  const int64_t now = ctx.now();
  auto done = Committed(ctx.engine(), [user, id = *up_to, now](Store& store) -> Result<Json> {
    RSOFLOW_RETURN_IF_ERROR(store.MarkNotificationsRead(user, id, now));
    return Json();
  });
  if (!done.ok()) return done.status();
  return NoContent();
}

Result<Reply> CreateWebhook(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  RSOFLOW_RETURN_IF_ERROR(CheckFields(req.body, {"url", "events", "secret"}, {"url", "events"}));
  auto url = StringField(req.body, "url", 2048, true);
  if (!url.ok()) return url.status();
  WebhookRow w;
  w.url = *url;
  const Json* events = req.body.Get("events");
  if (!events->is_array() || events->size() == 0) {
    return Status::InvalidRequest("events must be a non-empty list of event types", {"events"});
  }
  for (const Json& e : events->AsArray()) {
    if (!e.is_string() || kEventTypes.count(e.AsString()) == 0) {
      return Status::InvalidRequest(
          "events may hold instance.created, instance.transitioned, ballot.opened, "
          "ballot.closed, document.attached, reminder.due",
          {"events"});
    }
    if (std::find(w.events.begin(), w.events.end(), e.AsString()) != w.events.end()) {
      return Status::InvalidRequest("events lists " + e.AsString() + " twice", {"events"});
    }
    w.events.push_back(e.AsString());
  }
  auto secret = StringField(req.body, "secret", 256, false);
  if (!secret.ok()) return secret.status();
  if (secret->empty() && req.body.Has("secret")) {
    return Status::InvalidRequest("secret must not be empty", {"secret"});
  }
  if (!secret->empty() && secret->size() < 16) {
    return Status::InvalidRequest("secret must be at least 16 characters", {"secret"});
  }
  auto target = CheckWebhookUrl(w.url, ctx.options.webhook_allow_private);
  if (!target.ok()) return target.status();
  if (secret->empty()) {
    auto made = RandomHex(32);
    if (!made) return Status::Unavailable("the system random number generator failed");
    *secret = *made;
  }
  w.secret = *secret;
  w.created_at = ctx.now();
  w.created_by = req.actor.user_id;
  auto id = Committed(ctx.engine(), [w](Store& store) -> Result<Json> {
    auto inserted = store.InsertWebhook(w);
    if (!inserted.ok()) return inserted.status();
    return Json(*inserted);
  });
  if (!id.ok()) return id.status();
  w.id = id->AsInt();
  Json j = WebhookJson(w);
  j.Set("secret", w.secret);  // shown this once
  return JsonReply(201, std::move(j));
}

Result<Reply> ListWebhooks(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"limit", "cursor"}));
  auto limit = Limit(req);
  if (!limit.ok()) return limit.status();
  auto after = Cursor(req);
  if (!after.ok()) return after.status();
  auto rows = ctx.store().ListWebhooks(*after, *limit + 1);
  if (!rows.ok()) return rows.status();
  Json items = Json::MakeArray();
  std::optional<int64_t> next;
  for (const WebhookRow& w : *rows) {
    if (static_cast<int>(items.size()) == *limit) break;
    items.Push(WebhookJson(w));
    next = w.id;
  }
  if (static_cast<int>(rows->size()) <= *limit) next.reset();
  return JsonReply(200, Page(std::move(items), next));
}

Result<Reply> DeleteWebhook(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  const int64_t now = ctx.now();
  auto done = Committed(ctx.engine(), [id = *id, now](Store& store) -> Result<Json> {
    RSOFLOW_RETURN_IF_ERROR(store.DeleteWebhook(id, now));
    return Json();
  });
  if (!done.ok()) return done.status();
  return NoContent();
}

Result<Reply> ListWebhookDeliveries(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"limit", "cursor"}));
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  auto limit = Limit(req);
  if (!limit.ok()) return limit.status();
  auto before = Cursor(req);
  if (!before.ok()) return before.status();
  auto hook = ctx.store().GetWebhook(*id);
  if (!hook.ok()) return hook.status();
  auto rows = ctx.store().ListDeliveries(*id, *before, *limit + 1);
  if (!rows.ok()) return rows.status();
  Json items = Json::MakeArray();
  std::optional<int64_t> next;
  for (const DeliveryRow& d : *rows) {
    if (static_cast<int>(items.size()) == *limit) break;
    items.Push(DeliveryJson(d));
    next = d.id;
  }
  if (static_cast<int>(rows->size()) <= *limit) next.reset();
  return JsonReply(200, Page(std::move(items), next));
}

Result<Reply> RedeliverWebhookDelivery(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  auto delivery_id = PathId(req, "delivery_id");
  if (!delivery_id.ok()) return delivery_id.status();
  auto hook = ctx.store().GetWebhook(*id);
  if (!hook.ok()) return hook.status();
  auto d = ctx.store().GetDelivery(*delivery_id);
  if (!d.ok()) return d.status();
  if (d->webhook_id != *id) return Status::NotFound("no such delivery");
  // One more attempt as soon as the dispatcher looks, whatever the delivery's status.
  d->status = "pending";
  d->next_attempt_at = ctx.now();
  auto done = Committed(ctx.engine(), [row = *d](Store& store) -> Result<Json> {
    RSOFLOW_RETURN_IF_ERROR(store.UpdateDelivery(row));
    return Json();
  });
  if (!done.ok()) return done.status();
  Reply r = JsonReply(202, Json::MakeObject());
  return r;
}

}  // namespace rsoflow::api
