#include "workflows/rso_records.h"

#include <algorithm>
#include <optional>
#include <set>

#include "engine/clock.h"
#include "engine/fields.h"
#include "engine/text.h"

namespace rsoflow::rso {
namespace {

// ISO 3166-1 alpha-2, from Debian's iso-codes 4.15.0 (/usr/share/iso-codes/json/iso_3166-1.json).
const std::set<std::string>& CountryCodes() {
  static const std::set<std::string> kCodes = {
      "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX",
      "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ",
      "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK",
      "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM",
      "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR",
      "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS",
      "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN",
      "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN",
      "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV",
      "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ",
      "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI",
      "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM",
      "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC",
      "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV",
      "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR",
      "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
      "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
  };
  return kCodes;
}

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

bool IsEmail(const std::string& s) {
  const size_t at = s.find('@');
  return s.size() <= 254 && at != std::string::npos && at > 0 &&
         s.find('.', at) != std::string::npos && s.find(' ') == std::string::npos &&
         s.back() != '.';
}

bool IsWebsite(const std::string& s) {
  return s.size() <= 300 && (s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0) &&
         s.size() > 8 && s.find(' ') == std::string::npos;
}

}  // namespace

const std::vector<std::string>& Regions() {
  static const std::vector<std::string> kRegions = {"Africa", "Americas", "Arab region",
                                                    "Asia-Pacific", "Europe & Central Asia"};
  return kRegions;
}

bool IsRegion(const std::string& r) {
  const auto& all = Regions();
  return std::find(all.begin(), all.end(), r) != all.end();
}

bool IsCountryCode(const std::string& code) { return CountryCodes().count(code) > 0; }

std::string LegalBasis(const std::string& kind) {
  return kind == "sub_regional" ? "34/2011" : "26/1992";
}

const FieldList& DossierFields() {
  static const FieldList kDossier = [] {
    std::string regions;
    for (const auto& r : Regions()) regions += (regions.empty() ? "" : ", ") + r;
    FieldList list = {
        Field::Text("acronym", 2, 20)
            .Required()
            .Pattern("[A-Za-z0-9-]+")  // upper-cased when kept
            .Says("acronym is 2-20 letters, digits or '-'")
            .SaysMissing("acronym is required"),
        Field::Text("name", 1, 300)
            .Required()
            .Plain(std::string("name") + kNulOrBidiControl)
            .Says("name is 1-300 characters")
            .SaysMissing("name is required"),
        Field::Text("kind", 0, SIZE_MAX)
            .Required()
            .OneOf({"regional", "sub_regional"})
            .Says("kind is regional or sub_regional")
            .SaysMissing("kind is required"),
        Field::Text("region", 0, SIZE_MAX)
            .Required()
            .OneOf(Regions())
            .Says("unknown region (" + regions + ")")
            .SaysMissing("region is required"),
        Field::List("member_bodies", 300)
            .Required()
            .Items(Field::Text("code", 2, 2).Test([](const std::string& code) {
              return IsCountryCode(Upper(code));
            }))
            .Explain([](const Json& v) {
              std::string bad;  // the first text that is no code, named for the client
              if (v.is_array()) {
                for (const auto& e : v.AsArray()) {
                  if (!e.is_string() || !IsCountryCode(Upper(e.AsString()))) {
                    if (e.is_string()) bad = "bad country code '" + e.AsString() + "'; ";
                    break;
                  }
                }
              }
              return bad + "member_bodies is a list of ISO 3166-1 alpha-2 country codes";
            })
            .SaysMissing("member_bodies is required"),
        Field::Text("website", 0, 300).Test(&IsWebsite).Says("website is an http(s) address"),
        Field::Text("statutes_ref", 0, 500).Says("statutes_ref is at most 500 characters"),
        Field::Text("contact_email", 0, 254)
            .Test(&IsEmail)
            .Says("contact_email is an e-mail address")};
    list.not_object = "the dossier must be an object";
    list.joined = true;
    return list;
  }();
  return kDossier;
}

Result<Json> ValidateDossier(const Json& fields, bool partial) {
  FieldList list = partial ? DossierFields().Changing(DossierFields().prefix) : DossierFields();
  if (partial) list.not_object = list.empty = "edit_dossier needs at least one dossier field";
  RSOFLOW_RETURN_IF_ERROR(list.Check(fields));
  Json out = Json::MakeObject();  // the fields present, normalized
  for (const auto& [key, value] : fields.AsObject()) {
    if (value.is_null()) continue;
    if (key == "acronym") {
      out.Set(key, Upper(value.AsString()));
    } else if (key == "member_bodies") {
      std::set<std::string> codes;
      for (const auto& e : value.AsArray()) codes.insert(Upper(e.AsString()));
      Json list = Json::MakeArray();
      for (const auto& c : codes) list.Push(c);
      out.Set(key, std::move(list));
    } else {
      out.Set(key, value);
    }
  }
  return out;
}

std::vector<Reason> DossierGaps(const Json& d) {
  std::vector<Reason> gaps;
  for (const char* key : {"name", "acronym", "kind", "region"}) {
    if (d.GetString(key).empty())
      gaps.push_back(Reason{"dossier_incomplete", std::string(key) + " is missing"});
  }
  const Json* bodies = d.Get("member_bodies");
  if (bodies == nullptr || !bodies->is_array() || bodies->size() < 2) {
    gaps.push_back(Reason{"too_few_member_bodies", "at least 2 member bodies are required"});
  }
  if (d.GetString("statutes_ref").empty()) {
    gaps.push_back(Reason{"dossier_incomplete", "statutes_ref is missing"});
  }
  return gaps;
}

Result<std::string> RecognitionState(WorkflowEnv& env, const std::string& rso_id) {
  // Only the RSO's recognition instances are read, page by page by id, so the newest (the
  // highest id) is found however many there are; normally there is exactly one.
  static constexpr int kPageSize = 500;
  InstanceQuery q;
  q.workflow = "rso_recognition";
  q.rso_id = rso_id;
  q.limit = kPageSize;
  std::string newest_state;
  bool any = false;
  for (;;) {
    auto page = env.FindInstances(q);
    if (!page.ok()) return page.status();
    if (!page->empty()) {
      any = true;
      newest_state = page->back().state;
      q.after_id = page->back().id;
    }
    if (page->size() < static_cast<size_t>(kPageSize)) break;
  }
  if (!any) return Status::NotFound("no RSO " + rso_id);
  return newest_state;
}

Result<Reason> NotRecognizedReason(WorkflowEnv& env, const std::string& rso_id) {
  auto state = RecognitionState(env, rso_id);
  if (!state.ok() && state.status().code() == Status::Code::kNotFound) {
    return Reason{"rso_not_registered", "the RSO " + rso_id + " is not registered"};
  }
  if (!state.ok()) return state.status();  // a storage failure: no answer either way
  if (*state == "recognized") return Reason{};
  return Reason{"rso_not_recognized",
                "the RSO is not recognized (its recognition is " + *state + ")"};
}

const std::vector<std::string>& IsoEventTypes() {
  static const std::vector<std::string> kTypes = {"iso_week",
                                                  "regional_workshop",
                                                  "devco_meeting",
                                                  "leadership_programme",
                                                  "rso_general_assembly",
                                                  "webinar",
                                                  "other"};
  return kTypes;
}

const FieldList& IsoEventFields() {
  static const FieldList kEvent = [] {
    std::string types;
    for (const auto& t : IsoEventTypes()) types += (types.empty() ? "" : ", ") + t;
    std::string regions;
    for (const auto& r : Regions()) regions += (regions.empty() ? "" : ", ") + r;
    FieldList list = {Field::Text("title", 1, 300)
                          .Required()
                          .Plain(std::string("title") + kNulOrBidiControl)
                          .Says("title is 1-300 characters"),
                      Field::Text("type", 0, SIZE_MAX)
                          .Required()
                          .OneOf(IsoEventTypes())
                          .Says("type is one of " + types),
                      Field::Text("region", 0, SIZE_MAX)
                          .Required()
                          .OneOf(Regions())
                          .Says("unknown region (" + regions + ")"),
                      Field::List("rso_ids", 100)
                          .Required()
                          .Items(Field::Text("rso_id", 1, 20))
                          .Says("rso_ids is a list of RSO ids"),
                      Field::Date("starts_on").Required().Says("starts_on is a date YYYY-MM-DD"),
                      Field::Date("ends_on").Required().Says("ends_on is a date YYYY-MM-DD"),
                      Field::Text("location", 0, 300).Says("location is at most 300 characters")};
    list.not_object = "the event must be an object";
    list.not_object_field = "body";
    list.joined = true;
    return list;
  }();
  return kEvent;
}

Result<Json> ValidateIsoEvent(const Json& fields) {
  const Status checked = IsoEventFields().Check(fields);
  const auto& named = checked.fields();
  const bool fields_only = std::all_of(
      named.begin(), named.end(), [](const std::string& f) { return IsoEventFields().Allows(f); });
  if (!checked.ok() && !fields_only) return checked;  // not an object, unknown fields
  // Ends before it starts: refused with the fields' problems, when both dates are dates.
  const auto starts = ParseDate(fields.GetString("starts_on"));
  const auto ends = ParseDate(fields.GetString("ends_on"));
  if (starts && ends && *ends < *starts) {
    std::vector<std::string> bad = named;
    bad.push_back("ends_on");
    return Status::InvalidRequest(
        (checked.ok() ? "" : checked.message() + "; ") + "ends_on is before starts_on", bad);
  }
  RSOFLOW_RETURN_IF_ERROR(checked);
  Json out = Json::MakeObject();
  for (const char* key : {"title", "type", "region", "location"}) {
    if (const Json* v = fields.Get(key); v != nullptr && v->is_string()) out.Set(key, *v);
  }
  std::set<std::string> seen;
  Json ids = Json::MakeArray();  // each once, in the order given
  for (const auto& e : fields.Get("rso_ids")->AsArray()) {
    if (seen.insert(e.AsString()).second) ids.Push(e);
  }
  out.Set("rso_ids", std::move(ids));
  out.Set("starts_on", FormatDate(*starts));
  out.Set("ends_on", FormatDate(*ends));
  return out;
}

std::string IsoEventKey(const Json& event) {
  return event.GetString("starts_on") + " " + event.GetString("title");
}

bool IsoEventLists(const Json& event, const std::string& rso_id) {
  const Json* rsos = event.Get("rso_ids");
  if (rsos == nullptr || !rsos->is_array()) return false;
  return std::any_of(rsos->AsArray().begin(), rsos->AsArray().end(),
                     [&](const Json& id) { return id.is_string() && id.AsString() == rso_id; });
}

Result<Record> FindIsoEvent(WorkflowEnv& env, const std::string& event_id, const Actor& caller,
                            const std::string& field) {
  auto event = env.GetRecord(kIsoEventKind, event_id);
  if (!event.ok() && event.status().code() != Status::Code::kNotFound) return event.status();
  if (!event.ok() ||
      (caller.role == role::kLiaison && !IsoEventLists(event->data, caller.rso_id))) {
    return Status::InvalidRequest("no ISO event " + event_id, {field});
  }
  return event;
}

Reason NotListedReason(const Record& event, const std::string& rso_id) {
  if (IsoEventLists(event.data, rso_id)) return Reason{};
  return Reason{"iso_event_does_not_list_rso",
                "the ISO event " + event.id + " does not list the RSO " + rso_id};
}

}  // namespace rsoflow::rso
