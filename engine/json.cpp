// One file over the usual ~400 lines on purpose: the writer's escape tables and its word-at-a-
// time fast path (NothingToEscape) and the parser's unescaping and UTF-8 checks must agree byte
// for byte, and they share the tables and helpers below; split in two they would need a header
// of internals that nothing else should see.
#include "engine/json.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <system_error>
#include <utility>

namespace rsoflow {

namespace {

// Length of the well-formed UTF-8 sequence at begin (Unicode 15, table 3-7), or 0 when it is
// overlong, encodes a surrogate, exceeds U+10FFFF or is truncated. Requires begin < end.
size_t Utf8SequenceLength(const char* begin, const char* end) {
  const auto* p = reinterpret_cast<const unsigned char*>(begin);
  const unsigned char lead = p[0];
  if (lead < 0x80) return 1;
  // Leads below C2 are continuation bytes or always-overlong C0/C1; F5..FF exceed U+10FFFF.
  const size_t length = lead < 0xC2 ? 0 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : lead < 0xF5 ? 4 : 0;
  if (length == 0 || static_cast<size_t>(end - begin) < length) return 0;
  // Narrowing the second byte's range is what rules out the remaining overlongs (E0, F0),
  // UTF-16 surrogates (ED) and code points above U+10FFFF (F4).
  const unsigned char low = lead == 0xE0 ? 0xA0 : lead == 0xF0 ? 0x90 : 0x80;
  const unsigned char high = lead == 0xED ? 0x9F : lead == 0xF4 ? 0x8F : 0xBF;
  if (p[1] < low || p[1] > high) return 0;
  for (size_t i = 2; i < length; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
  }
  return length;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
    return;
  }
  const int continuation_bytes = cp < 0x800 ? 1 : cp < 0x10000 ? 2 : 3;
  const uint32_t lead_prefix = (0xFF00u >> (continuation_bytes + 1)) & 0xFF;  // C0, E0 or F0.
  out->push_back(static_cast<char>(lead_prefix | (cp >> (6 * continuation_bytes))));
  for (int i = continuation_bytes - 1; i >= 0; --i) {
    out->push_back(static_cast<char>(0x80 | ((cp >> (6 * i)) & 0x3F)));
  }
}

// Escapes with a short form: kShortEscapeChars[i] is written as a backslash and then
// kShortEscapeNames[i].
constexpr char kShortEscapeChars[] = "\"\\\b\f\n\r\t/";
constexpr char kShortEscapeNames[] = "\"\\bfnrt/";
constexpr size_t kShortEscapeCount = sizeof(kShortEscapeChars) - 1;

// Appends [from, to) (std::string's iterator-range append goes through the slower replace).
inline void AppendRange(const char* from, const char* to, std::string* out) {
  out->append(from, static_cast<size_t>(to - from));
}

// Whether any of the eight bytes in w is below 0x20, a quote or a backslash: the bytes JSON
// text must escape. Each test is the exact "has a byte less than n" word trick (n <= 0x80), so
// bytes of 0x80 and above (UTF-8) never match.
inline bool AnyByteNeedsEscape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHighBits = 0x8080808080808080ULL;
  const uint64_t quote = w ^ (kOnes * '"');
  const uint64_t backslash = w ^ (kOnes * '\\');
  const uint64_t control = (w - kOnes * 0x20) & ~w;
  const uint64_t is_quote = (quote - kOnes) & ~quote;
  const uint64_t is_backslash = (backslash - kOnes) & ~backslash;
  return ((control | is_quote | is_backslash) & kHighBits) != 0;
}

inline uint64_t LoadWord(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof(word));
  return word;
}

// Whether [p, p + n) holds no byte to escape: eight bytes at a time, the last word overlapping
// the one before it, so a string of eight bytes or more takes no byte-by-byte step.
bool NothingToEscape(const char* p, size_t n) {
  if (n < 8) {
    for (size_t i = 0; i < n; ++i) {
      const auto c = static_cast<unsigned char>(p[i]);
      if (c < 0x20 || c == '"' || c == '\\') return false;
    }
    return true;
  }
  for (size_t i = 0; i + 8 <= n; i += 8) {
    if (AnyByteNeedsEscape(LoadWord(p + i))) return false;
  }
  return n % 8 == 0 || !AnyByteNeedsEscape(LoadWord(p + n - 8));
}

