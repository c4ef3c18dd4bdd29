// FieldList: the one declarative check of a JSON object's members, used by the API for request
// bodies and by the workflows for creation data and event payloads (each payload has one field
// list). A Field says the member's name, its type, whether it is required, its length (a
// text's bytes, a list's entries), its range, its allowed values, and for a list of objects the
// fields of each entry. The list itself says how its errors read (prefix, wording), so that
// every caller keeps the problem documents it has always answered: 400 invalid_request naming
// each offending field (api/problem.cpp). Rules a field list cannot say (between fields, against
// the instance) stay in the workflow's rules, after the list's check.
//
// Thread-safety: FieldLists are immutable values; Check is a pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "engine/json.h"
#include "engine/status.h"

namespace rsoflow {

struct FieldList;

enum class FieldType {
  kAny,     // any JSON value
  kText,    // a string; min/max are its bytes
  kInt,     // an integer; min/max are its range
  kNumber,  // an integer or a floating-point number; min/max are its range
  kTime,    // an RFC 3339 time (engine/clock.h ParseTime)
  kDate,    // a date YYYY-MM-DD
  kList,    // an array; min/max are its entries
  kBool,    // true or false
};

struct Field {
  std::string name;
  FieldType type = FieldType::kAny;
  bool required = false;  // present and not null (null counts as absent)
  double min = 0;
  double max = std::numeric_limits<double>::infinity();
  std::vector<std::string> one_of;           // a text's allowed values
  bool plain = false;                        // a text without U+0000 or a bidi control
  std::shared_ptr<const FieldList> entries;  // a list of objects with these fields
  // A list of values each of which this field checks (its name unused): a list of texts...
  // A wrong entry makes the whole list wrong (the list's `says`).
  std::shared_ptr<const Field> items;
  std::shared_ptr<const std::regex> pattern;   // a text must match it whole
  std::string pattern_source;                  // the pattern as written, for the API document
  bool (*test)(const std::string&) = nullptr;  // a text must pass it too (an e-mail address...)
  // The sentence for a wrong value when it depends on the value (else `says`).
  std::string (*explain)(const Json& value) = nullptr;
  // Why a value is wrong (default "<name> is invalid"); "{}" in it stands for the field's name
  // with its prefix (e.g. "actions[0].title").
  std::string says;
  std::string says_missing;  // why a required field that is absent is wrong (default: `says`)
  std::string says_plain;    // why a text with U+0000 or a bidi control is (default: `says`)
  // The entries' problems are the list's: named as the list, their sentences joined with
  // "; " and naming the entries without the list's prefix (by default each names its own
  // field, "data.items[0].name").
  bool entries_as_list = false;
  // Set by the workflows themselves (a follow-up, a referral), never by a client: the API
  // refuses it in a body and its document does not show it.
  bool internal = false;
  bool nullable = true;  // false: a null is a value (refused), even where null counts as absent
  std::string about;     // what the field means, for the API document (api/openapi_paths.cpp)

  static Field Any(std::string name);
  static Field Text(std::string name, size_t min_bytes, size_t max_bytes);
  static Field Int(std::string name, int64_t min, int64_t max);
  static Field Number(std::string name, double min, double max);
  static Field Time(std::string name);
  static Field Date(std::string name);
  static Field List(std::string name, size_t max_entries);
  static Field Bool(std::string name);
  Field& Required();
  Field& OneOf(std::vector<std::string> values);
  // Refuses U+0000 and bidi controls, with `sentence` when given.
  Field& Plain(std::string sentence = "");
  Field& Pattern(const std::string& ecmascript_regex);
  Field& Test(bool (*passes)(const std::string& text));
  Field& Explain(std::string (*sentence)(const Json& value));
  Field& Entries(FieldList fields);
  Field& Items(Field each);
  Field& EntriesAsList();
  Field& Internal();
  Field& NotNull();
  Field& Says(std::string sentence);
  Field& SaysMissing(std::string sentence);
  Field& About(std::string description);
};

struct FieldList {
  std::vector<Field> fields;

  // How the errors read.
  std::string prefix;  // before every field name in errors, e.g. "data." for a payload
  std::string not_object = "data must be an object";  // when the value is not an object
  std::string not_object_field = "data";
  std::string unknown = "unknown field(s): ";  // followed by the names of unknown fields
  bool unknown_names = true;                   // false: the message does not list them
  // When set, each unknown field is a problem of its own, "<name><unknown_each>" (with
  // `joined`), e.g. " is not an action field".
  std::string unknown_each;
  std::string shape;  // after "<entry> must be an object" for an entry of a list, e.g. " {a, b}"
  // When set, an object without any member is refused with this sentence (a change of nothing).
  std::string empty;
  // Rules between the object's fields, checked after them: a sentence for each one broken, each
  // naming the object (`not_object_field`, given as `at`). E.g. the Guide 21 pairings.
  std::vector<std::string> (*rules)(const Json& object, const std::string& at) = nullptr;
  bool null_is_absent = true;  // false: a null member is a value, refused by any typed field
  bool partial = false;        // a change of some fields: required fields may be absent
  // When set, required fields that are missing are refused first, all at once, as `missing`
  // followed by their names.
  std::string missing;
  // When set, every invalid field without a `says` of its own is collected and refused at once
  // with this sentence, before any field with one (refused alone, with it); otherwise the first
  // invalid field is refused with its own `says`.
  std::string summary;
  // Every problem at once: the fields named in order, their sentences joined with "; ".
  bool joined = false;

  FieldList() = default;
  FieldList(std::initializer_list<Field> f) : fields(f) {}
  bool Allows(const std::string& name) const;

  // Ok, or InvalidRequest: not an object; unknown fields (all of them); missing fields (with
  // `missing`); then invalid values, in the order of `fields`.
  Status Check(const Json& object) const;
  // Every sentence of what is wrong with `entry`, an entry `at` of a list of these fields
  // ("items[0]"), in order (the list's own wording, all problems at once).
  std::vector<std::string> EntryProblems(const Json& entry, const std::string& at) const;
  // The same list checking a change of some fields (`partial`), its errors named after
  // `new_prefix` (e.g. "data." for an event's payload of the fields a creation body takes).
  FieldList Changing(std::string new_prefix) const;
  // The fields a client may send (without the internal ones).
  std::vector<const Field*> ClientFields() const;
};

// A list of the named fields of any type (the API's bodies, whose types the handlers read),
// `required` ones among them, worded for a request body.
FieldList BodyFields(std::initializer_list<const char*> allowed,
                     std::initializer_list<const char*> required = {});
// The same for the client fields of `of` (their names and which are required): the API's
// wording ahead of the list's own check.
FieldList BodyFields(const FieldList& of);

}  // namespace rsoflow
