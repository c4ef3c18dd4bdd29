#include "tests/support/yaml_reader.h"

#include <cstdint>
#include <regex>
#include <stdexcept>
#include <utility>
#include <vector>

namespace rsoflow::testing {
namespace {

// Thrown inside this file only; ReadYaml turns it into its error text.
struct YamlError {
  int line;
  std::string message;
};

// A flow collection ended with the line: the caller appends the next line and reads again.
struct NeedsMoreLines {};

struct Line {
  int number = 0;
  int indent = 0;
  std::string raw;    // the whole line (block scalars keep their own indentation)
  std::string text;   // without the indentation and trailing spaces
  bool skip = false;  // blank, or only a comment
};

std::string TrimRight(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  return s;
}

std::string Trim(const std::string& s) {
  size_t start = s.find_first_not_of(' ');
  return start == std::string::npos ? "" : TrimRight(s.substr(start));
}

Json ResolvePlain(const std::string& s) {
  if (s == "null" || s == "Null" || s == "NULL" || s == "~") return Json();
  if (s == "true" || s == "True" || s == "TRUE") return Json(true);
  if (s == "false" || s == "False" || s == "FALSE") return Json(false);
  static const std::regex kInteger("[-+]?[0-9]+");
  static const std::regex kDecimal("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  try {
    if (std::regex_match(s, kInteger)) return Json(static_cast<int64_t>(std::stoll(s)));
    if (std::regex_match(s, kDecimal)) return Json(std::stod(s));
  } catch (const std::out_of_range&) {
    return Json(std::stod(s));
  }
  return Json(s);
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Flow collections and quoted scalars within one (possibly joined) piece of text.
class FlowReader {
 public:
  FlowReader(std::string text, int line) : s_(std::move(text)), line_(line) {}

  // The whole text is one value, optionally followed by a comment.
  Json Whole() {
    Json value = Value();
    SkipSpace();
    if (pos_ < s_.size() && s_[pos_] != '#') Fail("unexpected text after the value: " + Rest());
    return value;
  }

  // A quoted scalar at the start of the text; *end is where it stopped.
  std::string Quoted(size_t* end) {
    std::string out = s_[pos_] == '"' ? DoubleQuoted() : SingleQuoted();
    *end = pos_;
    return out;
  }

 private:
  [[noreturn]] void Fail(const std::string& what) const { throw YamlError{line_, what}; }
  std::string Rest() const { return s_.substr(pos_, 40); }
  char Peek() {
    if (pos_ >= s_.size()) throw NeedsMoreLines{};
    return s_[pos_];
  }
  void SkipSpace() {
    while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
  }

  Json Value() {
    SkipSpace();
    const char c = Peek();
    if (c == '{') return Mapping();
    if (c == '[') return Sequence();
    if (c == '"') return Json(DoubleQuoted());
    if (c == '\'') return Json(SingleQuoted());
    if (c == '&' || c == '*' || c == '!') Fail("anchors, aliases and tags are not read");
    return ResolvePlain(Plain());
  }

  // Ends at , ] } or at a ':' that ends a key.
  std::string Plain() {
    const size_t start = pos_;
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == ',' || c == ']' || c == '}') break;
      if (c == ':' &&
          (pos_ + 1 == s_.size() || std::string(" ,]}").find(s_[pos_ + 1]) != std::string::npos)) {
        break;
      }
      if (c == '#' && pos_ > start && s_[pos_ - 1] == ' ') Fail("a comment inside a flow value");
      ++pos_;
    }
    std::string out = Trim(s_.substr(start, pos_ - start));
    if (out.empty()) Fail("an empty value at: " + Rest());
    return out;
  }

  std::string Key() {
    SkipSpace();
    const char c = Peek();
    if (c == '"') return DoubleQuoted();
    if (c == '\'') return SingleQuoted();
    return Plain();
  }

  Json Mapping() {
    ++pos_;
    Json::Object out;
    while (true) {
      SkipSpace();
      if (Peek() == '}') break;
      const std::string key = Key();
      SkipSpace();
      if (Peek() != ':') {
        Fail("the flow mapping entry \"" + key +
             "\" has no value (a plain scalar ends at \", \": quote a text with a comma)");
      }
      ++pos_;
      Json value = Value();
      if (!out.emplace(key, std::move(value)).second) Fail("duplicate key " + key);
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
      } else if (Peek() != '}') {
        Fail("expected , or } at: " + Rest());
      }
    }
    ++pos_;
    return Json(std::move(out));
  }

  Json Sequence() {
    ++pos_;
    Json::Array out;
    while (true) {
      SkipSpace();
      if (Peek() == ']') break;
      out.push_back(Value());
      SkipSpace();
      if (Peek() == ',') {
        ++pos_;
      } else if (Peek() != ']') {
        Fail("expected , or ] at: " + Rest());
      }
    }
    ++pos_;
    return Json(std::move(out));
  }