// The text being written: a cursor into a string kept larger than what is written (the spare
// end zero-filled once per doubling), so each piece is one bounds check and a copy rather than
// a std::string append. The string is cut to what was written when the writer goes.
//
// The spare end grows within the string's capacity (by at most 64 KiB), and past it by what is
// asked for, leaving the new capacity to std::string's own doubling: a small value dumped at the
// end of a large text (a report of megabytes written by hand, then a Json array appended) would
// otherwise double the text's size, reallocating and zero-filling megabytes it never uses.
class TextOut {
 public:
  static constexpr size_t kMaxSpare = 64 * 1024;
  explicit TextOut(std::string* s) : s_(s), length_(s->size()) { s_->resize(length_ + 256); }
  ~TextOut() { s_->resize(length_); }
  TextOut(const TextOut&) = delete;
  TextOut& operator=(const TextOut&) = delete;

  char* Room(size_t n) {
    if (s_->size() - length_ < n) {
      const size_t spare = std::min({2 * s_->size(), s_->size() + kMaxSpare, s_->capacity()});
      s_->resize(std::max(length_ + n, spare));
    }
    char* at = s_->data() + length_;
    length_ += n;
    return at;
  }
  void Put(char c) { *Room(1) = c; }
  void Put(const char* p, size_t n) { std::memcpy(Room(n), p, n); }
  template <size_t N>
  void PutLiteral(const char (&text)[N]) {
    Put(text, N - 1);
  }
  char Last() const { return (*s_)[length_ - 1]; }
  void DropLast() { --length_; }

 private:
  std::string* s_;
  size_t length_;
};

// Writes s in quotes into the s.size() + 2 bytes at `to`: for a string with nothing to escape.
void WriteQuoted(std::string_view s, char* to) {
  to[0] = '"';
  std::memcpy(to + 1, s.data(), s.size());
  to[s.size() + 1] = '"';
}

void DumpString(std::string_view s, TextOut& out) {
  // Most strings (ids, names, timestamps, choices) need no escape: copied whole.
  if (NothingToEscape(s.data(), s.size())) {
    WriteQuoted(s, out.Room(s.size() + 2));
    return;
  }
  out.Put('"');
  const char* run = s.data();
  const char* const end = run + s.size();
  // Unescaped bytes are copied in runs rather than one at a time.
  for (const char* p = run; p != end; ++p) {
    const auto c = static_cast<unsigned char>(*p);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.Put(run, static_cast<size_t>(p - run));
    run = p + 1;
    // memchr rather than strchr: c may be NUL. '/' is never looked up as it is >= 0x20.
    const void* found = std::memchr(kShortEscapeChars, c, kShortEscapeCount);
    if (found != nullptr) {
      char* to = out.Room(2);
      to[0] = '\\';
      to[1] = kShortEscapeNames[static_cast<const char*>(found) - kShortEscapeChars];
    } else {
      char escape[8];
      out.Put(escape, static_cast<size_t>(std::snprintf(escape, sizeof(escape), "\\u%04x", c)));
    }
  }
  out.Put(run, static_cast<size_t>(end - run));
  out.Put('"');
}

// For one string on its own (the audit's canonical body writes its fields so): no spare end.
void DumpString(std::string_view s, std::string* out) {
  if (NothingToEscape(s.data(), s.size())) {
    const size_t at = out->size();
    out->resize(at + s.size() + 2);
    WriteQuoted(s, out->data() + at);
    return;
  }
  TextOut text(out);
  DumpString(s, text);
}

void DumpDouble(double d, TextOut& out) {
  // JSON has no representation for these; null keeps the output parseable.
  if (!std::isfinite(d)) {
    out.PutLiteral("null");
    return;
  }
  char buf[32];
  int length = 0;
  // Integral values below 2^53 print plainly ("100.0", not "1e+02"), so other tools that
  // re-derive audit hashes need no %g rules for the common case.
  if (d == std::trunc(d) && std::fabs(d) < 9007199254740992.0) {
    if (std::signbit(d) && d == 0) {
      out.PutLiteral("-0.0");
      return;
    }
    length =
        static_cast<int>(std::to_chars(buf, buf + sizeof(buf), static_cast<int64_t>(d)).ptr - buf);
    out.Put(buf, static_cast<size_t>(length));
    out.PutLiteral(".0");
    return;
  }
  // The shortest round-tripping precision makes the text canonical (0.1 rather than
  // 0.10000000000000001), printed as %.*g (which to_chars with a precision is); 17
  // significant digits always round-trip a binary64. No precision below the number of digits
  // of to_chars' shortest form can round-trip, so the search starts there, where it nearly
  // always ends: trying each precision from 1 with snprintf and strtod cost most of the time
  // of a report of thousands of figures.
  char* const end = buf + sizeof(buf);
  const char* const shortest_end = std::to_chars(buf, end, d, std::chars_format::scientific).ptr;
  const char* const exponent = std::find(static_cast<const char*>(buf), shortest_end, 'e');
  int precision = static_cast<int>(std::count_if(static_cast<const char*>(buf), exponent,
                                                 [](char c) { return c >= '0' && c <= '9'; }));
  for (; precision <= 17; ++precision) {
    length = static_cast<int>(
        std::to_chars(buf, end, d, std::chars_format::general, precision).ptr - buf);
    double back = 0;
    std::from_chars(buf, buf + length, back);
    if (back == d) break;
  }
  out.Put(buf, static_cast<size_t>(length));
  // Without this, 2.0 would parse back as the integer 2.
  const char* const text_end = buf + length;
  if (std::find_if(static_cast<const char*>(buf), text_end,
                   [](char c) { return c == '.' || c == 'e'; }) == text_end) {
    out.PutLiteral(".0");
  }
}

