// Import: the document's objects written in one job of the engine's writer (one transaction).
// RSOs, initiatives and plans are created by their workflow's own Create (its checks, the RSO
// record), then put in their historical state; ballots, whose electorate and votes are not
// known, are written as closed with the recorded outcome and tally only.
// Over 400 lines on purpose: one class, the Importer, whose one method per section shares its
// key claims, its audit entry and its report; split by section they would pass all of it around.
#include <string>
#include <vector>

#include "engine/clock.h"
#include "engine/writer_env.h"
#include "workflows/council_ballot/session_decision.h"
#include "workflows/history/import.h"
#include "workflows/history/import_internal.h"
#include "workflows/rso_records.h"

namespace rsoflow::history {
namespace {

// A workflow's refusal of an object, said of the object: its fields as paths under `path`.
Status Of(const Status& st, const std::string& path, const std::string& label) {
  const std::string where = path + " (" + label + "): ";
  switch (st.code()) {
    case Status::Code::kInvalidRequest: {
      std::vector<std::string> fields;
      for (const auto& f : st.fields()) fields.push_back(path + "." + f);
      if (fields.empty()) fields.push_back(path);
      return Status::InvalidRequest(where + st.message(), fields);
    }
    case Status::Code::kGuardFailed: {
      std::string why;
      for (const auto& r : st.reasons()) why += (why.empty() ? "" : "; ") + r;
      return Status::InvalidRequest(where + why, {path});
    }
    case Status::Code::kDuplicate:
      return Status::Duplicate(where + st.message());
    case Status::Code::kUnavailable:
      return st;
    default:
      return Status::InvalidRequest(where + st.message(), {path});
  }
}

Json Without(const Json& obj, const std::vector<std::string>& keys) {
  Json out = obj;
  for (const auto& k : keys) out.Erase(k);
  return out;
}

Json One(const char* key, Json value) {
  Json j = Json::MakeObject();
  j.Set(key, std::move(value));
  return j;
}

Json DateOrNull(const Json& obj, const char* key) {
  const Json* v = obj.Get(key);
  return v == nullptr ? Json() : *v;
}

class Importer {
 public:
  Importer(Engine& engine, Store& store, const Command& by, ImportReport& report)
      : engine_(engine), store_(store), env_(store), by_(by), report_(report) {
    now_ = engine.clock().NowMs();
  }

  Status Run(const Json& doc) {
    auto each = [&](const char* section, auto fn) -> Status {
      const Json* list = doc.Get(section);
      if (list == nullptr) return Status::Ok();
      for (size_t i = 0; i < list->size(); ++i) {
        RSOFLOW_RETURN_IF_ERROR(fn(list->AsArray()[i], PathOf(section, i)));
        ++report_.counts[section];
      }
      return Status::Ok();
    };
    RSOFLOW_RETURN_IF_ERROR(
        each("rsos", [&](const Json& o, const std::string& p) { return Rso(o, p); }));
    RSOFLOW_RETURN_IF_ERROR(
        each("iso_events", [&](const Json& o, const std::string& p) { return IsoEvent(o, p); }));
    RSOFLOW_RETURN_IF_ERROR(each("resolutions", [&](const Json& o, const std::string& p) {
      return StandaloneResolution(o, p);
    }));
    RSOFLOW_RETURN_IF_ERROR(
        each("ballots", [&](const Json& o, const std::string& p) { return Ballot(o, p); }));
    RSOFLOW_RETURN_IF_ERROR(each("initiatives", [&](const Json& o, const std::string& p) {
      return Finished(o, p, "partnership_initiative");
    }));
    return each("momentum_plans", [&](const Json& o, const std::string& p) {
      return Finished(o, p, "momentum_plan");
    });
  }

 private:
  // The object's external key, taken once for ever: a second import of it is refused.
  Status Claim(const std::string& section, const std::string& key, const std::string& path,
               const Json& ids) {
    Record r;
    r.kind = kImportKeyKind;
    r.key = section + ":" + key;
    r.data = ids;
    r.data.Set("imported_at", FormatTime(now_));
    r.created_at = r.updated_at = now_;
    auto id = store_.InsertRecord(r);
    if (id.ok()) return Status::Ok();
    if (id.status().code() == Status::Code::kDuplicate) {
      return Status::Duplicate(path + " (" + key + ") was imported before: " + section +
                               " are imported once");
    }
    return id.status();
  }

