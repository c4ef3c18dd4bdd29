#include "tests/support/json_schema_check.h"

#include <cmath>
#include <regex>
#include <set>

namespace rsoflow::testing {
namespace {

// Deep enough for any answer; it stops a $ref that points at itself.
constexpr int kMaxDepth = 64;

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool HasType(const std::string& type, const Json& value) {
  if (type == "null") return value.is_null();
  if (type == "boolean") return value.is_bool();
  if (type == "integer") {
    return value.is_int() ||
           (value.is_number() && std::floor(value.AsDouble()) == value.AsDouble());
  }
  if (type == "number") return value.is_number();
  if (type == "string") return value.is_string();
  if (type == "array") return value.is_array();
  if (type == "object") return value.is_object();
  return false;
}

std::string TypeOf(const Json& value) {
  switch (value.type()) {
    case Json::Type::kNull:
      return "null";
    case Json::Type::kBool:
      return "a boolean";
    case Json::Type::kInt:
      return "an integer";
    case Json::Type::kDouble:
      return "a number";
    case Json::Type::kString:
      return "a string";
    case Json::Type::kArray:
      return "an array";
    case Json::Type::kObject:
      return "an object";
  }
  return "?";
}

double NumberOf(const Json& value) {
  return value.is_int() ? static_cast<double>(value.AsInt()) : value.AsDouble();
}

class Checker {
 public:
  Checker(const Json& document, bool every_field_listed, std::vector<std::string>* problems)
      : document_(document), every_field_listed_(every_field_listed), problems_(problems) {}

  // `closed`: a field no properties list (here or in an allOf) is a problem; false inside an
  // allOf, whose branches each list only part of the fields.
  void Check(const Json& schema, const Json& value, const std::string& where, int depth,
             bool closed) {
    if (depth > kMaxDepth) return Problem(where, "the schema nests deeper than the checker goes");
    if (schema.is_bool()) {
      if (!schema.AsBool()) Problem(where, "is present where the document allows nothing");
      return;
    }
    if (!schema.is_object()) return Problem(where, "the schema is not an object: " + schema.Dump());
    for (const auto& [keyword, argument] : schema.AsObject()) {
      if (kChecked.count(keyword) == 0 && kAnnotations.count(keyword) == 0) {
        Problem(where, "schema keyword \"" + keyword +
                           "\" is not checked by tests/support/json_schema_check.cpp");
      }
    }
    if (const Json* ref = schema.Get("$ref")) {
      const Json* target = Resolve(ref->is_string() ? ref->AsString() : "");
      if (target == nullptr) return Problem(where, "$ref " + ref->Dump() + " points at nothing");
      Check(*target, value, where, depth + 1, closed);
    }
    if (!CheckType(schema, value, where)) return;  // the other keywords would only repeat it
    if (const Json* values = schema.Get("enum")) {
      bool found = false;
      for (const Json& v : ListOf(schema, "enum", where)) found = found || v == value;
      if (!found) Problem(where, value.Dump() + " is not one of " + values->Dump());
    }
    if (const Json* constant = schema.Get("const"); constant && !(*constant == value)) {
      Problem(where, value.Dump() + " is not " + constant->Dump());
    }
    for (const Json& sub : ListOf(schema, "allOf", where)) {
      Check(sub, value, where, depth + 1, false);
    }
    if (closed && value.is_object()) CheckEveryFieldListed(schema, value, where, depth);
    CheckAlternatives(schema, value, where, depth);
    if (value.is_object()) CheckObject(schema, value, where, depth);
    if (value.is_array()) CheckArray(schema, value, where, depth);
    if (value.is_string()) CheckString(schema, value.AsString(), where);
    if (value.is_number()) CheckNumber(schema, NumberOf(value), where);
  }

 private:
  static const std::set<std::string> kChecked;
  static const std::set<std::string> kAnnotations;

  void Problem(const std::string& where, const std::string& what) {
    problems_->push_back(where + ": " + what);
  }

  // The list a keyword holds (empty, and a problem, when it holds something else).
  const Json::Array& ListOf(const Json& schema, const char* keyword, const std::string& where) {
    static const Json::Array kNone;
    const Json* list = schema.Get(keyword);
    if (list == nullptr) return kNone;
    if (!list->is_array()) {
      Problem(where, std::string("the schema's ") + keyword + " is not a list");
      return kNone;
    }
    return list->AsArray();
  }

