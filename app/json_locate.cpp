#include "app/json_locate.h"

#include <cctype>
#include <string>
#include <vector>

namespace rsoflow::app {
namespace {

struct Step {
  std::string key;  // a member's name, or
  long index = -1;  // a list entry
};

std::vector<Step> Steps(const std::string& path) {
  std::vector<Step> steps;
  std::string key;
  for (size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (c == '.' || c == '[') {
      if (!key.empty()) steps.push_back(Step{key, -1});
      key.clear();
      if (c == '[') {
        const size_t close = path.find(']', i);
        if (close == std::string::npos) break;
        steps.push_back(Step{"", std::atol(path.substr(i + 1, close - i - 1).c_str())});
        i = close;
      }
    } else {
      key += c;
    }
  }
  if (!key.empty()) steps.push_back(Step{key, -1});
  return steps;
}

class Scanner {
 public:
  explicit Scanner(const std::string& t) : t_(t) {}

  void Ws() {
    while (p_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[p_]))) ++p_;
  }
  std::string String() {  // at '"'; the raw text between the quotes (escapes kept)
    const size_t start = ++p_;
    while (p_ < t_.size() && t_[p_] != '"') p_ += t_[p_] == '\\' ? 2 : 1;
    return t_.substr(start, (p_++) - start);
  }
  void Value() {
    Ws();
    if (p_ >= t_.size()) return;
    const char c = t_[p_];
    if (c == '"') {
      String();
    } else if (c == '{' || c == '[') {
      int depth = 0;
      while (p_ < t_.size()) {
        const char d = t_[p_];
        if (d == '"') {
          String();
          continue;
        }
        if (d == '{' || d == '[') ++depth;
        if (d == '}' || d == ']') --depth;
        ++p_;
        if (depth == 0) return;
      }
    } else {
      while (p_ < t_.size() && t_[p_] != ',' && t_[p_] != '}' && t_[p_] != ']' &&
             !std::isspace(static_cast<unsigned char>(t_[p_]))) {
        ++p_;
      }
    }
  }
  // At the start of an object or list: moves to the value `step` names; false when absent.
  bool Enter(const Step& step) {
    Ws();
    if (p_ >= t_.size()) return false;
    const char open = t_[p_];
    if ((open == '{') != (step.index < 0) || (open != '{' && open != '[')) return false;
    ++p_;
    for (long i = 0;; ++i) {
      Ws();
      if (p_ >= t_.size() || t_[p_] == '}' || t_[p_] == ']') return false;
      bool found = i == step.index;
      if (open == '{') {
        found = String() == step.key;
        Ws();
        ++p_;  // ':'
      }
      Ws();
      if (found) return true;
      Value();
      Ws();
      if (p_ < t_.size() && t_[p_] == ',') ++p_;
    }
  }
  size_t pos() const { return p_; }

 private:
  const std::string& t_;
  size_t p_ = 0;
};

}  // namespace

int LineOfOffset(const std::string& text, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n' ? 1 : 0;
  return line;
}

int LineOfPath(const std::string& text, const std::string& path) {
  Scanner s(text);
  s.Ws();
  size_t at = s.pos();
  for (const Step& step : Steps(path)) {
    if (!s.Enter(step)) break;
    at = s.pos();
  }
  return LineOfOffset(text, at);
}

}  // namespace rsoflow::app
