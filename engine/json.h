// Json: a small JSON value (null, bool, integer, double, string, array, object) with a strict
// parser and a canonical serializer.
//
// Why our own: the audit chain hashes "canonical JSON" (keys sorted, no insignificant
// whitespace, UTF-8 unescaped), and the API must reject invalid UTF-8, nesting deeper than a
// limit and trailing garbage with a precise message. Objects are std::map, so keys are always
// sorted and Dump() is canonical by construction.
//
// Thread-safety: a Json value is a plain value type; distinct values may be used from distinct
// threads, a shared one only for reading.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace rsoflow {

class Json {
 public:
  using Array = std::vector<Json>;
  using Object = std::map<std::string, Json>;
  enum class Type { kNull, kBool, kInt, kDouble, kString, kArray, kObject };

  Json() = default;  // null
  Json(std::nullptr_t) {}
  Json(bool b) : v_(b) {}
  Json(int i) : v_(static_cast<int64_t>(i)) {}
  Json(int64_t i) : v_(i) {}
  Json(double d) : v_(d) {}
  Json(const char* s) : v_(std::string(s)) {}
  Json(std::string s) : v_(std::move(s)) {}
  Json(Array a) : v_(std::move(a)) {}
  Json(Object o) : v_(std::move(o)) {}

  static Json MakeObject() { return Json(Object{}); }
  static Json MakeArray() { return Json(Array{}); }

  Type type() const { return static_cast<Type>(v_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  bool is_bool() const { return type() == Type::kBool; }
  bool is_int() const { return type() == Type::kInt; }
  bool is_number() const { return type() == Type::kInt || type() == Type::kDouble; }
  bool is_string() const { return type() == Type::kString; }
  bool is_array() const { return type() == Type::kArray; }
  bool is_object() const { return type() == Type::kObject; }

  // Accessors: precondition is the matching type (checked with assert in debug builds);
  // AsDouble also accepts an integer.
  bool AsBool() const;
  int64_t AsInt() const;
  double AsDouble() const;
  const std::string& AsString() const;
  const Array& AsArray() const;
  Array& AsArray();
  const Object& AsObject() const;
  Object& AsObject();

  // Object helpers. Get returns nullptr when this is not an object or has no such key.
  const Json* Get(const std::string& key) const;
  bool Has(const std::string& key) const { return Get(key) != nullptr; }
  // Sets key on an object (a null value becomes an empty object first).
  Json& Set(const std::string& key, Json value);
  bool Erase(const std::string& key);
  // Typed getters with a default when absent or of another type.
  std::string GetString(const std::string& key, const std::string& def = "") const;
  int64_t GetInt(const std::string& key, int64_t def = 0) const;
  double GetDouble(const std::string& key, double def = 0) const;
  bool GetBool(const std::string& key, bool def = false) const;
  // Array helper (a null value becomes an empty array first).
  void Push(Json value);
  size_t size() const;  // elements of an array or object, 0 otherwise

  // Canonical, compact serialization: object keys sorted (bytewise), no whitespace, strings
  // as UTF-8 with only '"', '\\' and control characters (< 0x20) escaped (\b \f \n \r \t,
  // others as \u00XX). Doubles use the shortest "%.*g" form that round-trips, with ".0"
  // appended when that form looks like an integer (so 2.0 stays a double); NaN/Inf print null.
  std::string Dump() const;
  // Appends Dump() to *out.
  void DumpTo(std::string* out) const;

  bool operator==(const Json& o) const { return v_ == o.v_; }
  bool operator!=(const Json& o) const { return !(v_ == o.v_); }

 private:
  std::variant<std::nullptr_t, bool, int64_t, double, std::string, Array, Object> v_;
};

struct JsonParseError {
  std::string message;  // e.g. "invalid UTF-8 at byte 12", "nesting deeper than 32"
  size_t offset = 0;    // byte offset where parsing stopped
};

// Strict RFC 8259 parse of a whole document: no comments, no trailing commas, no trailing
// content but whitespace, strings must be valid UTF-8 (raw and after \u escapes; lone
// surrogates are errors), duplicate keys are an error, nesting (arrays + objects) deeper than
// max_depth is an error (checked before recursing, so a 10 000-deep input cannot overflow the
// stack). Integers that fit int64 parse as kInt, other numbers as kDouble.
std::optional<Json> ParseJson(const std::string& text, JsonParseError* error = nullptr,
                              int max_depth = 32);

// Appends `s` as a JSON string literal, escaped exactly as Dump() escapes strings.
void AppendJsonString(std::string_view s, std::string* out);

// True when text is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(const std::string& text);

}  // namespace rsoflow