  // "#/components/schemas/Rso" -> that node of the document.
  const Json* Resolve(const std::string& ref) const {
    if (ref.rfind("#/", 0) != 0) return nullptr;
    const Json* node = &document_;
    size_t start = 2;
    while (node != nullptr && start <= ref.size()) {
      size_t end = ref.find('/', start);
      if (end == std::string::npos) end = ref.size();
      std::string part = ref.substr(start, end - start);
      for (size_t at; (at = part.find("~1")) != std::string::npos;) part.replace(at, 2, "/");
      for (size_t at; (at = part.find("~0")) != std::string::npos;) part.replace(at, 2, "~");
      node = node->is_object() ? node->Get(part) : nullptr;
      start = end + 1;
    }
    return node;
  }

  bool CheckType(const Json& schema, const Json& value, const std::string& where) {
    const Json* type = schema.Get("type");
    if (type == nullptr) return true;
    std::vector<std::string> allowed;
    if (type->is_string()) allowed.push_back(type->AsString());
    if (type->is_array()) {
      for (const Json& t : type->AsArray()) allowed.push_back(t.is_string() ? t.AsString() : "");
    }
    for (const std::string& t : allowed) {
      if (HasType(t, value)) return true;
    }
    Problem(where, "is " + TypeOf(value) + " where the document says type " + type->Dump());
    return false;
  }

  bool Matches(const Json& schema, const Json& value, int depth) {
    std::vector<std::string> found;
    Checker(document_, every_field_listed_, &found).Check(schema, value, "$", depth + 1, true);
    return found.empty();
  }

  void CheckAlternatives(const Json& schema, const Json& value, const std::string& where,
                         int depth) {
    if (schema.Has("anyOf")) {
      bool matched = false;
      for (const Json& sub : ListOf(schema, "anyOf", where))
        matched = matched || Matches(sub, value, depth);
      if (!matched) Problem(where, "matches none of anyOf");
    }
    if (schema.Has("oneOf")) {
      int matched = 0;
      for (const Json& sub : ListOf(schema, "oneOf", where))
        matched += Matches(sub, value, depth) ? 1 : 0;
      if (matched != 1) {
        Problem(where, "matches " + std::to_string(matched) + " of oneOf (must be exactly 1)");
      }
    }
  }

  void CheckObject(const Json& schema, const Json& value, const std::string& where, int depth) {
    const Json* properties = schema.Get("properties");
    for (const Json& name : ListOf(schema, "required", where)) {
      if (!name.is_string()) {
        Problem(where, "a required entry is not a name: " + name.Dump());
      } else if (!value.Has(name.AsString())) {
        Problem(where, "lacks required field " + name.AsString());
      }
    }
    const Json* additional = schema.Get("additionalProperties");
    for (const auto& [name, field] : value.AsObject()) {
      const std::string at = where + "." + name;
      const Json* declared = properties != nullptr ? properties->Get(name) : nullptr;
      if (declared != nullptr) {
        Check(*declared, field, at, depth + 1, every_field_listed_);
      } else if (additional != nullptr) {
        if (additional->is_bool() && !additional->AsBool()) {
          Problem(at, "is not a field the document lists (additionalProperties: false)");
        } else {
          Check(*additional, field, at, depth + 1, every_field_listed_);
        }
      }
    }
  }

  // The fields the properties of `schema` and of its allOf branches list; false when one of
  // them takes any other field too (additionalProperties other than false).
  bool ListedFields(const Json& schema, int depth, std::set<std::string>* names) {
    if (depth > kMaxDepth || !schema.is_object()) return true;
    if (const Json* ref = schema.Get("$ref"); ref && ref->is_string()) {
      if (const Json* target = Resolve(ref->AsString())) {
        if (!ListedFields(*target, depth + 1, names)) return false;
      }
    }
    if (const Json* additional = schema.Get("additionalProperties")) {
      if (!additional->is_bool() || additional->AsBool()) return false;
    }
    if (const Json* properties = schema.Get("properties"); properties && properties->is_object()) {
      for (const auto& [name, sub] : properties->AsObject()) names->insert(name);
    }
    if (const Json* all = schema.Get("allOf"); all && all->is_array()) {
      for (const Json& sub : all->AsArray()) {
        if (!ListedFields(sub, depth + 1, names)) return false;
      }
    }
    return true;
  }

