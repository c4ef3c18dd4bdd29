#include "engine/fields.h"

#include <algorithm>
#include <cmath>

#include "engine/clock.h"
#include "engine/text.h"

namespace rsoflow {
namespace {

Field Make(std::string name, FieldType type, double min, double max) {
  Field f;
  f.name = std::move(name);
  f.type = type;
  f.min = min;
  f.max = max;
  return f;
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

bool InRange(double x, const Field& f) { return x >= f.min && x <= f.max; }

// Ok when `v` (present, not null) is what `f` says; the status of a list entry's own fields.
Status CheckValue(const Json& v, const Field& f, const std::string& where, bool* valid) {
  *valid = true;
  switch (f.type) {
    case FieldType::kAny:
      break;
    case FieldType::kText: {
      const bool ok = v.is_string() && InRange(static_cast<double>(v.AsString().size()), f) &&
                      (f.one_of.empty() || std::find(f.one_of.begin(), f.one_of.end(),
                                                     v.AsString()) != f.one_of.end()) &&
                      !(f.plain && HasNulOrBidiControl(v.AsString()));
      *valid = ok;
      break;
    }
    case FieldType::kInt:
      *valid = v.is_int() && InRange(static_cast<double>(v.AsInt()), f);
      break;
    case FieldType::kNumber:
      *valid = v.is_number() && std::isfinite(v.AsDouble()) && InRange(v.AsDouble(), f);
      break;
    case FieldType::kTime:
      *valid = v.is_string() && ParseTime(v.AsString()).has_value();
      break;
    case FieldType::kDate:
      *valid = v.is_string() && ParseDate(v.AsString()).has_value();
      break;
    case FieldType::kList:
      *valid = v.is_array() && InRange(static_cast<double>(v.size()), f);
      if (*valid && f.entries) {
        for (size_t i = 0; i < v.size(); ++i) {
          FieldList entry = *f.entries;
          const std::string at = where + "[" + std::to_string(i) + "]";
          entry.prefix = at + ".";
          entry.not_object = at + " must be an object";
          entry.not_object_field = at;
          RSOFLOW_RETURN_IF_ERROR(entry.Check(v.AsArray()[i]));
        }
      }
      break;
  }
  return Status::Ok();
}

}  // namespace

Field Field::Any(std::string name) { return Make(std::move(name), FieldType::kAny, 0, 0); }
Field Field::Text(std::string name, size_t min_bytes, size_t max_bytes) {
  return Make(std::move(name), FieldType::kText, static_cast<double>(min_bytes),
              static_cast<double>(max_bytes));
}
Field Field::Int(std::string name, int64_t min, int64_t max) {
  return Make(std::move(name), FieldType::kInt, static_cast<double>(min), static_cast<double>(max));
}
Field Field::Number(std::string name, double min, double max) {
  return Make(std::move(name), FieldType::kNumber, min, max);
}
Field Field::Time(std::string name) { return Make(std::move(name), FieldType::kTime, 0, 0); }
Field Field::Date(std::string name) { return Make(std::move(name), FieldType::kDate, 0, 0); }
Field Field::List(std::string name, size_t max_entries) {
  return Make(std::move(name), FieldType::kList, 0, static_cast<double>(max_entries));
}
Field& Field::Required() {
  required = true;
  return *this;
}
Field& Field::OneOf(std::vector<std::string> values) {
  one_of = std::move(values);
  return *this;
}
Field& Field::Plain() {
  plain = true;
  return *this;
}
Field& Field::Entries(FieldList fields) {
  entries = std::make_shared<const FieldList>(std::move(fields));
  return *this;
}
Field& Field::Says(std::string sentence) {
  says = std::move(sentence);
  return *this;
}

Field& Field::About(std::string description) {
  about = std::move(description);
  return *this;
}

bool FieldList::Allows(const std::string& name) const {
  return std::any_of(fields.begin(), fields.end(), [&](const Field& f) { return f.name == name; });
}

Status FieldList::Check(const Json& object) const {
  if (!object.is_object()) return Status::InvalidRequest(not_object, {not_object_field});
  std::vector<std::string> unknown_fields;
  for (const auto& [key, value] : object.AsObject()) {
    if (!Allows(key)) unknown_fields.push_back(prefix + key);
  }
  if (!unknown_fields.empty()) {
    return Status::InvalidRequest(unknown + (unknown_names ? Join(unknown_fields) : ""),
                                  unknown_fields);
  }
  auto absent = [&](const Field& f) {
    const Json* v = object.Get(f.name);
    return v == nullptr || v->is_null();
  };
  if (!missing.empty()) {
    std::vector<std::string> names;
    for (const Field& f : fields) {
      if (f.required && absent(f)) names.push_back(prefix + f.name);
    }
    if (!names.empty()) return Status::InvalidRequest(missing + Join(names), names);
  }
  std::vector<std::string> invalid;
  for (const Field& f : fields) {
    const std::string where = prefix + f.name;
    bool valid = !f.required;
    if (!absent(f)) {
      RSOFLOW_RETURN_IF_ERROR(CheckValue(*object.Get(f.name), f, where, &valid));
    }
    if (valid) continue;
    if (summary.empty()) {
      return Status::InvalidRequest(f.says.empty() ? where + " is invalid" : f.says, {where});
    }
    invalid.push_back(where);
  }
  if (!invalid.empty()) return Status::InvalidRequest(summary, invalid);
  return Status::Ok();
}

FieldList BodyFields(std::initializer_list<const char*> allowed,
                     std::initializer_list<const char*> required) {
  FieldList list;
  for (const char* name : allowed) {
    Field f = Field::Any(name);
    f.required =
        std::any_of(required.begin(), required.end(), [&](const char* r) { return f.name == r; });
    list.fields.push_back(std::move(f));
  }
  list.not_object = "the request body must be a JSON object";
  list.not_object_field = "body";
  list.unknown = "unknown or read-only field(s): ";
  list.missing = "missing field(s): ";
  return list;
}

}  // namespace rsoflow
