#include "app/seed.h"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <vector>

#include "accounts/accounts.h"
#include "app/runtime.h"
#include "app/seed_evidence.h"
#include "db/connection.h"
#include "db/writer_lock.h"
#include "workflows/history/import.h"
#include "workflows/rso_records.h"

namespace rsoflow::seed {
namespace {

void RemoveDatabaseFiles(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::remove((path + suffix).c_str());
  }
}

class Seeder {
 public:
  Seeder(Runtime& rt, const SeedOptions& options) : rt_(rt), options_(options) {}

  Status Run(const Json& dataset, SeedReport* report) {
    if (!dataset.is_object()) return Status::InvalidRequest("the data set must be an object");
    RSOFLOW_RETURN_IF_ERROR(CheckPayloadKeys(
        dataset, {"history", "users", "rsos", "iso_events", "activity"}, "data set"));
    report_ = report;
    if (const Json* history = dataset.Get("history")) RSOFLOW_RETURN_IF_ERROR(Import(*history));
    RSOFLOW_RETURN_IF_ERROR(ForEach(dataset, "rsos", [&](const Json& r) { return AddRso(r); }));
    RSOFLOW_RETURN_IF_ERROR(ForEach(dataset, "users", [&](const Json& u) { return AddUser(u); }));
    RSOFLOW_RETURN_IF_ERROR(
        ForEach(dataset, "iso_events", [&](const Json& e) { return AddIsoEvent(e); }));
    return ForEach(dataset, "activity", [&](const Json& s) { return RunStep(s); });
  }

 private:
  static Status CheckPayloadKeys(const Json& obj, std::initializer_list<const char*> allowed,
                                 const std::string& what) {
    for (const auto& [key, value] : obj.AsObject()) {
      bool ok = false;
      for (const char* a : allowed) ok = ok || key == a;
      if (!ok) return Status::InvalidRequest(what + ": unknown field '" + key + "'", {key});
    }
    return Status::Ok();
  }

  template <class Fn>
  Status ForEach(const Json& dataset, const char* list, Fn fn) {
    const Json* items = dataset.Get(list);
    if (items == nullptr) return Status::Ok();
    if (!items->is_array()) return Status::InvalidRequest(std::string(list) + " must be a list");
    for (size_t i = 0; i < items->size(); ++i) {
      const Json& item = items->AsArray()[i];
      Status st = item.is_object() ? fn(item) : Status::InvalidRequest("must be an object");
      if (!st.ok()) {
        const std::string where = std::string(list) + "[" + std::to_string(i) + "] " +
                                  Describe(item) + ": " + Status::CodeName(st.code()) + ": " +
                                  st.message();
        return st.code() == Status::Code::kUnavailable ? Status::Unavailable(where)
                                                       : Status::InvalidRequest(where);
      }
    }
    return Status::Ok();
  }

  static std::string Describe(const Json& item) {
    if (item.Has("fire"))
      return "(fire " + item.GetString("fire") + " " + item.GetString("event") + ")";
    if (item.Has("start")) return "(start " + item.GetString("start") + ")";
    for (const char* key : {"acronym", "username", "key"}) {
      if (item.Has(key)) return "(" + item.GetString(key) + ")";
    }
    return "";
  }

  // ---- substitutions ----
  Result<std::string> Expand(const std::string& text) const {
    std::string out;
    size_t pos = 0;
    while (true) {
      const size_t open = text.find("${", pos);
      if (open == std::string::npos) break;
      const size_t close = text.find('}', open);
      if (close == std::string::npos)
        return Status::InvalidRequest("unclosed ${ in '" + text + "'");
      out += text.substr(pos, open - pos);
      auto value = Token(text.substr(open + 2, close - open - 2));
      if (!value.ok()) return value.status();
      out += *value;
      pos = close + 1;
    }
    return out + text.substr(pos);
  }