  std::string SingleQuoted() {
    ++pos_;
    std::string out;
    while (true) {
      const char c = Peek();
      ++pos_;
      if (c == '\'') {
        if (pos_ < s_.size() && s_[pos_] == '\'') {
          out.push_back('\'');
          ++pos_;
          continue;
        }
        return out;
      }
      out.push_back(c);
    }
  }

  std::string DoubleQuoted() {
    ++pos_;
    std::string out;
    while (true) {
      char c = Peek();
      ++pos_;
      if (c == '"') return out;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      c = Peek();
      ++pos_;
      // The escapes of JSON, and YAML's \0 and escaped space.
      static const std::string kFrom = "ntrbf0\"\\/ ";
      static const std::string kTo("\n\t\r\b\f\0\"\\/ ", 10);
      const size_t simple = kFrom.find(c);
      if (simple != std::string::npos) {
        out.push_back(kTo[simple]);
      } else if (c == 'u' && pos_ + 4 <= s_.size()) {
        AppendUtf8(static_cast<uint32_t>(std::stoul(s_.substr(pos_, 4), nullptr, 16)), &out);
        pos_ += 4;
      } else {
        Fail(std::string("an escape this reader does not know: \\") + c);
      }
    }
  }

  std::string s_;
  size_t pos_ = 0;
  int line_;
};

// Where the ':' that ends the key of a "key: value" line is, or npos when the line is not one.
size_t KeyColon(const std::string& text, int line) {
  if (text.empty() || text[0] == '{' || text[0] == '[') return std::string::npos;
  size_t from = 0;
  if (text[0] == '"' || text[0] == '\'') {
    FlowReader reader(text, line);
    try {
      reader.Quoted(&from);
    } catch (const NeedsMoreLines&) {
      throw YamlError{line, "a quoted scalar that does not end on its line"};
    }
    while (from < text.size() && text[from] == ' ') ++from;
    return from < text.size() && text[from] == ':' ? from : std::string::npos;
  }
  for (size_t at = text.find(':'); at != std::string::npos; at = text.find(':', at + 1)) {
    if (at + 1 == text.size() || text[at + 1] == ' ') return at;
  }
  return std::string::npos;
}