  Status Audit(int64_t instance_id, const std::string& workflow, int version,
               const std::string& to_state, const Json& effective_on, const std::string& key,
               const Json& imported, const std::string& comment, Json extra = Json()) {
    AuditEntry e;
    e.instance_id = instance_id;
    e.workflow = workflow;
    e.workflow_version = version;
    e.event = "import";
    e.to_state = to_state;
    e.actor_user_id = by_.actor.user_id;
    e.actor_username = by_.actor.username;
    e.actor_role = by_.actor.role;
    e.comment = comment;
    e.data = extra.is_object() ? extra : Json::MakeObject();
    e.data.Set("effective_on", effective_on);
    e.data.Set("key", key);
    e.data.Set("imported", imported);
    e.request_id = by_.request_id;
    e.client_ip = by_.client_ip;
    e.token_id = by_.token_id;
    e.token_issued_by = by_.token_issued_by;
    auto head = engine_.AppendJobAudit(std::move(e));
    if (!head.ok()) return head.status();
    if (report_.first_seq == 0) report_.first_seq = head->seq;
    report_.last_seq = head->seq;
    return Status::Ok();
  }

  Result<std::string> RsoId(const std::string& acronym, const std::string& field) {
    if (auto it = report_.rso_ids.find(acronym); it != report_.rso_ids.end()) return it->second;
    int64_t after = 0;
    while (true) {
      auto page = store_.ListRecords(rso::kRsoKind, after, 500);
      if (!page.ok()) return page.status();
      for (const Record& r : *page) {
        if (r.key == acronym) return r.id;
      }
      if (page->size() < 500) break;
      after = std::stoll(page->back().id);
    }
    return Status::InvalidRequest(field + ": no RSO " + acronym + " is registered or imported",
                                  {field});
  }

  Result<std::string> EventId(const std::string& key, const std::string& field) {
    auto it = report_.iso_event_ids.find(key);
    if (it != report_.iso_event_ids.end()) return it->second;
    return Status::InvalidRequest(field + ": no ISO event with key " + key + " in this import",
                                  {field});
  }

  Status InsertResolution(Resolution r, const std::string& field) {
    r.source = "import";
    r.recorded_at = now_;
    r.recorded_by = by_.actor.user_id;
    Status st = store_.InsertResolution(r);
    if (st.code() == Status::Code::kDuplicate) {
      return Status::Duplicate(field + ": resolution " + r.number + " is already in the register");
    }
    return st;
  }

  Result<Instance> Insert(const Workflow& wf, CreateOutcome created, const std::string& state,
                          const std::string& rso_id) {
    Instance inst;
    inst.workflow = wf.Meta().name;
    inst.workflow_version = wf.Meta().version;
    inst.state = state;
    inst.version = 1;
    inst.rso_id = created.rso_id.empty() ? rso_id : created.rso_id;
    inst.title = created.title;
    inst.data = std::move(created.data);
    inst.data.Set("imported", true);
    inst.created_at = inst.updated_at = now_;
    inst.created_by = by_.actor.is_system() ? std::string("system") : by_.actor.user_id;
    inst.terminal = wf.Meta().IsTerminal(state);
    auto id = store_.InsertInstance(inst);
    if (!id.ok()) return id.status();
    inst.id = *id;
    return inst;
  }

  const Workflow* Find(const std::string& name) const { return engine_.registry().Find(name); }

