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

// "{}" in a sentence stands for the field's name with its prefix.
std::string Fill(const std::string& sentence, const std::string& where) {
  const size_t at = sentence.find("{}");
  if (at == std::string::npos) return sentence;
  return sentence.substr(0, at) + where + sentence.substr(at + 2);
}

// One thing wrong with an object: the fields it names and why. `own`: the field says so itself
// (see FieldList::summary).
struct Problem {
  std::vector<std::string> fields;
  std::string says;
  bool own = false;
};

Status ToStatus(const Problem& p) { return Status::InvalidRequest(p.says, p.fields); }

Problem Joined(const std::vector<Problem>& problems) {
  Problem all;
  for (const Problem& p : problems) {
    all.fields.insert(all.fields.end(), p.fields.begin(), p.fields.end());
    all.says += (all.says.empty() ? "" : "; ") + p.says;
  }
  return all;
}

enum class Verdict { kValid, kInvalid, kNotPlain, kEntries };

// The list of an entry `at` of a list field, worded for it.
FieldList EntryList(const FieldList& entries, const std::string& at) {
  FieldList entry = entries;
  entry.prefix = at + ".";
  entry.not_object = at + " must be an object" + entries.shape;
  entry.not_object_field = at;
  return entry;
}

// Whether `v` (present) is what `f` says; for a list of objects, *entries holds what is wrong
// with its entries (every entry's problems when the entries' list is `joined`, else the first).
Verdict Judge(const Json& v, const Field& f, const std::string& where, Problem* entries) {
  switch (f.type) {
    case FieldType::kAny:
      return Verdict::kValid;
    case FieldType::kText: {
      if (!v.is_string()) return Verdict::kInvalid;
      const std::string& s = v.AsString();
      if (f.plain && HasNulOrBidiControl(s)) return Verdict::kNotPlain;
      const bool ok =
          InRange(static_cast<double>(s.size()), f) &&
          (f.one_of.empty() || std::find(f.one_of.begin(), f.one_of.end(), s) != f.one_of.end()) &&
          (!f.pattern || std::regex_match(s, *f.pattern)) && (f.test == nullptr || f.test(s));
      return ok ? Verdict::kValid : Verdict::kInvalid;
    }
    case FieldType::kInt:
      return v.is_int() && InRange(static_cast<double>(v.AsInt()), f) ? Verdict::kValid
                                                                      : Verdict::kInvalid;
    case FieldType::kNumber:
      return v.is_number() && std::isfinite(v.AsDouble()) && InRange(v.AsDouble(), f)
                 ? Verdict::kValid
                 : Verdict::kInvalid;
    case FieldType::kTime:
      return v.is_string() && ParseTime(v.AsString()).has_value() ? Verdict::kValid
                                                                  : Verdict::kInvalid;
    case FieldType::kDate:
      return v.is_string() && ParseDate(v.AsString()).has_value() ? Verdict::kValid
                                                                  : Verdict::kInvalid;
    case FieldType::kBool:
      return v.is_bool() ? Verdict::kValid : Verdict::kInvalid;
    case FieldType::kList: {
      if (!v.is_array() || !InRange(static_cast<double>(v.size()), f)) return Verdict::kInvalid;
      if (f.items) {
        Problem unused;
        for (const Json& e : v.AsArray()) {
          if (e.is_null() || Judge(e, *f.items, where, &unused) != Verdict::kValid) {
            return Verdict::kInvalid;
          }
        }
      }
      if (!f.entries) return Verdict::kValid;
      std::vector<Problem> wrong;
      // Entries that are the list's problems read as the list's own sentences do, without the
      // list's prefix ("standards[0].degree ..." naming "data.standards").
      const std::string list = f.entries_as_list ? f.name : where;
      for (size_t i = 0; i < v.size(); ++i) {
        const Status s =
            EntryList(*f.entries, list + "[" + std::to_string(i) + "]").Check(v.AsArray()[i]);
        if (s.ok()) continue;
        wrong.push_back(Problem{s.fields(), s.message()});
        if (!f.entries->joined) break;
      }
      if (wrong.empty()) return Verdict::kValid;
      *entries = Joined(wrong);
      if (f.entries_as_list) entries->fields = {where};
      return Verdict::kEntries;
    }
  }
  return Verdict::kInvalid;
}