  Result<std::string> Token(const std::string& token) const {
    const int64_t now = rt_.clock().NowMs();
    auto offset = [&](const std::string& rest, int64_t* n) {
      if (rest.empty()) return (*n = 0, true);
      if (rest[0] != '+' && rest[0] != '-') return false;
      try {
        size_t used = 0;
        *n = std::stoll(rest.substr(1), &used);
        if (rest[0] == '-') *n = -*n;
        return used + 1 == rest.size() || rest.substr(used + 1) == "d";
      } catch (...) {
        return false;
      }
    };
    int64_t n = 0;
    if (token.rfind("today", 0) == 0 && offset(token.substr(5), &n)) {
      return FormatDate(now / kMsPerDay + n);
    }
    if (token == "year") return FormatDate(now / kMsPerDay).substr(0, 4);
    if (token.rfind("now", 0) == 0 && offset(token.substr(3), &n)) {
      return FormatTime(now + n * kMsPerDay);
    }
    const size_t colon = token.find(':');
    const std::string kind = token.substr(0, colon), name = token.substr(colon + 1);
    if (colon != std::string::npos) {
      if (kind == "event" && events_.count(name)) return events_.at(name);
      if (kind == "ref" && refs_.count(name)) return std::to_string(refs_.at(name));
      if (kind == "rso" && rsos_.count(name)) return rsos_.at(name);
    }
    return Status::InvalidRequest("unknown substitution ${" + token + "}");
  }

  Result<Json> ExpandAll(const Json& value) const {
    if (value.is_string()) {
      auto s = Expand(value.AsString());
      if (!s.ok()) return s.status();
      return Json(*s);
    }
    if (value.is_array()) {
      Json out = Json::MakeArray();
      for (const auto& v : value.AsArray()) {
        auto e = ExpandAll(v);
        if (!e.ok()) return e.status();
        out.Push(std::move(e).value());
      }
      return out;
    }
    if (value.is_object()) {
      Json out = Json::MakeObject();
      for (const auto& [k, v] : value.AsObject()) {
        auto e = ExpandAll(v);
        if (!e.ok()) return e.status();
        out.Set(k, std::move(e).value());
      }
      return out;
    }
    return value;
  }

  Result<std::string> RsoId(const std::string& acronym) const {
    auto it = rsos_.find(acronym);
    if (it == rsos_.end()) return Status::InvalidRequest("unknown RSO " + acronym);
    return it->second;
  }

  // ---- sections ----
  // The past, imported with its real dates (workflows/history) by `system`: its RSOs, ISO
  // events and instances can then be named by the sections that follow.
  Status Import(const Json& history) {
    Command by;
    by.actor = Actor::System();
    auto imported = history::Import(rt_.engine(), history, by);
    if (!imported.ok()) {
      const Status& st = imported.status();
      const std::string where = "history: " + st.message();
      if (st.code() == Status::Code::kUnavailable) return Status::Unavailable(where);
      std::vector<std::string> fields;
      for (const auto& f : st.fields()) fields.push_back("history." + f);
      return Status::InvalidRequest(where, fields);
    }
    for (const auto& [acronym, id] : imported->rso_ids) rsos_[acronym] = id;
    for (const auto& [acronym, id] : imported->recognition_ids) refs_["rso:" + acronym] = id;
    for (const auto& [key, id] : imported->iso_event_ids) events_[key] = id;
    for (const auto& [key, id] : imported->instance_ids) refs_[key] = id;
    report_->imported = imported->Total();
    report_->rsos += static_cast<int>(imported->rso_ids.size());
    report_->iso_events += static_cast<int>(imported->iso_event_ids.size());
    return Status::Ok();
  }

  // An application that is not recognized yet: started in draft by `system`, then driven by
  // the activity.
  Status AddRso(const Json& r) {
    Command c;
    c.start_workflow = "rso_recognition";
    c.actor = Actor::System();
    c.data = r;
    auto result = rt_.engine().Execute(std::move(c));
    if (!result.ok()) return result.status();
    rsos_[result->instance.data.GetString("acronym")] = result->instance.rso_id;
    refs_["rso:" + result->instance.data.GetString("acronym")] = result->instance.id;
    ++report_->rsos;
    return Status::Ok();
  }

