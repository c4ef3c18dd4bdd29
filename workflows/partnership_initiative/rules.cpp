#include "workflows/partnership_initiative/rules.h"

#include <algorithm>

#include "engine/clock.h"
#include "engine/text.h"

namespace rsoflow::partnership_initiative {
namespace {

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
  static const std::vector<std::string> kTypes = {"event_promotion",
                                                  "engagement_strategy",
                                                  "standards_adoption",
                                                  "training",
                                                  "technical_assistance",
                                                  "information_sharing",
                                                  "cooperative_exchange",
                                                  "technical_cooperation",
                                                  "other"};
  return kTypes;
}

namespace {

// Guide 21-1 pairs degree and method (checked once both are valid values).
std::vector<std::string> Guide21Pairings(const Json& entry, const std::string& where) {
  std::vector<std::string> problems;
  const std::string degree = entry.GetString("degree");
  const std::string method = entry.GetString("method");
  const bool degree_ok = degree == "IDT" || degree == "MOD" || degree == "NEQ";
  const bool method_ok = method == "endorsement" || method == "cover_sheet" ||
                         method == "reprint" || method == "translation" || method == "redrafting";
  if (!degree_ok || !method_ok) return problems;
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
  return problems;
}

}  // namespace

const FieldList& Guide21Fields() {
  static const FieldList kEntry = [] {
    FieldList list = {
        // An ISO (or joint ISO/IEC) deliverable: publisher, number with optional parts, optional
        // year. "ISO 9001:2015", "ISO/IEC 27001:2022", "ISO/TS 22163", "ISO 80000-1:2022".
        Field::Text("reference", 0, 60)
            .Required()
            .Pattern(
                R"(^(ISO|ISO/IEC|ISO/IEC/IEEE|ISO/TS|ISO/TR|ISO/PAS|ISO/IEC TS|ISO/IEC TR|IWA) )"
                R"([0-9]{1,6}(-[0-9]{1,3})*(:[12][0-9]{3})?$)")
            .Says("{} must name an ISO deliverable, e.g. ISO 9001:2015")
            .About("an ISO deliverable, e.g. ISO 9001:2015"),
        Field::Text("degree", 0, SIZE_MAX)
            .Required()
            .OneOf({"IDT", "MOD", "NEQ"})
            .Says("{} must be IDT, MOD or NEQ"),
        Field::Text("method", 0, SIZE_MAX)
            .Required()
            .OneOf({"endorsement", "cover_sheet", "reprint", "translation", "redrafting"})
            .Says("{} must be endorsement, cover_sheet, reprint, translation or redrafting")};
    list.rules = &Guide21Pairings;
    list.shape = " {reference, degree, method}";
    list.unknown_each = " is not a Guide 21 field";
    list.joined = true;
    return list;
  }();
  return kEntry;
}

std::vector<std::string> Guide21Problems(const Json& entry, const std::string& where) {
  return Guide21Fields().EntryProblems(entry, where);
}

const FieldList& InitiativeFields() {
  static const FieldList kInitiative = [] {
    std::string types;
    for (const auto& t : Types()) types += (types.empty() ? "" : ", ") + t;
    FieldList list = {
        Field::Text("type", 0, SIZE_MAX).Required().OneOf(Types()).Says("type is one of " + types),
        Field::Text("title", 1, 300)
            .Required()
            .Plain(std::string("title") + kNulOrBidiControl)
            .Says("title is a text of 1-300 characters")
            .SaysMissing("title is required"),
        Field::Text("description", 0, 5000)
            .Says("description is a text of 0-5000 characters")
            .About("Required (400 naming `description`) when `type` is `other`."),
        Field::Text("iso_event_id", 0, 20).Says("iso_event_id is a text of 0-20 characters"),
        Field::List("objectives", 50)
            .Items(Field::Text("objective", 1, 500))
            .Says("objectives is a list of at most 50 texts of 1-500 characters")
            .About("texts of 1-500 characters"),
        Field::Date("start_date").Says("start_date is a date YYYY-MM-DD"),
        Field::Date("end_date").Says("end_date is a date YYYY-MM-DD"),
        Field::List("standards", 200)
            .Entries(Guide21Fields())
            .EntriesAsList()
            .Says("standards is a list of at most 200 Guide 21 entries")
            .About("Guide 21 adoptions of ISO deliverables")};
    list.not_object = "the initiative must be an object";
    list.not_object_field = "body";
    list.joined = true;
    return list;
  }();
  return kInitiative;
}

Result<Json> ValidateFields(const Json& fields, bool partial, const Json& merged,
                            const std::string& prefix) {
  FieldList list = partial ? InitiativeFields().Changing(prefix) : InitiativeFields();
  list.prefix = prefix;
  list.not_object_field = prefix.empty() ? "body" : "data";
  if (partial) list.not_object = list.empty = "revise needs at least one field";
  RSOFLOW_RETURN_IF_ERROR(list.Check(fields));
  Json out = Json::MakeObject();  // the fields present
  for (const auto& [key, value] : fields.AsObject()) {
    if (!value.is_null()) out.Set(key, value);
  }
  FieldErrors errors(prefix);
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

const FieldList& ProgressPayload() {
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
  return kProgress;
}

std::vector<Reason> ProgressNoteProblems(const Json& data) {
  const Json* note = data.Get("note");
  if (note != nullptr && note->is_string() && !note->AsString().empty()) return {};
  return {Reason{"progress_note_required", "a progress note is required"}};
}

}  // namespace rsoflow::partnership_initiative