// Every element is followed by a comma; the last one gives way to the closing bracket.
void CloseContainer(char bracket, TextOut& out) {
  if (out.Last() == ',') out.DropLast();
  out.Put(bracket);
}

void DumpTo(const Json& value, TextOut& out) {
  switch (value.type()) {
    case Json::Type::kNull:
      out.PutLiteral("null");
      break;
    case Json::Type::kBool:
      if (value.AsBool())
        out.PutLiteral("true");
      else
        out.PutLiteral("false");
      break;
    case Json::Type::kInt: {
      char buf[24];
      const auto result = std::to_chars(buf, buf + sizeof(buf), value.AsInt());
      out.Put(buf, static_cast<size_t>(result.ptr - buf));
      break;
    }
    case Json::Type::kDouble:
      DumpDouble(value.AsDouble(), out);
      break;
    case Json::Type::kString:
      DumpString(value.AsString(), out);
      break;
    case Json::Type::kArray:
      out.Put('[');
      for (const Json& element : value.AsArray()) {
        DumpTo(element, out);
        out.Put(',');
      }
      CloseContainer(']', out);
      break;
    case Json::Type::kObject:
      out.Put('{');
      for (const auto& [key, element] : value.AsObject()) {
        DumpString(key, out);
        out.Put(':');
        DumpTo(element, out);
        out.Put(',');
      }
      CloseContainer('}', out);
      break;
  }
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (IsDigit(c)) return c - '0';
  const int lower = c | 0x20;
  return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
}

// Recursive-descent parser. Recursion depth is bounded by max_depth because the depth check
// happens before descending into a container, so hostile inputs cannot exhaust the stack.
class Parser {
 public:
  Parser(const std::string& text, int max_depth)
      : begin_(text.data()), p_(begin_), end_(begin_ + text.size()), max_depth_(max_depth) {}

  bool ParseDocument(Json* out) {
    if (!ParseValue(out, 0)) return false;
    SkipWhitespace();
    if (p_ != end_) return Fail("trailing content after JSON value");
    return true;
  }

  const JsonParseError& error() const { return error_; }

 private:
  bool FailAt(std::string message, const char* where) {
    error_.message = std::move(message);
    error_.offset = static_cast<size_t>(where - begin_);
    return false;
  }
  bool Fail(std::string message) { return FailAt(std::move(message), p_); }

  // Blames the byte at p_, or the end of input.
  bool Unexpected() {
    if (p_ == end_) return Fail("unexpected end of input");
    const auto c = static_cast<unsigned char>(*p_);
    const bool printable = c >= 0x20 && c < 0x7F;
    char buf[40];
    std::snprintf(buf, sizeof(buf),
                  printable ? "unexpected character '%c'" : "unexpected byte 0x%02x", c);
    return Fail(buf);
  }