  Status AddUser(const Json& u) {
    RSOFLOW_RETURN_IF_ERROR(
        CheckPayloadKeys(u, {"username", "display_name", "role", "rso", "affiliated"}, "user"));
    accounts::NewUser nu;
    nu.username = u.GetString("username");
    nu.display_name = u.GetString("display_name", nu.username);
    nu.role = u.GetString("role");
    nu.password = options_.password;
    if (u.Has("rso")) {
      auto id = RsoId(u.GetString("rso"));
      if (!id.ok()) return id.status();
      nu.rso_id = *id;
    }
    if (const Json* aff = u.Get("affiliated"); aff != nullptr && aff->is_array()) {
      for (const auto& a : aff->AsArray()) {
        auto id = RsoId(a.is_string() ? a.AsString() : "");
        if (!id.ok()) return id.status();
        nu.affiliated_rso_ids.push_back(*id);
      }
    }
    auto user = accounts::AddUser(rt_.engine(), nu, options_.pbkdf2_iterations, accounts::Acting{});
    if (!user.ok()) return user.status();
    actors_[user->username] =
        Actor{user->id, user->username, user->role, user->rso_id, user->affiliated_rso_ids};
    report_->user_lines.push_back(user->username + " (" + user->role +
                                  (u.Has("rso") ? ", " + u.GetString("rso") : "") + ")");
    ++report_->users;
    return Status::Ok();
  }

  Status AddIsoEvent(const Json& e) {
    Json body = e;
    body.Erase("key");
    body.Erase("rsos");
    Json ids = Json::MakeArray();
    if (const Json* rsos = e.Get("rsos"); rsos != nullptr && rsos->is_array()) {
      for (const auto& a : rsos->AsArray()) {
        auto id = RsoId(a.is_string() ? a.AsString() : "");
        if (!id.ok()) return id.status();
        ids.Push(*id);
      }
    }
    body.Set("rso_ids", ids);
    auto expanded = ExpandAll(body);
    if (!expanded.ok()) return expanded.status();
    auto fields = rso::ValidateIsoEvent(*expanded);
    if (!fields.ok()) return fields.status();
    Record record;
    record.kind = rso::kIsoEventKind;
    record.key = rso::IsoEventKey(*fields);
    record.data = *fields;
    record.created_at = record.updated_at = rt_.clock().NowMs();
    auto id = rt_.engine()
                  .SubmitJob([record](Store& s) -> Result<Json> {
                    auto r = s.InsertRecord(record);
                    if (!r.ok()) return r.status();
                    return Json(*r);
                  })
                  .get();
    if (!id.ok()) return id.status();
    events_[e.GetString("key")] = id->AsString();
    ++report_->iso_events;
    return Status::Ok();
  }

  Status RunStep(const Json& s) {
    RSOFLOW_RETURN_IF_ERROR(
        CheckPayloadKeys(s,
                         {"start", "fire", "event", "as", "rso", "ref", "data", "comment",
                          "ballot_ref", "attach", "filename", "lines", "decide"},
                         "step"));
    auto actor = actors_.find(s.GetString("as"));
    if (actor == actors_.end()) return Status::InvalidRequest("unknown user " + s.GetString("as"));
    Command c;
    c.actor = actor->second;
    auto data = ExpandAll(s.Has("data") ? *s.Get("data") : Json::MakeObject());
    if (!data.ok()) return data.status();
    c.data = std::move(data).value();
    auto comment = Expand(s.GetString("comment"));
    if (!comment.ok()) return comment.status();
    c.comment = *comment;
    if (s.Has("attach") || s.Has("decide")) return Evidence(s, c);
    if (s.Has("start")) {
      c.start_workflow = s.GetString("start");
      if (s.Has("rso")) {
        auto id = RsoId(s.GetString("rso"));
        if (!id.ok()) return id.status();
        c.rso_id = *id;
      }
    } else {
      auto ref = refs_.find(s.GetString("fire"));
      if (ref == refs_.end()) return Status::InvalidRequest("unknown ref " + s.GetString("fire"));
      c.instance_id = ref->second;
      c.event = s.GetString("event");
    }
    auto result = rt_.engine().Execute(std::move(c));
    if (!result.ok()) return result.status();
    if (s.Has("ref")) refs_[s.GetString("ref")] = result->instance.id;
    if (s.Has("start") && result->instance.workflow == "rso_recognition") {
      rsos_[result->instance.data.GetString("acronym")] = result->instance.rso_id;
      refs_["rso:" + result->instance.data.GetString("acronym")] = result->instance.id;
    }
    if (s.Has("ballot_ref")) {
      InstanceQuery q;
      q.workflow = "council_ballot";
      q.rso_id = result->instance.rso_id;
      q.active = true;
      q.limit = 200;
      auto ballots = rt_.store().ListInstances(q);
      if (!ballots.ok()) return ballots.status();
      int64_t found = 0;
      for (const Instance& b : *ballots) {
        if (b.subject_id == result->instance.id) found = b.id;
      }
      if (found == 0) return Status::InvalidRequest("the step opened no ballot");
      refs_[s.GetString("ballot_ref")] = found;
    }
    ++report_->steps;
    return Status::Ok();
  }

