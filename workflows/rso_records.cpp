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

bool IsAcronym(const std::string& s) {
  if (s.size() < 2 || s.size() > 20) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
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

Result<Json> ValidateDossier(const Json& fields, bool partial) {
  static const FieldList kDossier = [] {
    FieldList list = {Field::Any("acronym"),       Field::Any("name"),
                      Field::Any("kind"),          Field::Any("region"),
                      Field::Any("member_bodies"), Field::Any("website"),
                      Field::Any("statutes_ref"),  Field::Any("contact_email")};
    list.not_object = "the dossier must be an object";
    return list;
  }();
  RSOFLOW_RETURN_IF_ERROR(kDossier.Check(fields));  // the values are checked below
  std::vector<std::string> bad;
  std::string why;
  auto note = [&](const std::string& field, const std::string& reason) {
    bad.push_back(field);
    why += (why.empty() ? "" : "; ") + reason;
  };
  Json out = Json::MakeObject();
  auto present = [&](const char* key) {
    const Json* v = fields.Get(key);
    return v != nullptr && !v->is_null();
  };
  auto required = [&](const char* key) {
    if (!partial && !present(key)) {
      note(key, std::string(key) + " is required");
      return false;
    }
    return present(key);
  };
  if (required("acronym")) {
    const Json* v = fields.Get("acronym");
    if (!v->is_string() || !IsAcronym(Upper(v->AsString()))) {
      note("acronym", "acronym is 2-20 letters, digits or '-'");
    } else {
      out.Set("acronym", Upper(v->AsString()));
    }
  }
  if (required("name")) {
    const Json* v = fields.Get("name");
    if (v->is_string() && HasNulOrBidiControl(v->AsString())) {
      note("name", std::string("name") + kNulOrBidiControl);
    } else if (!v->is_string() || v->AsString().empty() || v->AsString().size() > 300) {
      note("name", "name is 1-300 characters");
    } else {
      out.Set("name", v->AsString());
    }
  }
  if (required("kind")) {
    const Json* v = fields.Get("kind");
    if (!v->is_string() || (v->AsString() != "regional" && v->AsString() != "sub_regional")) {
      note("kind", "kind is regional or sub_regional");
    } else {
      out.Set("kind", v->AsString());
    }
  }
  if (required("region")) {
    const Json* v = fields.Get("region");
    if (!v->is_string() || !IsRegion(v->AsString())) {
      note("region",
           "unknown region (Africa, Americas, Arab region, Asia-Pacific, Europe & "
           "Central Asia)");
    } else {
      out.Set("region", v->AsString());
    }
  }
  if (required("member_bodies")) {
    const Json* v = fields.Get("member_bodies");
    std::set<std::string> codes;
    bool ok = v->is_array() && v->size() <= 300;
    if (ok) {
      for (const auto& e : v->AsArray()) {
        if (!e.is_string() || !IsCountryCode(Upper(e.AsString()))) {
          ok = false;
          if (e.is_string())
            why += (why.empty() ? "" : "; ") + ("bad country code '" + e.AsString() + "'");
          break;
        }
        codes.insert(Upper(e.AsString()));
      }
    }
    if (!ok) {
      note("member_bodies", "member_bodies is a list of ISO 3166-1 alpha-2 country codes");
    } else {
      Json list = Json::MakeArray();
      for (const auto& c : codes) list.Push(c);
      out.Set("member_bodies", std::move(list));
    }
  }
  auto optional_text = [&](const char* key, size_t max, bool (*check)(const std::string&),
                           const char* reason) {
    if (!present(key)) return;
    const Json* v = fields.Get(key);
    if (!v->is_string() || v->AsString().size() > max || (check && !check(v->AsString()))) {
      note(key, reason);
    } else {
      out.Set(key, v->AsString());
    }
  };
  optional_text("website", 300, &IsWebsite, "website is an http(s) address");
  optional_text("statutes_ref", 500, nullptr, "statutes_ref is at most 500 characters");
  optional_text("contact_email", 254, &IsEmail, "contact_email is an e-mail address");
  if (!bad.empty()) return Status::InvalidRequest(why, bad);
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

Result<Json> ValidateIsoEvent(const Json& fields) {
  static const FieldList kEvent = [] {
    FieldList list = {Field::Any("title"),   Field::Any("type"),      Field::Any("region"),
                      Field::Any("rso_ids"), Field::Any("starts_on"), Field::Any("ends_on"),
                      Field::Any("location")};
    list.not_object = "the event must be an object";
    list.not_object_field = "body";
    return list;
  }();
  RSOFLOW_RETURN_IF_ERROR(kEvent.Check(fields));  // the values are checked below
  std::vector<std::string> bad;
  std::string why;
  auto note = [&](const std::string& field, const std::string& reason) {
    bad.push_back(field);
    why += (why.empty() ? "" : "; ") + reason;
  };
  auto text = [&](const char* key) -> const std::string* {
    const Json* v = fields.Get(key);
    return v != nullptr && v->is_string() ? &v->AsString() : nullptr;
  };
  Json out = Json::MakeObject();
  const std::string* title = text("title");
  if (title != nullptr && HasNulOrBidiControl(*title)) {
    note("title", std::string("title") + kNulOrBidiControl);
  } else if (title == nullptr || title->empty() || title->size() > 300) {
    note("title", "title is 1-300 characters");
  } else {
    out.Set("title", *title);
  }
  const std::string* type = text("type");
  const auto& types = IsoEventTypes();
  if (type == nullptr || std::find(types.begin(), types.end(), *type) == types.end()) {
    note("type",
         "type is one of iso_week, regional_workshop, devco_meeting, "
         "leadership_programme, rso_general_assembly, webinar, other");
  } else {
    out.Set("type", *type);
  }
  const std::string* region = text("region");
  if (region == nullptr || !IsRegion(*region)) {
    note("region",
         "unknown region (Africa, Americas, Arab region, Asia-Pacific, Europe & "
         "Central Asia)");
  } else {
    out.Set("region", *region);
  }
  const Json* rsos = fields.Get("rso_ids");
  bool rsos_ok = rsos != nullptr && rsos->is_array() && rsos->size() <= 100;
  Json ids = Json::MakeArray();
  if (rsos_ok) {
    std::set<std::string> seen;
    for (const auto& e : rsos->AsArray()) {
      if (!e.is_string() || e.AsString().empty() || e.AsString().size() > 20) {
        rsos_ok = false;
        break;
      }
      if (seen.insert(e.AsString()).second) ids.Push(e.AsString());
    }
  }
  if (!rsos_ok) {
    note("rso_ids", "rso_ids is a list of RSO ids");
  } else {
    out.Set("rso_ids", std::move(ids));
  }
  std::optional<int64_t> starts, ends;
  if (const std::string* s = text("starts_on"); s != nullptr) starts = ParseDate(*s);
  if (const std::string* s = text("ends_on"); s != nullptr) ends = ParseDate(*s);
  if (!starts) note("starts_on", "starts_on is a date YYYY-MM-DD");
  if (!ends) note("ends_on", "ends_on is a date YYYY-MM-DD");
  if (starts && ends) {
    if (*ends < *starts) {
      note("ends_on", "ends_on is before starts_on");
    } else {
      out.Set("starts_on", FormatDate(*starts));
      out.Set("ends_on", FormatDate(*ends));
    }
  }
  if (const Json* loc = fields.Get("location"); loc != nullptr && !loc->is_null()) {
    if (!loc->is_string() || loc->AsString().size() > 300) {
      note("location", "location is at most 300 characters");
    } else {
      out.Set("location", loc->AsString());
    }
  }
  if (!bad.empty()) return Status::InvalidRequest(why, bad);
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