  void SkipWhitespace() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }

  bool Consume(char c) {
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }

  // Consumes a run of digits; false when there is none.
  bool ConsumeDigits() {
    const char* start = p_;
    while (p_ != end_ && IsDigit(*p_)) ++p_;
    return p_ != start;
  }

  // Skips leading whitespace; depth is the number of containers enclosing the value.
  bool ParseValue(Json* out, int depth) {
    SkipWhitespace();
    if (p_ == end_) return Unexpected();
    switch (*p_) {
      case '{':
      case '[':
        if (depth >= max_depth_) return Fail("nesting deeper than " + std::to_string(max_depth_));
        return *p_ == '{' ? ParseObject(out, depth + 1) : ParseArray(out, depth + 1);
      case '"': {
        std::string s;
        if (!ParseString(&s)) return false;
        *out = Json(std::move(s));
        return true;
      }
      case 't':
      case 'f':
      case 'n':
        return ParseLiteral(out);
      default:
        if (*p_ == '-' || IsDigit(*p_)) return ParseNumber(out);
        return Unexpected();
    }
  }

  bool ParseLiteral(Json* out) {
    const char* word = *p_ == 't' ? "true" : *p_ == 'f' ? "false" : "null";
    for (const char* w = word; *w != '\0'; ++w, ++p_) {
      if (p_ == end_ || *p_ != *w) return Unexpected();
    }
    *out = *word == 'n' ? Json() : Json(*word == 't');
    return true;
  }

  bool ParseArray(Json* out, int depth) {
    ++p_;  // '['
    *out = Json::MakeArray();
    Json::Array& array = out->AsArray();
    SkipWhitespace();
    if (Consume(']')) return true;
    while (true) {
      array.emplace_back();
      if (!ParseValue(&array.back(), depth)) return false;
      SkipWhitespace();
      if (Consume(']')) return true;
      if (!Consume(',')) return Unexpected();
    }
  }

  bool ParseObject(Json* out, int depth) {
    ++p_;  // '{'
    *out = Json::MakeObject();
    Json::Object& object = out->AsObject();
    SkipWhitespace();
    if (Consume('}')) return true;
    while (true) {
      SkipWhitespace();
      if (p_ == end_ || *p_ != '"') return Unexpected();
      const char* key_start = p_;
      std::string key;
      if (!ParseString(&key)) return false;
      // Inserting before parsing the value lets the value be parsed in place. The end() hint
      // makes keys that arrive in sorted order (all stored, canonical JSON) a constant-time
      // append; a key already present leaves the size unchanged.
      const size_t before = object.size();
      auto it = object.try_emplace(object.end(), std::move(key));
      if (object.size() == before) {
        std::string message = "duplicate key ";
        DumpString(it->first, &message);
        return FailAt(std::move(message), key_start);
      }
      SkipWhitespace();
      if (!Consume(':')) return Unexpected();
      if (!ParseValue(&it->second, depth)) return false;
      SkipWhitespace();
      if (Consume('}')) return true;
      if (!Consume(',')) return Unexpected();
    }
  }

  bool ParseString(std::string* out) {
    ++p_;  // Opening quote.
    const char* run = p_;
    while (true) {
      if (p_ == end_) return Unexpected();
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        AppendRange(run, p_, out);
        ++p_;
        return true;
      }
      if (c == '\\') {
        AppendRange(run, p_, out);
        if (!ParseEscape(out)) return false;
        run = p_;
      } else if (c < 0x20) {
        return Fail("unescaped control character in string");
      } else if (c < 0x80) {
        ++p_;
      } else {
        const size_t length = Utf8SequenceLength(p_, end_);
        if (length == 0) return Fail("invalid UTF-8 in string");
        p_ += length;
      }
    }
  }

  bool ParseHex4(uint32_t* value) {
    *value = 0;
    for (int i = 0; i < 4; ++i, ++p_) {
      if (p_ == end_) return Unexpected();
      const int digit = HexValue(*p_);
      if (digit < 0) return Fail("invalid hex digit in \\u escape");
      *value = *value * 16 + static_cast<uint32_t>(digit);
    }
    return true;
  }

  bool ParseEscape(std::string* out) {
    const char* start = p_;
    ++p_;  // Backslash.
    if (p_ == end_) return Unexpected();
    const char name = *p_++;
    if (name != 'u') {
      const void* found = std::memchr(kShortEscapeNames, name, kShortEscapeCount);
      if (found == nullptr) return FailAt("invalid escape sequence in string", start);
      out->push_back(kShortEscapeChars[static_cast<const char*>(found) - kShortEscapeNames]);
      return true;
    }
    static constexpr char kLoneSurrogate[] = "lone surrogate in \\u escape";
    uint32_t cp = 0;
    if (!ParseHex4(&cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return FailAt(kLoneSurrogate, start);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      // A high surrogate is only meaningful as the first half of a \uD8xx\uDCxx pair.
      if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return FailAt(kLoneSurrogate, start);
      p_ += 2;
      uint32_t low = 0;
      if (!ParseHex4(&low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) return FailAt(kLoneSurrogate, start);
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(cp, out);
    return true;
  }

  bool ParseNumber(Json* out) {
    const char* start = p_;
    Consume('-');
    const char* digits_begin = p_;
    if (!ConsumeDigits()) return Unexpected();
    if (*digits_begin == '0' && p_ - digits_begin > 1) {
      return FailAt("leading zero in number", digits_begin);
    }
    const bool fraction = Consume('.');
    if (fraction && !ConsumeDigits()) return Unexpected();
    const bool exponent = Consume('e') || Consume('E');
    if (exponent) {
      if (!Consume('+')) Consume('-');
      if (!ConsumeDigits()) return Unexpected();
    }
    // from_chars is locale-independent and reports int64 overflow, which falls through to double.
    int64_t integer = 0;
    if (!fraction && !exponent && std::from_chars(start, p_, integer).ec == std::errc()) {
      *out = Json(integer);
      return true;
    }
    // strtod needs a terminated copy: the bytes after the number could otherwise extend it
    // (e.g. "0x1p3" is hex to strtod) even though the grammar above has already ended it.
    const std::string literal(start, p_);
    const double d = std::strtod(literal.c_str(), nullptr);
    // Json cannot hold these faithfully (Dump would print null), so treat them as errors.
    if (!std::isfinite(d)) return FailAt("number out of range", start);
    *out = Json(d);
    return true;
  }

  const char* const begin_;
  const char* p_;
  const char* const end_;
  const int max_depth_;
  JsonParseError error_;
};

// Type-checked access for the As* accessors; a wrong type is a caller bug.
template <typename T, typename Variant>
auto& Checked(Variant& v) {
  assert(std::holds_alternative<T>(v));
  return std::get<T>(v);
}

}  // namespace

bool Json::AsBool() const { return Checked<bool>(v_); }
int64_t Json::AsInt() const { return Checked<int64_t>(v_); }
const std::string& Json::AsString() const { return Checked<std::string>(v_); }
const Json::Array& Json::AsArray() const { return Checked<Array>(v_); }
Json::Array& Json::AsArray() { return Checked<Array>(v_); }
const Json::Object& Json::AsObject() const { return Checked<Object>(v_); }
Json::Object& Json::AsObject() { return Checked<Object>(v_); }

double Json::AsDouble() const {
  assert(is_number());
  if (is_int()) return static_cast<double>(std::get<int64_t>(v_));
  return std::get<double>(v_);
}

const Json* Json::Get(const std::string& key) const {
  if (!is_object()) return nullptr;
  const Object& object = std::get<Object>(v_);
  const auto it = object.find(key);
  return it == object.end() ? nullptr : &it->second;
}

// Returns the stored value, so nested containers can be filled in place.
Json& Json::Set(const std::string& key, Json value) {
  if (is_null()) v_ = Object{};
  return AsObject().insert_or_assign(key, std::move(value)).first->second;
}

bool Json::Erase(const std::string& key) {
  if (!is_object()) return false;
  return std::get<Object>(v_).erase(key) > 0;
}

std::string Json::GetString(const std::string& key, const std::string& def) const {
  const Json* value = Get(key);
  return value != nullptr && value->is_string() ? value->AsString() : def;
}

int64_t Json::GetInt(const std::string& key, int64_t def) const {
  const Json* value = Get(key);
  return value != nullptr && value->is_int() ? value->AsInt() : def;
}

double Json::GetDouble(const std::string& key, double def) const {
  const Json* value = Get(key);
  return value != nullptr && value->is_number() ? value->AsDouble() : def;
}

bool Json::GetBool(const std::string& key, bool def) const {
  const Json* value = Get(key);
  return value != nullptr && value->is_bool() ? value->AsBool() : def;
}

void Json::Push(Json value) {
  if (is_null()) v_ = Array{};
  AsArray().push_back(std::move(value));
}

size_t Json::size() const {
  if (is_array()) return std::get<Array>(v_).size();
  if (is_object()) return std::get<Object>(v_).size();
  return 0;
}

std::string Json::Dump() const {
  std::string out;
  {
    TextOut text(&out);
    rsoflow::DumpTo(*this, text);
  }
  return out;
}

void Json::DumpTo(std::string* out) const {
  TextOut text(out);
  rsoflow::DumpTo(*this, text);
}

void AppendJsonString(std::string_view s, std::string* out) { DumpString(s, out); }

std::optional<Json> ParseJson(const std::string& text, JsonParseError* error, int max_depth) {
  Parser parser(text, max_depth);
  Json value;
  if (parser.ParseDocument(&value)) return value;
  if (error != nullptr) *error = parser.error();
  return std::nullopt;
}

bool IsValidUtf8(const std::string& text) {
  const char* const end = text.data() + text.size();
  for (const char* p = text.data(); p != end;) {
    const size_t length = Utf8SequenceLength(p, end);
    if (length == 0) return false;
    p += length;
  }
  return true;
}

}  // namespace rsoflow
