#include "api/views.h"

#include "api/http_util.h"
#include "engine/clock.h"

namespace rsoflow::api {
namespace {

Json TextOrNull(const std::string& s) { return s.empty() ? Json() : Json(s); }

}  // namespace

Json InstanceJson(const Engine& engine, const Instance& inst, const Actor& viewer) {
  // A liaison reads nothing of an open ballot but its title (DESIGN 4.2): its version and
  // updated_at, which every vote advances, would count the votes (and time them). It reads
  // the ballot as created until it closes.
  const bool frozen =
      viewer.role == role::kLiaison && inst.workflow == "council_ballot" && inst.state == "open";
  Json j = Json::MakeObject();
  j.Set("id", std::to_string(inst.id));
  j.Set("workflow", inst.workflow);
  j.Set("workflow_version", inst.workflow_version);
  j.Set("state", inst.state);
  j.Set("version", frozen ? int64_t{1} : inst.version);
  j.Set("rso_id", TextOrNull(inst.rso_id));
  j.Set("subject_instance_id", inst.subject_id ? Json(std::to_string(inst.subject_id)) : Json());
  j.Set("title", inst.title);
  j.Set("data", engine.ViewData(inst, viewer));
  j.Set("created_at", FormatTime(inst.created_at));
  j.Set("created_by", inst.created_by);
  j.Set("updated_at", FormatTime(frozen ? inst.created_at : inst.updated_at));
  j.Set("due_at", TimeOrNull(inst.due_at));
  j.Set("terminal", inst.terminal);
  j.Set("allowed_events", StringArray(engine.AllowedEvents(inst, viewer)));
  return j;
}

Json AuditEntryJson(const AuditEntry& e) {
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
  actor.Set("user_id", TextOrNull(e.actor_user_id));
  actor.Set("username", e.actor_username);
  actor.Set("role", e.actor_role);
  actor.Set("token_id", TextOrNull(e.token_id));
  actor.Set("token_issued_by", TextOrNull(e.token_issued_by));
  j.Set("actor", std::move(actor));
  j.Set("on_behalf_of", TextOrNull(e.on_behalf_of));
  j.Set("comment", TextOrNull(e.comment));
  j.Set("data", e.data);
  j.Set("request_id", TextOrNull(e.request_id));
  j.Set("salt", TextOrNull(e.salt));
  j.Set("prev_hash", e.prev_hash);
  j.Set("hash", e.hash);
  return j;
}

}  // namespace rsoflow::api