  // Only where this schema lists fields itself (a $ref's target checks its own): an object
  // the document leaves open ({type: object}, no properties) takes any field.
  void CheckEveryFieldListed(const Json& schema, const Json& value, const std::string& where,
                             int depth) {
    if (!schema.Has("properties") && !schema.Has("allOf")) return;
    if (schema.Has("additionalProperties")) return;  // CheckObject holds it to that
    std::set<std::string> names;
    if (!ListedFields(schema, depth, &names) || names.empty()) return;
    for (const auto& [name, field] : value.AsObject()) {
      if (names.count(name) == 0) {
        Problem(where + "." + name, "is a field the document does not list");
      }
    }
  }

  void CheckArray(const Json& schema, const Json& value, const std::string& where, int depth) {
    const size_t n = value.size();
    if (const Json* min = schema.Get("minItems"); min && n < static_cast<size_t>(min->AsInt())) {
      Problem(where, "has " + std::to_string(n) + " items, fewer than minItems " + min->Dump());
    }
    if (const Json* max = schema.Get("maxItems"); max && n > static_cast<size_t>(max->AsInt())) {
      Problem(where, "has " + std::to_string(n) + " items, more than maxItems " + max->Dump());
    }
    if (const Json* items = schema.Get("items")) {
      for (size_t i = 0; i < n; ++i) {
        Check(*items, value.AsArray()[i], where + "[" + std::to_string(i) + "]", depth + 1,
              every_field_listed_);
      }
    }
  }

  void CheckString(const Json& schema, const std::string& s, const std::string& where) {
    const size_t length = CodePoints(s);
    if (const Json* min = schema.Get("minLength");
        min && length < static_cast<size_t>(min->AsInt())) {
      Problem(where, "is shorter than minLength " + min->Dump());
    }
    if (const Json* max = schema.Get("maxLength");
        max && length > static_cast<size_t>(max->AsInt())) {
      Problem(where, "is longer than maxLength " + max->Dump());
    }
    if (const Json* pattern = schema.Get("pattern")) {
      if (!std::regex_search(s, std::regex(pattern->AsString()))) {
        Problem(where, Json(s).Dump() + " does not match the pattern " + pattern->Dump());
      }
    }
    if (const Json* format = schema.Get("format")) {
      static const std::regex kDate("[0-9]{4}-[0-9]{2}-[0-9]{2}");
      static const std::regex kDateTime(
          "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{"
          "2})");
      const std::string f = format->AsString();
      if ((f == "date" && !std::regex_match(s, kDate)) ||
          (f == "date-time" && !std::regex_match(s, kDateTime))) {
        Problem(where, Json(s).Dump() + " is not a " + f + " (RFC 3339)");
      }
    }
  }

  void CheckNumber(const Json& schema, double n, const std::string& where) {
    if (const Json* min = schema.Get("minimum"); min && n < NumberOf(*min)) {
      Problem(where, "is under the minimum " + min->Dump());
    }
    if (const Json* max = schema.Get("maximum"); max && n > NumberOf(*max)) {
      Problem(where, "is over the maximum " + max->Dump());
    }
  }

  const Json& document_;
  const bool every_field_listed_;
  std::vector<std::string>* problems_;
};

const std::set<std::string> Checker::kChecked = {"$ref",
                                                 "type",
                                                 "enum",
                                                 "const",
                                                 "properties",
                                                 "required",
                                                 "additionalProperties",
                                                 "items",
                                                 "allOf",
                                                 "anyOf",
                                                 "oneOf",
                                                 "format",
                                                 "pattern",
                                                 "minimum",
                                                 "maximum",
                                                 "minLength",
                                                 "maxLength",
                                                 "minItems",
                                                 "maxItems"};
const std::set<std::string> Checker::kAnnotations = {"description", "title",      "default",
                                                     "readOnly",    "writeOnly",  "example",
                                                     "examples",    "deprecated", "$comment"};

}  // namespace

void CheckJsonSchema(const Json& document, const Json& schema, const Json& value,
                     bool every_field_listed, std::vector<std::string>* problems) {
  Checker(document, every_field_listed, problems).Check(schema, value, "$", 0, every_field_listed);
}

}  // namespace rsoflow::testing