  Status Rso(const Json& o, const std::string& path) {
    const std::string acronym = o.GetString("acronym");
    const Workflow* wf = Find("rso_recognition");
    if (wf == nullptr) return Status::Undecidable("no rso_recognition workflow in this build");
    // Claimed first: an RSO imported before is told as such, not as an acronym taken.
    RSOFLOW_RETURN_IF_ERROR(Claim("rsos", acronym, path, Json::MakeObject()));
    const Json dossier = Without(o, {"recognized_on", "resolution"});
    CreateRequest req{by_.actor, dossier, "", 0, now_, env_};
    auto created = wf->Create(req);
    if (!created.ok()) return Of(created.status(), path, acronym);
    const std::string rso_id = created->rso_id;
    const Json recognized_on = DateOrNull(o, "recognized_on");
    const Json resolution = DateOrNull(o, "resolution");
    created->data.Set("recognized_on", recognized_on);
    created->data.Set("resolution", resolution);
    auto inst = Insert(*wf, std::move(created).value(), "recognized", rso_id);
    if (!inst.ok()) return inst.status();
    if (resolution.is_string()) {
      const auto number = ParseResolutionNumber(resolution.AsString());
      Resolution r;
      r.ordinal = number->first;
      r.year = number->second;
      r.number = resolution.AsString();
      r.decided_on = recognized_on.is_string() ? recognized_on.AsString() : "";
      r.title = "Recognition of " + acronym + " (" + o.GetString("name") + ") as a " +
                (o.GetString("kind") == "regional" ? "regional" : "sub-regional") +
                " standards organization";
      r.outcome = "approved";
      r.subject_instance_id = inst->id;
      r.rso_id = rso_id;
      RSOFLOW_RETURN_IF_ERROR(InsertResolution(r, path + ".resolution"));
    }
    report_.rso_ids[acronym] = rso_id;
    report_.recognition_ids[acronym] = inst->id;
    return Audit(inst->id, inst->workflow, inst->workflow_version, inst->state, recognized_on,
                 acronym, o,
                 "historical recognition imported" +
                     (resolution.is_string() ? ", resolution " + resolution.AsString() : ""));
  }

  Status IsoEvent(const Json& o, const std::string& path) {
    const std::string key = o.GetString("key");
    Json body = Without(o, {"key", "rsos"});
    Json ids = Json::MakeArray();
    if (const Json* rsos = o.Get("rsos")) {
      for (const Json& a : rsos->AsArray()) {
        auto id = RsoId(a.AsString(), path + ".rsos");
        if (!id.ok()) return id.status();
        ids.Push(*id);
      }
    }
    body.Set("rso_ids", ids);
    auto fields = rso::ValidateIsoEvent(body);
    if (!fields.ok()) return Of(fields.status(), path, key);
    Record record;
    record.kind = rso::kIsoEventKind;
    record.key = rso::IsoEventKey(*fields);
    record.data = *fields;
    record.created_at = record.updated_at = now_;
    auto id = store_.InsertRecord(record);
    if (!id.ok()) {
      if (id.status().code() != Status::Code::kDuplicate) return id.status();
      return Status::Duplicate(path + " (" + key + "): an ISO event '" + record.key +
                               "' is already registered");
    }
    RSOFLOW_RETURN_IF_ERROR(Claim("iso_events", key, path, One("iso_event_id", *id)));
    report_.iso_event_ids[key] = *id;
    Json extra = Json::MakeObject();
    extra.Set("iso_event_id", *id);
    return Audit(0, kIsoEventsAuditWorkflow, 1, "recorded", *o.Get("starts_on"), key, o,
                 "past ISO event imported", extra);
  }

  Status StandaloneResolution(const Json& o, const std::string& path) {
    const std::string number = o.GetString("number");
    const auto parsed = ParseResolutionNumber(number);
    Resolution r;
    r.ordinal = parsed->first;
    r.year = parsed->second;
    r.number = number;
    r.decided_on = o.GetString("decided_on");
    r.title = o.GetString("title");
    r.outcome = o.GetString("outcome");
    if (o.Has("rso")) {
      auto id = RsoId(o.GetString("rso"), path + ".rso");
      if (!id.ok()) return id.status();
      r.rso_id = *id;
    }
    RSOFLOW_RETURN_IF_ERROR(InsertResolution(r, path + ".number"));
    r.source = "import";
    r.recorded_at = now_;
    r.recorded_by = by_.actor.user_id;
    Json extra = Json::MakeObject();
    extra.Set("resolution", council_ballot::ResolutionJson(r));
    return Audit(0, council_ballot::kResolutionsAuditWorkflow, 1, "recorded",
                 DateOrNull(o, "decided_on"), number, o,
                 "Council resolution " + number + " imported", extra);
  }

