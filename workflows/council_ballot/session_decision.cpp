#include "workflows/council_ballot/session_decision.h"

#include <string>
#include <vector>

#include "workflows/council_ballot/events.h"
#include "workflows/council_ballot/rules.h"

namespace rsoflow::council_ballot {
namespace {

Json IdOrNull(int64_t id) { return id != 0 ? Json(std::to_string(id)) : Json(); }

Status AppendRegisterEntry(Engine& engine, const Resolution& r, const Command& by) {
  AuditEntry e;
  e.instance_id = 0;
  e.workflow = kResolutionsAuditWorkflow;
  e.workflow_version = 1;
  e.event = "record_resolution";
  e.from_state = "";
  e.to_state = "recorded";
  e.actor_user_id = by.actor.user_id;
  e.actor_username = by.actor.username;
  e.actor_role = by.actor.role;
  e.comment = "Council decision taken in session, resolution " + r.number;
  e.data = ResolutionJson(r);
  e.request_id = by.request_id;
  e.client_ip = by.client_ip;
  e.token_id = by.token_id;
  e.token_issued_by = by.token_issued_by;
  return engine.AppendJobAudit(std::move(e)).status();
}

Command SystemCommand(int64_t instance_id, const std::string& event, const Command& by) {
  Command c;
  c.instance_id = instance_id;
  c.event = event;
  c.actor = Actor::System();
  c.request_id = by.request_id;
  c.client_ip = by.client_ip;
  return c;
}

}  // namespace

Json ResolutionJson(const Resolution& r) {
  Json j = Json::MakeObject();
  j.Set("number", r.number);
  j.Set("year", static_cast<int64_t>(r.year));
  // An imported resolution whose day no source gives has none (workflows/history).
  j.Set("decided_on", r.decided_on.empty() ? Json() : Json(r.decided_on));
  j.Set("title", r.title);
  j.Set("outcome", r.outcome);
  j.Set("source", r.source);
  j.Set("ballot_id", IdOrNull(r.ballot_id));
  j.Set("subject_instance_id", IdOrNull(r.subject_instance_id));
  j.Set("rso_id", r.rso_id.empty() ? Json() : Json(r.rso_id));
  j.Set("recorded_at", FormatTime(r.recorded_at));
  j.Set("recorded_by", r.recorded_by.empty() ? Json() : Json(r.recorded_by));
  return j;
}

Result<Resolution> RecordSessionDecision(Engine& engine, Store& store, Resolution r,
                                         const Command& by) {
  const std::string event = "council_" + r.outcome;  // what a closing ballot sends its subject
  if (r.subject_instance_id != 0) {
    auto subject = store.LoadInstanceForWrite(r.subject_instance_id);
    if (!subject.ok()) return subject.status();
    const Workflow* wf = engine.registry().Find(subject->workflow);
    if (wf == nullptr || !wf->Meta().HasTransition(subject->state, event)) {
      return Status::InvalidTransition("instance " + std::to_string(subject->id) + " in state " +
                                           subject->state + " does not wait for a Council decision",
                                       subject->state, {});
    }
    r.rso_id = subject->rso_id;
  }
  r.source = "session";
  r.recorded_at = engine.clock().NowMs();
  r.recorded_by = by.actor.user_id;
  RSOFLOW_RETURN_IF_ERROR(store.InsertResolution(r));
  RSOFLOW_RETURN_IF_ERROR(AppendRegisterEntry(engine, r, by));
  if (r.subject_instance_id == 0) return r;

  // The subject's open ballot is moot: the Council has decided.
  auto ballots = store.ActiveInstancesWithSubject(kWorkflowName, r.subject_instance_id);
  if (!ballots.ok()) return ballots.status();
  for (int64_t ballot : *ballots) {
    Command cancel = SystemCommand(ballot, events::Cancel::name, by);
    cancel.comment = "decided by the Council in session, resolution " + r.number;
    auto done = engine.RunInJob(cancel);
    if (!done.ok()) return done.status();
  }
  Command decide = SystemCommand(r.subject_instance_id, event, by);
  decide.data.Set("outcome", r.outcome);
  decide.data.Set("resolution", r.number);
  decide.data.Set("decided_on", r.decided_on);
  decide.comment = "Council decision taken in session, resolution " + r.number;
  auto done = engine.RunInJob(decide);
  if (!done.ok()) return done.status();
  return r;
}

std::optional<std::pair<int64_t, int>> ParseResolutionNumber(const std::string& text) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos || slash < 1 || slash > 6 || text.size() != slash + 5) {
    return std::nullopt;
  }
  for (size_t i = 0; i < text.size(); ++i) {
    if (i != slash && (text[i] < '0' || text[i] > '9')) return std::nullopt;
  }
  const int64_t n = std::stoll(text.substr(0, slash));
  const int year = std::stoi(text.substr(slash + 1));
  if (n < 1 || n > 999999 || year < 1900) return std::nullopt;
  return std::pair{n, year};
}

}  // namespace rsoflow::council_ballot
