// CheckDocument: the form of an import document, before the database is touched. The fields
// each workflow checks itself (an RSO's dossier, an initiative's creation fields, a plan's
// actions) are checked again when the workflow creates the object (apply.cpp).
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/clock.h"
#include "engine/fields.h"
#include "workflows/history/import.h"
#include "workflows/history/import_internal.h"

namespace rsoflow::history {
namespace {

constexpr size_t kMaxObjects = 10000;

Field Key() { return Field::Text("key", 1, 100).Required().Plain(); }
Field Acronym(const char* name) { return Field::Text(name, 1, 20).Plain(); }

FieldList At(const std::string& path, std::vector<Field> fields) {
  FieldList list;
  list.fields = std::move(fields);
  list.prefix = path + ".";
  list.not_object = path + " must be an object";
  list.not_object_field = path;
  list.unknown = path + ": unknown field(s): ";
  list.missing = path + ": missing field(s): ";
  return list;
}

// The RSO's dossier fields are the rso_recognition workflow's (rso::ValidateDossier).
std::vector<Field> RsoFields() {
  return {Acronym("acronym").Required(),
          Field::Any("name"),
          Field::Any("kind"),
          Field::Any("region"),
          Field::Any("member_bodies"),
          Field::Any("website"),
          Field::Any("statutes_ref"),
          Field::Any("contact_email"),
          Field::Date("recognized_on"),
          Field::Text("resolution", 1, 16)};
}

std::vector<Field> IsoEventFields() {
  return {Key(),
          Field::Any("title"),
          Field::Any("type"),
          Field::Any("region"),
          Field::List("rsos", 500),
          Field::Any("starts_on"),
          Field::Any("ends_on"),
          Field::Any("location")};
}

std::vector<Field> ResolutionFields() {
  return {Field::Text("number", 1, 16).Required(), Field::Date("decided_on"),
          Field::Text("title", 1, 500).Required().Plain(),
          Field::Text("outcome", 1, 16).Required().OneOf({"approved", "rejected"}), Acronym("rso")};
}

std::vector<Field> BallotFields() {
  return {Key(),
          Field::Text("title", 1, 300).Required().Plain(),
          Field::Text("question", 1, 2000).Required().Plain(),
          Field::Text("outcome", 1, 16)
              .Required()
              .OneOf({"approved", "rejected", "no_quorum", "cancelled"}),
          Field::Date("opened_on").Required(),
          Field::Date("closed_on").Required(),
          Field::Text("resolution", 1, 16),
          Field::Text("threshold", 1, 32).OneOf({"simple_majority", "two_thirds", "unanimous"}),
          Field::Number("quorum", 0, 1),
          Field::Int("electorate_size", 0, 100000),
          Field::Any("tally"),
          Field::Text("comment", 0, 2000).Plain()};
}

Status CheckDate(const Json& obj, const char* field, const std::string& path,
                 const std::string& today) {
  const Json* v = obj.Get(field);
  if (v == nullptr || v->is_null()) return Status::Ok();
  if (v->AsString() > today) {
    return Status::InvalidRequest(path + "." + field + " (" + v->AsString() +
                                      ") is after today: only facts of the past are imported",
                                  {path + "." + field});
  }
  return Status::Ok();
}

// A resolution number N/YYYY whose year is that of `date` (when known).
Status CheckNumber(const Json& obj, const char* field, const std::string& path,
                   const std::string& date) {
  const Json* v = obj.Get(field);
  if (v == nullptr || v->is_null()) return Status::Ok();
  const auto parsed = ParseResolutionNumber(v->AsString());
  const std::string where = path + "." + field;
  if (!parsed) {
    return Status::InvalidRequest(where + " must be a Council resolution number N/YYYY", {where});
  }
  if (!date.empty() && std::to_string(parsed->second) != date.substr(0, 4)) {
    return Status::InvalidRequest(where + ": the Council numbers its resolutions by year: " +
                                      v->AsString() + " cannot be decided on " + date,
                                  {where});
  }
  return Status::Ok();
}

Status CheckRso(const Json& r, const std::string& path, const std::string& today) {
  RSOFLOW_RETURN_IF_ERROR(At(path, RsoFields()).Check(r));
  RSOFLOW_RETURN_IF_ERROR(CheckDate(r, "recognized_on", path, today));
  return CheckNumber(r, "resolution", path, r.GetString("recognized_on"));
}

Status CheckIsoEvent(const Json& e, const std::string& path, const std::string& today) {
  RSOFLOW_RETURN_IF_ERROR(At(path, IsoEventFields()).Check(e));
  for (const Json& a : e.Get("rsos") ? e.Get("rsos")->AsArray() : Json::Array{}) {
    if (!a.is_string()) {
      return Status::InvalidRequest(path + ".rsos lists RSO acronyms", {path + ".rsos"});
    }
  }
  const Json* ends = e.Get("ends_on");
  if (ends != nullptr && ends->is_string() && ends->AsString() > today) {
    return Status::InvalidRequest(path +
                                      ".ends_on is after today: only past ISO events are "
                                      "imported",
                                  {path + ".ends_on"});
  }
  return Status::Ok();
}

Status CheckResolution(const Json& r, const std::string& path, const std::string& today) {
  RSOFLOW_RETURN_IF_ERROR(At(path, ResolutionFields()).Check(r));
  RSOFLOW_RETURN_IF_ERROR(CheckDate(r, "decided_on", path, today));
  return CheckNumber(r, "number", path, r.GetString("decided_on"));
}

Status CheckBallot(const Json& b, const std::string& path, const std::string& today) {
  RSOFLOW_RETURN_IF_ERROR(At(path, BallotFields()).Check(b));
  RSOFLOW_RETURN_IF_ERROR(CheckDate(b, "closed_on", path, today));
  if (b.GetString("closed_on") < b.GetString("opened_on")) {
    return Status::InvalidRequest(path + ".closed_on is before opened_on", {path + ".closed_on"});
  }
  const std::string outcome = b.GetString("outcome");
  const bool numbered = outcome == "approved" || outcome == "rejected";
  const Json* number = b.Get("resolution");
  const bool has_number = number != nullptr && !number->is_null();
  if (numbered && !has_number) {
    return Status::InvalidRequest(
        path + ".resolution: an " + outcome + " ballot is a resolution and needs its number",
        {path + ".resolution"});
  }
  if (!numbered && has_number) {
    return Status::InvalidRequest(
        path + ".resolution: a " + outcome + " ballot is no resolution and takes no number",
        {path + ".resolution"});
  }
  RSOFLOW_RETURN_IF_ERROR(CheckNumber(b, "resolution", path, b.GetString("closed_on")));
  if (const Json* t = b.Get("tally"); t != nullptr && !t->is_null()) {
    FieldList tally = At(path + ".tally", {Field::Int("approve", 0, 100000).Required(),
                                           Field::Int("reject", 0, 100000).Required(),
                                           Field::Int("abstain", 0, 100000).Required()});
    RSOFLOW_RETURN_IF_ERROR(tally.Check(*t));
  }
  return Status::Ok();
}

// The import's own fields of an initiative or a plan (the workflow checks the others).
Status CheckFinished(const Json& o, const std::string& path, const std::string& today,
                     const std::vector<std::string>& states, bool plan) {
  if (!o.is_object()) return Status::InvalidRequest(path + " must be an object", {path});
  FieldList own = At(
      path, {Key(), Acronym("rso").Required(), Field::Text("state", 1, 32).Required().OneOf(states),
             Field::Date("closed_on").Required(), Field::Text("iso_event", 1, 100),
             Field::Text("comment", 0, 2000).Plain()});
  if (plan) {
    own.fields.push_back(Field::Text("initiative", 1, 100));
  } else {
    own.fields.push_back(Field::Text("outcome_summary", 1, 4000).Plain());
  }
  Json mine = Json::MakeObject();
  for (const auto& [k, v] : o.AsObject()) {
    if (own.Allows(k)) mine.Set(k, v);
  }
  RSOFLOW_RETURN_IF_ERROR(own.Check(mine));
  RSOFLOW_RETURN_IF_ERROR(CheckDate(o, "closed_on", path, today));
  if (plan && !o.Has("iso_event")) {
    return Status::InvalidRequest(path + ": missing field(s): " + path + ".iso_event",
                                  {path + ".iso_event"});
  }
  if (!plan && o.GetString("state") == "completed" && o.GetString("outcome_summary").empty()) {
    return Status::InvalidRequest(
        path + ".outcome_summary: a completed initiative needs its outcome summary",
        {path + ".outcome_summary"});
  }
  return Status::Ok();
}

}  // namespace

const std::vector<std::string>& Sections() {
  static const std::vector<std::string> sections = {"rsos",    "iso_events",  "resolutions",
                                                    "ballots", "initiatives", "momentum_plans"};
  return sections;
}

std::string PathOf(const std::string& section, size_t index) {
  return section + "[" + std::to_string(index) + "]";
}

Status CheckDocument(const Json& document, const std::string& today) {
  if (!document.is_object()) {
    return Status::InvalidRequest("the import document must be a JSON object", {"document"});
  }
  for (const auto& [key, value] : document.AsObject()) {
    const auto& s = Sections();
    if (std::find(s.begin(), s.end(), key) == s.end()) {
      return Status::InvalidRequest("unknown section '" + key +
                                        "' (sections: rsos, iso_events, "
                                        "resolutions, ballots, initiatives, momentum_plans)",
                                    {key});
    }
    if (!value.is_array() || value.size() > kMaxObjects) {
      return Status::InvalidRequest(key + " must be a list of at most 10000 objects", {key});
    }
  }
  auto each = [&](const char* section, auto check) -> Status {
    const Json* list = document.Get(section);
    if (list == nullptr) return Status::Ok();
    for (size_t i = 0; i < list->size(); ++i) {
      RSOFLOW_RETURN_IF_ERROR(check(list->AsArray()[i], PathOf(section, i)));
    }
    return Status::Ok();
  };
  RSOFLOW_RETURN_IF_ERROR(
      each("rsos", [&](const Json& o, const std::string& p) { return CheckRso(o, p, today); }));
  RSOFLOW_RETURN_IF_ERROR(each("iso_events", [&](const Json& o, const std::string& p) {
    return CheckIsoEvent(o, p, today);
  }));
  RSOFLOW_RETURN_IF_ERROR(each("resolutions", [&](const Json& o, const std::string& p) {
    return CheckResolution(o, p, today);
  }));
  RSOFLOW_RETURN_IF_ERROR(each(
      "ballots", [&](const Json& o, const std::string& p) { return CheckBallot(o, p, today); }));
  RSOFLOW_RETURN_IF_ERROR(each("initiatives", [&](const Json& o, const std::string& p) {
    return CheckFinished(o, p, today, {"completed", "declined", "cancelled"}, false);
  }));
  return each("momentum_plans", [&](const Json& o, const std::string& p) {
    return CheckFinished(o, p, today, {"completed", "lapsed", "withdrawn"}, true);
  });
}

}  // namespace rsoflow::history
