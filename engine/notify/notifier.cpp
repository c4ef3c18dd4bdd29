#include "engine/notify/notifier.h"

#include <algorithm>
#include <set>

#include "engine/string_list.h"

namespace rsoflow {
namespace {

constexpr int64_t kMsPerHour = 3600 * 1000;

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// "remind:72h:deadline", "remind:due:action:a1", "remind:idle:returned".
std::string ReminderName(int64_t before_ms, const std::string& what) {
  const std::string when = before_ms == 0 ? "due" : std::to_string(before_ms / kMsPerHour) + "h";
  return std::string(Notifier::kReminderPrefix) + when + ":" + what;
}

// What a webhook reads of an instance: never its data (a ballot's votes are secret).
Json InstanceSummary(const Instance& inst) {
  Json j = Json::MakeObject();
  j.Set("id", std::to_string(inst.id));
  j.Set("workflow", inst.workflow);
  j.Set("state", inst.state);
  j.Set("version", inst.version);
  j.Set("title", inst.title);
  j.Set("rso_id", inst.rso_id.empty() ? Json() : Json(inst.rso_id));
  return j;
}

bool ListsUser(const Json& data, const char* key, const std::string& user_id) {
  const Json* list = data.Get(key);
  if (list == nullptr || !list->is_array()) return false;
  return std::any_of(list->AsArray().begin(), list->AsArray().end(),
                     [&](const Json& v) { return v.is_string() && v.AsString() == user_id; });
}

}  // namespace

Result<std::vector<Actor>> Notifier::WaitingUsers(const Instance& inst, bool done_for) {
  std::vector<Actor> out;
  const Workflow* wf = registry_.Find(inst.workflow);
  if (wf == nullptr || inst.terminal) return out;
  const WorkflowMeta& meta = wf->Meta();
  std::set<std::string> roles;
  for (const TransitionInfo& t : meta.transitions) {
    if (t.from == inst.state) roles.insert(t.roles.begin(), t.roles.end());
  }
  roles.erase(role::kSystem);
  for (const std::string& r : roles) {
    if (!meta.AwaitsAny(meta.EventsFrom(inst.state, r))) continue;
    auto users = store_.ActiveActorsWithRoleForWrite(r);
    if (!users.ok()) return users.status();
    for (Actor& u : *users) {
      if (!policy_.CanSee(u, inst)) continue;
      if (done_for && wf->DoneFor(inst, u)) continue;
      out.push_back(std::move(u));
    }
  }
  return out;
}

Result<std::vector<Actor>> Notifier::UsersWithRoles(const Instance& inst,
                                                    const std::vector<std::string>& roles) {
  std::vector<Actor> out;
  for (const std::string& r : roles) {
    auto users = store_.ActiveActorsWithRoleForWrite(r);
    if (!users.ok()) return users.status();
    for (Actor& u : *users) {
      if (policy_.CanSee(u, inst)) out.push_back(std::move(u));
    }
  }
  return out;
}

Status Notifier::Notify(const std::vector<Actor>& users, const std::string& type,
                        const Instance& inst, const Json& detail) {
  const int64_t now = clock_.NowMs();
  for (const Actor& u : users) {
    NotificationRow n;
    n.user_id = u.user_id;
    n.at = now;
    n.type = type;
    n.instance_id = inst.id;
    n.title = inst.title;
    n.detail = detail;
    n.email_next_at = now;
    auto id = store_.InsertNotification(n);
    if (!id.ok()) return id.status();
  }
  return Status::Ok();
}

Status Notifier::Deliver(const std::string& type, const Instance* inst, const AuditEntry* entry,
                         const Json& extra) {
  auto hooks = store_.ActiveWebhooksForWrite();
  if (!hooks.ok()) return hooks.status();
  std::string body;
  const int64_t now = clock_.NowMs();
  for (const WebhookRow& w : *hooks) {
    if (!Contains(w.events, type)) continue;
    if (body.empty()) {
      Json b = extra.is_object() ? extra : Json::MakeObject();
      b.Set("type", type);
      b.Set("at", FormatTime(now));
      b.Set("instance", inst != nullptr ? InstanceSummary(*inst) : Json());
      Json audit;
      if (entry != nullptr) {
        audit = Json::MakeObject();
        audit.Set("seq", entry->seq);
        audit.Set("hash", entry->hash);
      }
      b.Set("audit", std::move(audit));
      body = b.Dump();
    }
    DeliveryRow d;
    d.webhook_id = w.id;
    d.event = type;
    d.at = now;
    d.body = body;
    d.next_attempt_at = now;
    auto id = store_.InsertDelivery(d);
    if (!id.ok()) return id.status();
  }
  return Status::Ok();
}

Status Notifier::AfterTransition(const Instance& after, const std::string& from_state,
                                 const std::vector<Actor>& waiting_before, const Effects& effects,
                                 const AuditEntry& entry, int64_t* earliest_set) {
  if (!options_.enabled) return Status::Ok();
  const bool created = from_state.empty();
  const bool moved = created || after.state != from_state;
  if (moved) {
    auto waiting = WaitingUsers(after, true);
    if (!waiting.ok()) return waiting.status();
    std::vector<Actor> fresh;
    for (Actor& u : *waiting) {
      if (u.user_id == entry.actor_user_id) continue;  // who acted knows
      const bool was = std::any_of(waiting_before.begin(), waiting_before.end(),
                                   [&](const Actor& b) { return b.user_id == u.user_id; });
      if (!was) fresh.push_back(std::move(u));
    }
    Json detail = Json::MakeObject();
    detail.Set("state", after.state);
    detail.Set("workflow", after.workflow);
    RSOFLOW_RETURN_IF_ERROR(Notify(fresh, "item.waiting", after, detail));
  }
  Json extra = Json::MakeObject();
  extra.Set("event", entry.event);
  extra.Set("from_state", created ? Json() : Json(from_state));
  RSOFLOW_RETURN_IF_ERROR(
      Deliver(created ? "instance.created" : "instance.transitioned", &after, &entry, extra));
  if (!options_.ballot_workflow.empty() && after.workflow == options_.ballot_workflow) {
    if (created) {
      RSOFLOW_RETURN_IF_ERROR(Deliver("ballot.opened", &after, &entry, Json::MakeObject()));
    } else if (moved && after.terminal) {
      // Its electorate and the secretariat learn the outcome.
      std::vector<Actor> told;
      auto council = UsersWithRoles(after, {role::kCouncil});
      if (!council.ok()) return council.status();
      const bool has_electorate = after.data.Has("electorate");
      for (Actor& u : *council) {
        if (!has_electorate || ListsUser(after.data, "electorate", u.user_id)) {
          told.push_back(std::move(u));
        }
      }
      auto secretariat = UsersWithRoles(after, {role::kSecretariat});
      if (!secretariat.ok()) return secretariat.status();
      for (Actor& u : *secretariat) told.push_back(std::move(u));
      Json detail = Json::MakeObject();
      detail.Set("state", after.state);
      detail.Set("workflow", after.workflow);
      RSOFLOW_RETURN_IF_ERROR(Notify(told, "ballot.closed", after, detail));
      RSOFLOW_RETURN_IF_ERROR(Deliver("ballot.closed", &after, &entry, Json::MakeObject()));
    }
  }
  return SetReminders(after, from_state, effects, earliest_set);
}

Status Notifier::AfterJobAudit(const AuditEntry& entry) {
  if (!options_.enabled || entry.event != "attach_document" || entry.instance_id == 0) {
    return Status::Ok();
  }
  auto hooks = store_.ActiveWebhooksForWrite();
  if (!hooks.ok()) return hooks.status();
  const bool wanted = std::any_of(hooks->begin(), hooks->end(), [](const WebhookRow& w) {
    return Contains(w.events, std::string("document.attached"));
  });
  if (!wanted) return Status::Ok();
  auto inst = store_.LoadInstanceForWrite(entry.instance_id);
  if (!inst.ok()) return inst.status();
  Json extra = Json::MakeObject();
  extra.Set("document", entry.data);
  return Deliver("document.attached", &*inst, &entry, extra);
}

Status Notifier::SetReminders(const Instance& after, const std::string& from_state,
                              const Effects& effects, int64_t* earliest_set) {
  if (after.terminal) return Status::Ok();  // its timers, reminders too, are gone
  const int64_t now = clock_.NowMs();
  auto put = [&](const std::string& name, int64_t due) -> Status {
    RSOFLOW_RETURN_IF_ERROR(store_.PutTimer(TimerRow{after.id, name, due, kRemindEvent}));
    *earliest_set = std::min(*earliest_set, due);
    return Status::Ok();
  };
  for (const ReminderRule& rule : options_.reminders) {
    if (rule.workflow != after.workflow) continue;
    if (!rule.timer_prefix.empty()) {
      for (const TimerSpec& t : effects.set_timers) {
        if (!StartsWith(t.name, rule.timer_prefix)) continue;
        for (int64_t before : rule.before_ms) {
          // Only ahead: a reminder whose time has passed has fired (or would be stale), so
          // setting the timer again (a progress report, an extension) cannot repeat it.
          const std::string name = ReminderName(before, t.name);
          if (t.due_at - before > now) {
            RSOFLOW_RETURN_IF_ERROR(put(name, t.due_at - before));
          } else {
            RSOFLOW_RETURN_IF_ERROR(store_.DeleteTimer(after.id, name));
          }
        }
      }
      for (const std::string& cleared : effects.clear_timers) {
        if (!StartsWith(cleared, rule.timer_prefix)) continue;
        for (int64_t before : rule.before_ms) {
          RSOFLOW_RETURN_IF_ERROR(store_.DeleteTimer(after.id, ReminderName(before, cleared)));
        }
      }
    }
    if (!rule.idle_state.empty()) {
      const std::string name = std::string(kReminderPrefix) + "idle:" + rule.idle_state;
      if (after.state == rule.idle_state) {
        RSOFLOW_RETURN_IF_ERROR(put(name, now + rule.idle_ms));  // any event restarts it
      } else if (from_state == rule.idle_state) {
        RSOFLOW_RETURN_IF_ERROR(store_.DeleteTimer(after.id, name));
      }
    }
  }
  return Status::Ok();
}

Status Notifier::FireReminder(const Instance& inst, const std::string& name) {
  if (!options_.enabled || !StartsWith(name, kReminderPrefix)) return Status::Ok();
  const std::string rest = name.substr(std::string(kReminderPrefix).size());
  const size_t colon = rest.find(':');
  if (colon == std::string::npos) return Status::Ok();
  const std::string when = rest.substr(0, colon);
  const std::string what = rest.substr(colon + 1);
  const ReminderRule* rule = nullptr;
  for (const ReminderRule& r : options_.reminders) {
    if (r.workflow != inst.workflow) continue;
    const bool idle = when == "idle" && r.idle_state == what;
    const bool timed =
        when != "idle" && !r.timer_prefix.empty() && StartsWith(what, r.timer_prefix);
    if (idle || timed) {
      rule = &r;
      break;
    }
  }
  if (rule == nullptr) return Status::Ok();  // the setting was removed since: nothing to say
  auto users = rule->roles.empty() ? WaitingUsers(inst, true) : UsersWithRoles(inst, rule->roles);
  if (!users.ok()) return users.status();
  Json detail = Json::MakeObject();
  detail.Set("state", inst.state);
  detail.Set("workflow", inst.workflow);
  detail.Set("timer", what);
  if (when == "idle") {
    detail.Set("reminder", "idle");
    detail.Set("days", rule->idle_ms / kMsPerDay);
  } else if (when == "due") {
    detail.Set("reminder", "overdue");
  } else {
    detail.Set("reminder", "before");
    detail.Set("hours", static_cast<int64_t>(std::atoll(when.c_str())));
  }
  RSOFLOW_RETURN_IF_ERROR(Notify(*users, "reminder.due", inst, detail));
  Json extra = Json::MakeObject();
  extra.Set("reminder", detail);
  return Deliver("reminder.due", &inst, nullptr, extra);
}

}  // namespace rsoflow