  Status Ballot(const Json& o, const std::string& path) {
    const std::string key = o.GetString("key");
    const Workflow* wf = Find("council_ballot");
    if (wf == nullptr) return Status::Undecidable("no council_ballot workflow in this build");
    RSOFLOW_RETURN_IF_ERROR(Claim("ballots", key, path, Json::MakeObject()));
    CreateOutcome c;
    c.title = o.GetString("title");
    Json& d = c.data;
    d.Set("title", c.title);
    d.Set("question", o.GetString("question"));
    d.Set("subject_instance_id", Json());
    d.Set("threshold", o.Has("threshold") ? *o.Get("threshold") : Json("simple_majority"));
    if (o.Has("quorum")) d.Set("quorum", *o.Get("quorum"));
    for (const char* k : {"electorate", "excluded", "recused", "documents"}) {
      d.Set(k, Json::MakeArray());
    }
    d.Set("exclusions", Json::MakeArray());
    d.Set("votes", Json::MakeObject());
    const std::string outcome = o.GetString("outcome");
    d.Set("outcome", outcome);
    d.Set("resolution", DateOrNull(o, "resolution"));
    d.Set("opened_on", o.GetString("opened_on"));
    d.Set("closed_on", o.GetString("closed_on"));
    // The votes themselves are not known, only how many there were.
    if (o.Has("tally")) d.Set("imported_tally", *o.Get("tally"));
    if (o.Has("electorate_size")) d.Set("imported_electorate_size", *o.Get("electorate_size"));
    auto inst = Insert(*wf, std::move(c), outcome, "");
    if (!inst.ok()) return inst.status();
    if (o.Has("resolution")) {
      const auto number = ParseResolutionNumber(o.GetString("resolution"));
      Resolution r;
      r.ordinal = number->first;
      r.year = number->second;
      r.number = o.GetString("resolution");
      r.decided_on = o.GetString("closed_on");
      r.title = o.GetString("title");
      r.outcome = outcome;
      r.ballot_id = inst->id;
      RSOFLOW_RETURN_IF_ERROR(InsertResolution(r, path + ".resolution"));
    }
    report_.instance_ids[key] = inst->id;
    return Audit(inst->id, inst->workflow, inst->workflow_version, inst->state, *o.Get("closed_on"),
                 key, o,
                 o.Has("comment") ? o.GetString("comment") : "past Council ballot imported");
  }

  // An initiative or a momentum plan in its terminal state.
  Status Finished(const Json& o, const std::string& path, const std::string& workflow) {
    const std::string key = o.GetString("key");
    const bool plan = workflow == "momentum_plan";
    const Workflow* wf = Find(workflow);
    if (wf == nullptr) return Status::Undecidable("no " + workflow + " workflow in this build");
    auto rso_id = RsoId(o.GetString("rso"), path + ".rso");
    if (!rso_id.ok()) return rso_id.status();
    Json creation = Without(o, {"key", "rso", "state", "closed_on", "iso_event", "initiative",
                                "outcome_summary", "comment"});
    if (o.Has("iso_event")) {
      auto event = EventId(o.GetString("iso_event"), path + ".iso_event");
      if (!event.ok()) return event.status();
      creation.Set("iso_event_id", *event);
    }
    if (o.Has("initiative")) {
      auto it = report_.instance_ids.find(o.GetString("initiative"));
      if (it == report_.instance_ids.end()) {
        return Status::InvalidRequest(path + ".initiative: no initiative with key " +
                                          o.GetString("initiative") + " in this import",
                                      {path + ".initiative"});
      }
      creation.Set("initiative_id", std::to_string(it->second));
    }
    // A plan's actions: their status is the import's, the workflow creates them open.
    std::vector<std::string> statuses;
    if (plan) {
      if (const Json* actions = creation.Get("actions"); actions && actions->is_array()) {
        Json stripped = Json::MakeArray();
        for (const Json& a : actions->AsArray()) {
          statuses.push_back(a.is_object() ? a.GetString("status") : "");
          stripped.Push(a.is_object() ? Without(a, {"status"}) : a);
        }
        creation.Set("actions", stripped);
      }
    }
    CreateRequest req{by_.actor, creation, *rso_id, 0, now_, env_};
    auto created = wf->Create(req);
    if (!created.ok()) return Of(created.status(), path, key);
    RSOFLOW_RETURN_IF_ERROR(
        Claim(plan ? "momentum_plans" : "initiatives", key, path, Json::MakeObject()));
    const std::string state = o.GetString("state");
    Json& d = created->data;
    d.Set("closed_on", o.GetString("closed_on"));
    if (!plan && state == "completed") {
      d.Set("outcome_summary", o.GetString("outcome_summary"));
      d.Set("percent_complete", Json(int64_t{100}));
    }
    if (plan) {
      RSOFLOW_RETURN_IF_ERROR(SetActionStatuses(d, statuses, state, path));
    }
    auto inst = Insert(*wf, std::move(created).value(), state, *rso_id);
    if (!inst.ok()) return inst.status();
    report_.instance_ids[key] = inst->id;
    return Audit(inst->id, inst->workflow, inst->workflow_version, inst->state, *o.Get("closed_on"),
                 key, o,
                 o.Has("comment") ? o.GetString("comment")
                                  : std::string(plan ? "past momentum plan imported"
                                                     : "past partnership initiative imported"));
  }

