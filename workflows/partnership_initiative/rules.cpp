#include "workflows/partnership_initiative/rules.h"

#include <algorithm>
#include <regex>

#include "engine/clock.h"
#include "engine/text.h"

namespace rsoflow::partnership_initiative {
namespace {

bool OneOf(const std::string& s, std::initializer_list<const char*> options) {
  return std::any_of(options.begin(), options.end(), [&](const char* o) { return s == o; });
}

// An ISO (or joint ISO/IEC) deliverable reference: publisher, number with optional parts,
// optional year. "ISO 9001:2015", "ISO/IEC 27001:2022", "ISO/TS 22163", "ISO 80000-1:2022".
bool IsIsoReference(const std::string& s) {
  static const std::regex kReference(
      R"(^(ISO|ISO/IEC|ISO/IEC/IEEE|ISO/TS|ISO/TR|ISO/PAS|ISO/IEC TS|ISO/IEC TR|IWA) )"
      R"([0-9]{1,6}(-[0-9]{1,3})*(:[12][0-9]{3})?$)");
  return s.size() <= 60 && std::regex_match(s, kReference);
}

class FieldErrors {
 public:
  explicit FieldErrors(std::string prefix) : prefix_(std::move(prefix)) {}
  void Add(const std::string& field, const std::string& reason) {
    fields_.push_back(prefix_ + field);
    why_ += (why_.empty() ? "" : "; ") + reason;
  }
  bool empty() const { return fields_.empty(); }
  Status ToStatus() const { return Status::InvalidRequest(why_, fields_); }