// Every problem of the fields of `object` (an object without unknown members), in the order of
// the list.
std::vector<Problem> FieldProblems(const FieldList& list, const Json& object) {
  std::vector<Problem> problems;
  for (const Field& f : list.fields) {
    const std::string where = list.prefix + f.name;
    const Json* v = object.Get(f.name);
    const std::string invalid = f.says.empty() ? where + " is invalid" : Fill(f.says, where);
    if (v == nullptr || (list.null_is_absent && f.nullable && v->is_null())) {
      if (!f.required || list.partial) continue;
      problems.push_back(f.says_missing.empty()
                             ? Problem{{where}, invalid, false}
                             : Problem{{where}, Fill(f.says_missing, where), true});
      continue;
    }
    Problem entries;
    switch (Judge(*v, f, where, &entries)) {
      case Verdict::kValid:
        break;
      case Verdict::kInvalid:
        problems.push_back(f.explain != nullptr ? Problem{{where}, f.explain(*v), true}
                                                : Problem{{where}, invalid, !f.says.empty()});
        break;
      case Verdict::kNotPlain:
        problems.push_back(f.says_plain.empty()
                               ? Problem{{where}, invalid, !f.says.empty()}
                               : Problem{{where}, Fill(f.says_plain, where), true});
        break;
      case Verdict::kEntries:
        entries.own = true;
        problems.push_back(std::move(entries));
        break;
    }
  }
  return problems;
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
Field Field::Bool(std::string name) { return Make(std::move(name), FieldType::kBool, 0, 0); }
Field& Field::Required() {
  required = true;
  return *this;
}
Field& Field::OneOf(std::vector<std::string> values) {
  one_of = std::move(values);
  return *this;
}
Field& Field::Plain(std::string sentence) {
  plain = true;
  says_plain = std::move(sentence);
  return *this;
}
Field& Field::Pattern(const std::string& ecmascript_regex) {
  pattern = std::make_shared<const std::regex>(ecmascript_regex);
  pattern_source = ecmascript_regex;
  return *this;
}
Field& Field::Test(bool (*passes)(const std::string& text)) {
  test = passes;
  return *this;
}
Field& Field::Explain(std::string (*sentence)(const Json& value)) {
  explain = sentence;
  return *this;
}
Field& Field::Entries(FieldList fields) {
  entries = std::make_shared<const FieldList>(std::move(fields));
  return *this;
}
Field& Field::Items(Field each) {
  items = std::make_shared<const Field>(std::move(each));
  return *this;
}
Field& Field::EntriesAsList() {
  entries_as_list = true;
  return *this;
}
Field& Field::Internal() {
  internal = true;
  return *this;
}
Field& Field::NotNull() {
  nullable = false;
  return *this;
}
Field& Field::Says(std::string sentence) {
  says = std::move(sentence);
  return *this;
}
Field& Field::SaysMissing(std::string sentence) {
  says_missing = std::move(sentence);
  return *this;
}

Field& Field::About(std::string description) {
  about = std::move(description);
  return *this;
}

bool FieldList::Allows(const std::string& name) const {
  return std::any_of(fields.begin(), fields.end(), [&](const Field& f) { return f.name == name; });
}

namespace {

// What is wrong with `object` for `list`: a status when the list refuses it before its fields
// (not an object, empty, unknown or missing fields worded at once), else every problem.
Status Collect(const FieldList& list, const Json& object, bool all, std::vector<Problem>* out) {
  if (!object.is_object()) return Status::InvalidRequest(list.not_object, {list.not_object_field});
  if (!list.empty.empty() && object.size() == 0) {
    return Status::InvalidRequest(list.empty, {list.not_object_field});
  }
  std::vector<std::string> unknown_fields;
  for (const auto& [key, value] : object.AsObject()) {
    if (!list.Allows(key)) unknown_fields.push_back(list.prefix + key);
  }
  if (!unknown_fields.empty()) {
    if (list.unknown_each.empty()) {
      return Status::InvalidRequest(list.unknown + (list.unknown_names ? Join(unknown_fields) : ""),
                                    unknown_fields);
    }
    for (const auto& name : unknown_fields) {
      out->push_back(Problem{{name}, name + list.unknown_each, true});
    }
    if (!all) return Status::Ok();
  }
  if (!list.missing.empty() && !list.partial) {
    std::vector<std::string> names;
    for (const Field& f : list.fields) {
      const Json* v = object.Get(f.name);
      if (f.required && (v == nullptr || (list.null_is_absent && v->is_null()))) {
        names.push_back(list.prefix + f.name);
      }
    }
    if (!names.empty()) return Status::InvalidRequest(list.missing + Join(names), names);
  }
  for (Problem& p : FieldProblems(list, object)) out->push_back(std::move(p));
  if (list.rules != nullptr) {
    for (std::string& broken : list.rules(object, list.not_object_field)) {
      out->push_back(Problem{{list.not_object_field}, std::move(broken), true});
    }
  }
  return Status::Ok();
}

}  // namespace

Status FieldList::Check(const Json& object) const {
  std::vector<Problem> problems;
  RSOFLOW_RETURN_IF_ERROR(Collect(*this, object, joined, &problems));
  if (problems.empty()) return Status::Ok();
  if (joined) return ToStatus(Joined(problems));
  if (summary.empty()) return ToStatus(problems.front());
  std::vector<std::string> invalid;
  for (const Problem& p : problems) {
    if (!p.own) invalid.insert(invalid.end(), p.fields.begin(), p.fields.end());
  }
  if (!invalid.empty()) return Status::InvalidRequest(summary, invalid);
  return ToStatus(problems.front());  // every problem is a field's own
}

std::vector<std::string> FieldList::EntryProblems(const Json& entry, const std::string& at) const {
  std::vector<Problem> problems;
  const Status early = Collect(EntryList(*this, at), entry, true, &problems);
  if (!early.ok()) return {early.message()};
  std::vector<std::string> out;
  for (const Problem& p : problems) out.push_back(p.says);
  return out;
}

FieldList FieldList::Changing(std::string new_prefix) const {
  FieldList list = *this;
  list.prefix = std::move(new_prefix);
  list.partial = true;
  return list;
}

std::vector<const Field*> FieldList::ClientFields() const {
  std::vector<const Field*> out;
  for (const Field& f : fields) {
    if (!f.internal) out.push_back(&f);
  }
  return out;
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

namespace rsoflow {

FieldList BodyFields(const FieldList& of) {
  FieldList list = BodyFields({});
  for (const Field* f : of.ClientFields()) {
    Field any = Field::Any(f->name);
    any.required = f->required;
    list.fields.push_back(std::move(any));
  }
  return list;
}

}  // namespace rsoflow