  static Status SetActionStatuses(Json& data, const std::vector<std::string>& statuses,
                                  const std::string& state, const std::string& path) {
    Json* actions = nullptr;
    for (auto& [k, v] : data.AsObject()) {
      if (k == "actions") actions = &v;
    }
    if (actions == nullptr || !actions->is_array()) return Status::Ok();
    for (size_t i = 0; i < actions->size() && i < statuses.size(); ++i) {
      std::string s = statuses[i].empty() ? (state == "completed" ? "done" : "open") : statuses[i];
      const std::string field = path + ".actions[" + std::to_string(i) + "].status";
      if (s != "open" && s != "in_progress" && s != "done") {
        return Status::InvalidRequest(field + " is open, in_progress or done", {field});
      }
      if (state == "completed" && s != "done") {
        return Status::InvalidRequest(field + ": a completed plan has every action done", {field});
      }
      actions->AsArray()[i].Set("status", s);
    }
    return Status::Ok();
  }

  Engine& engine_;
  Store& store_;
  WriterEnv env_;
  const Command& by_;
  ImportReport& report_;
  int64_t now_ = 0;
};

}  // namespace

int ImportReport::Total() const {
  int n = 0;
  for (const auto& [section, count] : counts) n += count;
  return n;
}

Json ImportReport::ToJson() const {
  Json j = Json::MakeObject();
  Json imported = Json::MakeObject();
  for (const auto& s : Sections()) {
    auto it = counts.find(s);
    imported.Set(s, static_cast<int64_t>(it == counts.end() ? 0 : it->second));
  }
  j.Set("imported", imported);
  Json rsos = Json::MakeObject();
  for (const auto& [acronym, id] : rso_ids) rsos.Set(acronym, id);
  j.Set("rsos", rsos);
  Json events = Json::MakeObject();
  for (const auto& [key, id] : iso_event_ids) events.Set(key, id);
  j.Set("iso_events", events);
  Json instances = Json::MakeObject();
  for (const auto& [key, id] : instance_ids) instances.Set(key, std::to_string(id));
  j.Set("instances", instances);
  Json audit = Json::MakeObject();
  audit.Set("first_seq", first_seq == 0 ? Json() : Json(first_seq));
  audit.Set("last_seq", last_seq == 0 ? Json() : Json(last_seq));
  j.Set("audit", audit);
  return j;
}

Result<ImportReport> Import(Engine& engine, const Json& document, const Command& by) {
  const std::string today = FormatDate(engine.clock().NowMs() / kMsPerDay);
  RSOFLOW_RETURN_IF_ERROR(CheckDocument(document, today));
  ImportReport report;
  auto done = engine
                  .SubmitJob([&engine, &document, &by, &report](Store& store) -> Result<Json> {
                    report = ImportReport{};  // a job may be run again after a failed batch
                    Importer importer(engine, store, by, report);
                    RSOFLOW_RETURN_IF_ERROR(importer.Run(document));
                    return Json();
                  })
                  .get();
  if (!done.ok()) return done.status();
  return report;
}

}  // namespace rsoflow::history