 private:
  std::string prefix_;
  std::vector<std::string> fields_;
  std::string why_;
};

}  // namespace

const std::vector<std::string>& Types() {
  // technical_cooperation and other (DESIGN 8): RSOs are partners "in any aspect of ISO
  // activities where appropriate" (policy 3.2, scope of engagement).
  static const std::vector<std::string> kTypes = {
      "event_promotion",      "engagement_strategy",   "standards_adoption",
      "training",             "technical_assistance",  "information_sharing",
      "cooperative_exchange", "technical_cooperation", "other"};
  return kTypes;
}

std::vector<std::string> Guide21Problems(const Json& entry, const std::string& where) {
  std::vector<std::string> problems;
  if (!entry.is_object()) return {where + " must be an object {reference, degree, method}"};
  for (const auto& [key, value] : entry.AsObject()) {
    if (!OneOf(key, {"reference", "degree", "method"})) {
      problems.push_back(where + "." + key + " is not a Guide 21 field");
    }
  }
  const std::string reference = entry.GetString("reference");
  const std::string degree = entry.GetString("degree");
  const std::string method = entry.GetString("method");
  if (!IsIsoReference(reference)) {
    problems.push_back(where + ".reference must name an ISO deliverable, e.g. ISO 9001:2015");
  }
  const bool degree_ok = OneOf(degree, {"IDT", "MOD", "NEQ"});
  const bool method_ok =
      OneOf(method, {"endorsement", "cover_sheet", "reprint", "translation", "redrafting"});
  if (!degree_ok) problems.push_back(where + ".degree must be IDT, MOD or NEQ");
  if (!method_ok) {
    problems.push_back(where +
                       ".method must be endorsement, cover_sheet, reprint, translation or "
                       "redrafting");
  }
  if (degree_ok && method_ok) {
    if ((method == "endorsement" || method == "cover_sheet") && degree != "IDT") {
      problems.push_back(where + ": adoption by " + method +
                         " publishes the International Standard unchanged, so the degree is IDT");
    }
    if (method == "redrafting" && degree == "IDT") {
      problems.push_back(where + ": a redrafted standard is not an identical (IDT) adoption");
    }
    if (degree == "NEQ" && method != "redrafting") {
      problems.push_back(where + ": a not-equivalent (NEQ) standard can only be redrafted");
    }
  }
  return problems;
}

Result<Json> ValidateFields(const Json& fields, bool partial, const Json& merged,
                            const std::string& prefix) {
  FieldList known = {Field::Any("type"),         Field::Any("title"),
                     Field::Any("description"),  Field::Any("objectives"),
                     Field::Any("start_date"),   Field::Any("end_date"),
                     Field::Any("iso_event_id"), Field::Any("standards")};
  known.prefix = prefix;
  known.not_object = "the initiative must be an object";
  known.not_object_field = prefix.empty() ? "body" : "data";
  RSOFLOW_RETURN_IF_ERROR(known.Check(fields));  // the values are checked below
  FieldErrors errors(prefix);
  Json out = Json::MakeObject();
  auto present = [&](const char* key) {
    const Json* v = fields.Get(key);
    return v != nullptr && !v->is_null();
  };
  auto text = [&](const char* key, size_t max, bool required) {
    if (!present(key)) {
      if (required && !partial) errors.Add(key, std::string(key) + " is required");
      return;
    }
    const Json* v = fields.Get(key);
    if (std::string(key) == "title" && v->is_string() && HasNulOrBidiControl(v->AsString())) {
      errors.Add(key, std::string(key) + kNulOrBidiControl);
      return;
    }
    if (!v->is_string() || (required && v->AsString().empty()) || v->AsString().size() > max) {
      errors.Add(key, std::string(key) + " is a text of " + (required ? "1" : "0") + "-" +
                          std::to_string(max) + " characters");
    } else {
      out.Set(key, v->AsString());
    }
  };
  if (present("type") || !partial) {
    const Json* v = fields.Get("type");
    const auto& types = Types();
    if (v == nullptr || !v->is_string() ||
        std::find(types.begin(), types.end(), v->AsString()) == types.end()) {
      std::string list;
      for (const auto& t : types) list += (list.empty() ? "" : ", ") + t;
      errors.Add("type", "type is one of " + list);
    } else {
      out.Set("type", v->AsString());
    }
  }
  text("title", 300, true);
  text("description", 5000, false);
  text("iso_event_id", 20, false);
  if (present("objectives")) {
    const Json* v = fields.Get("objectives");
    bool ok = v->is_array() && v->size() <= 50;
    if (ok) {
      for (const auto& o : v->AsArray()) {
        ok = ok && o.is_string() && !o.AsString().empty() && o.AsString().size() <= 500;
      }
    }
    if (ok) {
      out.Set("objectives", *v);
    } else {
      errors.Add("objectives", "objectives is a list of at most 50 texts of 1-500 characters");
    }
  }
  for (const char* key : {"start_date", "end_date"}) {
    if (!present(key)) continue;
    const Json* v = fields.Get(key);
    if (!v->is_string() || !ParseDate(v->AsString())) {
      errors.Add(key, std::string(key) + " is a date YYYY-MM-DD");
    } else {
      out.Set(key, v->AsString());
    }
  }
  if (present("standards")) {
    const Json* v = fields.Get("standards");
    if (!v->is_array() || v->size() > 200) {
      errors.Add("standards", "standards is a list of at most 200 Guide 21 entries");
    } else {
      std::vector<std::string> problems;
      for (size_t i = 0; i < v->size(); ++i) {
        for (auto& p : Guide21Problems(v->AsArray()[i], "standards[" + std::to_string(i) + "]")) {
          problems.push_back(std::move(p));
        }
      }
      if (problems.empty()) {
        out.Set("standards", *v);
      } else {
        std::string joined;
        for (const auto& p : problems) joined += (joined.empty() ? "" : "; ") + p;
        errors.Add("standards", joined);
      }
    }
  }
  if (!errors.empty()) return errors.ToStatus();

  // Cross-field rules, over the fields as they will be.
  const Json& whole = partial ? merged : out;
  const auto start = ParseDate(whole.GetString("start_date"));
  const auto end = ParseDate(whole.GetString("end_date"));
  if (start && end && *end < *start) errors.Add("end_date", "end_date is before start_date");
  const Json* standards = whole.Get("standards");
  const bool has_standards = standards != nullptr && standards->is_array() && standards->size() > 0;
  if (whole.GetString("type") == "standards_adoption" && !has_standards) {
    errors.Add("standards", "a standards_adoption initiative lists at least one standard");
  }
  if (whole.GetString("type") != "standards_adoption" && has_standards) {
    errors.Add("standards", "only a standards_adoption initiative lists standards");
  }
  if (whole.GetString("type") == "other" && whole.GetString("description").empty()) {
    errors.Add("description", "an initiative of type other needs a description of what it covers");
  }
  if (!errors.empty()) return errors.ToStatus();
  return out;
}

FieldList CompletionPayload() {
  FieldList list = {Field::Text("outcome_summary", 0, 5000)
                        .Says("outcome_summary is a text of at most 5000 characters")};
  list.prefix = "data.";
  return list;
}

Status ValidateProgress(const Json& data, std::vector<Reason>* reasons) {
  static const FieldList kProgress = [] {
    FieldList list = {
        Field::Text("note", 0, 5000).Says("note is a text of at most 5000 characters"),
        Field::Number("percent_complete", 0, 100)
            .Says("percent_complete is a number from 0 to 100")};
    list.prefix = "data.";
    list.unknown = "unknown field(s) in data";
    list.unknown_names = false;
    return list;
  }();
  RSOFLOW_RETURN_IF_ERROR(kProgress.Check(data));
  const Json* note = data.Get("note");
  if (note == nullptr || !note->is_string() || note->AsString().empty()) {
    reasons->push_back(Reason{"progress_note_required", "a progress note is required"});
  }
  return Status::Ok();
}

}  // namespace rsoflow::partnership_initiative