  // A document attached, or a decision taken in session (app/seed_evidence.h).
  Status Evidence(const Json& s, const Command& by) {
    const bool attach = s.Has("attach");
    const std::string ref = attach ? s.GetString("attach") : s.Get("decide")->GetString("subject");
    const auto it = refs_.find(ref);
    if (!ref.empty() && it == refs_.end()) return Status::InvalidRequest("unknown ref " + ref);
    const int64_t id = ref.empty() ? 0 : it->second;
    auto decision = ExpandAll(attach ? Json() : *s.Get("decide"));
    if (!decision.ok()) return decision.status();
    RSOFLOW_RETURN_IF_ERROR(attach ? AttachDemoDocument(rt_.engine(), by, id, s)
                                   : RecordDemoDecision(rt_.engine(), by, *decision, id));
    ++report_->steps;
    return Status::Ok();
  }

  Runtime& rt_;
  const SeedOptions& options_;
  SeedReport* report_ = nullptr;
  std::map<std::string, std::string> rsos_;    // acronym -> RSO id
  std::map<std::string, std::string> events_;  // key -> ISO event id
  std::map<std::string, int64_t> refs_;        // ref -> instance id
  std::map<std::string, Actor> actors_;        // username -> actor
};

}  // namespace

Result<bool> DatabaseIsEmpty(const std::string& path) {
  return db::SqliteStore::IsEmptyDatabase(path);
}

Result<SeedReport> SeedDatabase(const Json& dataset, const SeedOptions& options, Clock& clock) {
  // Seeding replaces the database file: no other process may have it open for writing.
  db::MakePrivateDirectories(std::filesystem::path(options.db_path).parent_path().string());
  auto lock = db::WriterLock::Acquire(options.db_path);
  if (!lock.ok()) return lock.status();
  auto empty = DatabaseIsEmpty(options.db_path);
  if (!empty.ok()) return empty.status();
  if (!*empty) {
    return Status::Duplicate("the database " + options.db_path +
                             " already holds data; seed only loads into an empty database");
  }
  const std::string temp = options.db_path + ".seeding";
  RemoveDatabaseFiles(temp);
  SeedReport report;
  Status st;
  {
    auto rt = Runtime::Open(temp, clock, /*start_timers=*/false);
    if (!rt.ok()) return rt.status();
    Seeder seeder(**rt, options);
    st = seeder.Run(dataset, &report);
    (*rt)->engine().Stop();
  }
  if (!st.ok()) {
    RemoveDatabaseFiles(temp);
    std::remove(db::WriterLock::LockFile(temp).c_str());
    return st;
  }
  // The runtime closed cleanly (WAL checkpointed into the file); replace the target.
  RemoveDatabaseFiles(options.db_path);
  if (std::rename(temp.c_str(), options.db_path.c_str()) != 0) {
    return Status::Unavailable("cannot move " + temp + " to " + options.db_path);
  }
  RemoveDatabaseFiles(temp);  // stray -wal/-shm, if any
  std::remove(db::WriterLock::LockFile(temp).c_str());
  return report;
}

}  // namespace rsoflow::seed
