// FieldList: the one declarative check of a JSON object's members, used by the API for request
// bodies and by the workflows for creation data and event payloads (each payload has one field
// list). A Field says the member's name, its type, whether it is required, its length (a
// text's bytes, a list's entries), its range, its allowed values, and for a list of objects the
// fields of each entry. The list itself says how its errors read (prefix, wording), so that
// every caller keeps the problem documents it has always answered: 400 invalid_request naming
// each offending field (api/problem.cpp).
//
// Thread-safety: FieldLists are immutable values; Check is a pure function.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
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
  std::string says;                          // why a value is wrong (default "<name> is invalid")
  std::string about;  // what the field means, for the API document (api/openapi_paths.cpp)

  static Field Any(std::string name);
  static Field Text(std::string name, size_t min_bytes, size_t max_bytes);
  static Field Int(std::string name, int64_t min, int64_t max);
  static Field Number(std::string name, double min, double max);
  static Field Time(std::string name);
  static Field Date(std::string name);
  static Field List(std::string name, size_t max_entries);
  Field& Required();
  Field& OneOf(std::vector<std::string> values);
  Field& Plain();
  Field& Entries(FieldList fields);
  Field& Says(std::string sentence);
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
  // When set, required fields that are missing are refused first, all at once, as `missing`
  // followed by their names.
  std::string missing;
  // When set, every invalid field is collected and refused at once with this sentence;
  // otherwise the first invalid field is refused with its own `says`.
  std::string summary;

  FieldList() = default;
  FieldList(std::initializer_list<Field> f) : fields(f) {}
  bool Allows(const std::string& name) const;

  // Ok, or InvalidRequest: not an object; unknown fields (all of them); missing fields (with
  // `missing`); then invalid values, in the order of `fields`.
  Status Check(const Json& object) const;
};

// A list of the named fields of any type (the API's bodies, whose types the handlers read),
// `required` ones among them, worded for a request body.
FieldList BodyFields(std::initializer_list<const char*> allowed,
                     std::initializer_list<const char*> required = {});

}  // namespace rsoflow
