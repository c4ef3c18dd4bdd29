#include "api/views.h"

#include "api/http_util.h"
#include "engine/clock.h"

namespace rsoflow::api {
namespace {

Json TextOrNull(const std::string& s) { return s.empty() ? Json() : Json(s); }

// The row's fields, with what the viewer reads of data, version and updated_at.
Json InstanceJson(const Instance& inst, Json data, int64_t version, int64_t updated_at,
                  const std::vector<std::string>& allowed_events) {
  Json j = Json::MakeObject();
  j.Set("id", std::to_string(inst.id));
  j.Set("workflow", inst.workflow);
  j.Set("workflow_version", inst.workflow_version);
  j.Set("state", inst.state);
  j.Set("version", version);
  j.Set("rso_id", TextOrNull(inst.rso_id));
  j.Set("subject_instance_id", inst.subject_id ? Json(std::to_string(inst.subject_id)) : Json());
  j.Set("title", inst.title);
  j.Set("data", std::move(data));
  j.Set("created_at", FormatTime(inst.created_at));
  j.Set("created_by", inst.created_by);
  j.Set("updated_at", FormatTime(updated_at));
  j.Set("due_at", TimeOrNull(inst.due_at));
  j.Set("terminal", inst.terminal);
  j.Set("allowed_events", StringArray(allowed_events));
  return j;
}

}  // namespace

Json InstanceJson(InstanceView v) {
  Instance& inst = v.instance;
  return InstanceJson(inst, std::move(inst.data), inst.version, inst.updated_at, v.allowed_events);
}

Json InstanceJson(const Engine& engine, const Instance& inst, const Actor& viewer) {
  InstanceSight s = engine.SightOf(inst, viewer);
  return InstanceJson(inst, std::move(s.data), s.version, s.updated_at, s.allowed_events);
}

Json AuditEntryJson(const AuditEntryView& view) {
  const AuditEntry& e = view.entry;
  Json j = Json::MakeObject();
  j.Set("seq", e.seq);
  j.Set("at", FormatTime(e.at));
  // Entries about users and tokens (workflow "accounts") are tied to no instance.
  j.Set("instance_id", e.instance_id != 0 ? Json(std::to_string(e.instance_id)) : Json());
  j.Set("workflow", e.workflow);
  j.Set("workflow_version", e.workflow_version);
  j.Set("event", e.event);
  j.Set("from_state", TextOrNull(e.from_state));
  j.Set("to_state", e.to_state);
  Json actor = Json::MakeObject();
  actor.Set("user_id", view.actor_hidden ? Json() : TextOrNull(e.actor_user_id));
  actor.Set("username", view.actor_hidden ? Json() : Json(e.actor_username));
  actor.Set("role", e.actor_role);
  // The token would point to the voter as surely as the user id.
  actor.Set("token_id", view.actor_hidden ? Json() : TextOrNull(e.token_id));
  actor.Set("token_issued_by", view.actor_hidden ? Json() : TextOrNull(e.token_issued_by));
  j.Set("actor", std::move(actor));
  // Who was acted for names the voter as surely as who acted.
  j.Set("on_behalf_of", view.actor_hidden ? Json() : TextOrNull(e.on_behalf_of));
  j.Set("comment", TextOrNull(e.comment));
  j.Set("data", e.data);
  j.Set("request_id", TextOrNull(e.request_id));
  if (view.salt_shown) j.Set("salt", TextOrNull(e.salt));
  j.Set("prev_hash", view.prev_hash_shown ? Json(e.prev_hash) : Json());
  j.Set("hash", view.hash_shown ? Json(e.hash) : Json());
  if (view.redacted) j.Set("redacted", true);
  return j;
}

}  // namespace rsoflow::api