class BlockReader {
 public:
  explicit BlockReader(const std::string& text) {
    size_t start = 0;
    int number = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      Line line;
      line.number = ++number;
      line.raw = text.substr(start, end - start);
      if (!line.raw.empty() && line.raw.back() == '\r') line.raw.pop_back();
      const size_t first = line.raw.find_first_not_of(' ');
      if (first != std::string::npos && line.raw[first] == '\t') {
        throw YamlError{number, "a tab in the indentation"};
      }
      line.indent = first == std::string::npos ? 0 : static_cast<int>(first);
      line.text = first == std::string::npos ? "" : TrimRight(line.raw.substr(first));
      line.skip = line.text.empty() || line.text[0] == '#';
      if (line.text == "---" || line.text == "...") {
        throw YamlError{number, "document markers are not read"};
      }
      lines_.push_back(std::move(line));
      start = end + 1;
    }
  }

  Json Document() {
    SkipBlank();
    if (AtEnd()) return Json();
    Json value = Node(lines_[i_].indent);
    SkipBlank();
    if (!AtEnd()) Fail(lines_[i_], "unexpected indentation");
    return value;
  }

 private:
  [[noreturn]] static void Fail(const Line& line, const std::string& what) {
    throw YamlError{line.number, what};
  }
  static bool IsItem(const std::string& text) { return text == "-" || text.rfind("- ", 0) == 0; }
  bool AtEnd() const { return i_ >= lines_.size(); }
  void SkipBlank() {
    while (i_ < lines_.size() && lines_[i_].skip) ++i_;
  }

  Json Node(int indent) { return IsItem(lines_[i_].text) ? Sequence(indent) : Mapping(indent); }

  Json Mapping(int indent) {
    Json::Object out;
    while (true) {
      SkipBlank();
      if (AtEnd() || lines_[i_].indent < indent) break;
      const Line& line = lines_[i_];
      if (line.indent > indent || IsItem(line.text)) Fail(line, "unexpected indentation");
      const size_t colon = KeyColon(line.text, line.number);
      if (colon == std::string::npos) Fail(line, "expected \"key: value\"");
      std::string key = Trim(line.text.substr(0, colon));
      if (key[0] == '"' || key[0] == '\'') key = FlowReader(key, line.number).Whole().AsString();
      const std::string rest = Trim(line.text.substr(colon + 1));
      const int number = line.number;
      ++i_;
      Json value = Value(rest, indent, number);
      if (!out.emplace(key, std::move(value)).second) Fail(lines_[i_ - 1], "duplicate key " + key);
    }
    return Json(std::move(out));
  }

  Json Sequence(int indent) {
    Json::Array out;
    while (true) {
      SkipBlank();
      if (AtEnd() || lines_[i_].indent < indent || !IsItem(lines_[i_].text)) break;
      Line& line = lines_[i_];
      if (line.indent > indent) Fail(line, "unexpected indentation");
      const size_t offset = line.text.find_first_not_of(' ', 1);
      const std::string content = offset == std::string::npos ? "" : line.text.substr(offset);
      if (content.empty() || content[0] == '#') {
        ++i_;
        out.push_back(Value("", indent, line.number));
      } else if (KeyColon(content, line.number) != std::string::npos) {
        // "- key: value": the item is a mapping whose keys line up with this first one.
        line.indent += static_cast<int>(offset);
        line.text = content;
        out.push_back(Mapping(line.indent));
      } else {
        ++i_;
        out.push_back(Value(content, indent, line.number));
      }
    }
    return Json(std::move(out));
  }

  // The value after "key:" or "- " on line `number`, whose parent sits at `indent`.
  Json Value(const std::string& rest, int indent, int number) {
    if (rest.empty() || rest[0] == '#') {
      SkipBlank();
      if (AtEnd()) return Json();
      const Line& next = lines_[i_];
      if (next.indent > indent) return Node(next.indent);
      if (next.indent == indent && IsItem(next.text)) return Sequence(indent);
      return Json();
    }
    if (rest[0] == '>' || rest[0] == '|') return BlockScalar(rest, indent, number);
    if (rest[0] == '&' || rest[0] == '*' || rest[0] == '!') {
      throw YamlError{number, "anchors, aliases and tags are not read"};
    }
    if (rest[0] == '{' || rest[0] == '[' || rest[0] == '"' || rest[0] == '\'') {
      std::string text = rest;
      while (true) {
        try {
          return FlowReader(text, number).Whole();
        } catch (const NeedsMoreLines&) {
          if (AtEnd()) throw YamlError{number, "a flow value that never ends"};
          text += " " + lines_[i_++].text;
        }
      }
    }
    std::string plain = rest;
    const size_t comment = plain.find(" #");
    if (comment != std::string::npos) plain = TrimRight(plain.substr(0, comment));
    if (plain.find(": ") != std::string::npos) {
      throw YamlError{number, "\": \" inside a plain scalar (quote it)"};
    }
    SkipBlank();
    if (!AtEnd() && lines_[i_].indent > indent && !IsItem(lines_[i_].text)) {
      Fail(lines_[i_], "a plain scalar continued on the next line (use > or quotes)");
    }
    return ResolvePlain(plain);
  }

  Json BlockScalar(const std::string& header, int indent, int number) {
    const bool folded = header[0] == '>';
    char chomp = ' ';
    std::string rest = Trim(header.substr(1));
    if (!rest.empty() && (rest[0] == '-' || rest[0] == '+')) {
      chomp = rest[0];
      rest = Trim(rest.substr(1));
    }
    if (!rest.empty() && rest[0] != '#') {
      throw YamlError{number, "a block scalar header this reader does not know: " + header};
    }
    std::vector<std::string> content;
    int block_indent = -1;
    while (!AtEnd()) {
      const Line& line = lines_[i_];
      if (!line.text.empty()) {
        if (line.indent <= indent || (block_indent >= 0 && line.indent < block_indent)) break;
        if (block_indent < 0) block_indent = line.indent;
        if (folded && line.indent > block_indent) {
          Fail(line, "a more indented line in a folded scalar");
        }
        content.push_back(TrimRight(line.raw.substr(block_indent)));
      } else {
        content.push_back("");
      }
      ++i_;
    }
    int trailing = 0;
    while (!content.empty() && content.back().empty()) {
      content.pop_back();
      ++trailing;
    }
    // Give back the blank lines after the scalar (they belong to no one).
    std::string out;
    bool previous_text = false;
    for (const std::string& part : content) {
      if (folded) {
        if (part.empty()) {
          out += "\n";
          previous_text = false;
        } else {
          if (previous_text) out += " ";
          out += part;
          previous_text = true;
        }
      } else {
        out += part + "\n";
      }
    }
    if (!folded && !out.empty()) out.pop_back();
    if (chomp != '-' && !out.empty()) out += "\n";
    if (chomp == '+') out += std::string(trailing, '\n');
    return Json(std::move(out));
  }

  std::vector<Line> lines_;
  size_t i_ = 0;
};

}  // namespace

std::optional<Json> ReadYaml(const std::string& text, std::string* error) {
  try {
    return BlockReader(text).Document();
  } catch (const YamlError& e) {
    if (error != nullptr) *error = "line " + std::to_string(e.line) + ": " + e.message;
  } catch (const NeedsMoreLines&) {
    if (error != nullptr) *error = "a value that never ends";
  } catch (const std::exception& e) {  // a \u escape that is not hexadecimal
    if (error != nullptr) *error = e.what();
  }
  return std::nullopt;
}

}  // namespace rsoflow::testing
