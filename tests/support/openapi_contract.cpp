#include "tests/support/openapi_contract.h"

#include <algorithm>
#include <cctype>

#include "api/openapi.h"
#include "tests/support/json_schema_check.h"
#include "tests/support/yaml_reader.h"
#include "workflows/registry.h"

namespace rsoflow::testing {
namespace {

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// "application/json; charset=utf-8" -> "application/json".
std::string MediaType(const std::string& content_type) {
  std::string media = Lower(content_type.substr(0, content_type.find(';')));
  media.erase(std::remove(media.begin(), media.end(), ' '), media.end());
  return media;
}

bool IsJson(const std::string& media) {
  return media == "application/json" ||
         (media.size() > 5 && media.compare(media.size() - 5, 5, "+json") == 0);
}

// A response object, or the one its $ref names.
const Json* Followed(const Json& document, const Json* node) {
  for (int hops = 0; node != nullptr && node->Has("$ref") && hops < 8; ++hops) {
    const std::string ref = node->GetString("$ref");
    const std::string prefix = "#/components/responses/";
    if (ref.rfind(prefix, 0) != 0) return nullptr;
    const Json* responses = document.Get("components");
    responses = responses ? responses->Get("responses") : nullptr;
    node = responses ? responses->Get(ref.substr(prefix.size())) : nullptr;
  }
  return node;
}

std::string Keys(const Json& object) {
  std::string out;
  for (const auto& [key, value] : object.AsObject()) out += (out.empty() ? "" : ", ") + key;
  return out;
}

}  // namespace

OpenApiContract::OpenApiContract(const std::string& yaml) {
  auto read = ReadYaml(yaml, &error_);
  if (read) {
    document_ = std::move(*read);
    if (!document_.is_object() || document_.Get("paths") == nullptr ||
        !document_.Get("paths")->is_object()) {
      error_ = "it has no paths";
    }
  }
  if (!error_.empty()) error_ = "api/openapi.yaml cannot be read: " + error_;
}

const OpenApiContract& OpenApiContract::Served() {
  static const OpenApiContract served = [] {
    WorkflowRegistry registry;
    RegisterWorkflows(registry);
    return OpenApiContract(api::OpenApiText(registry));
  }();
  return served;
}

std::string OpenApiContract::TemplateOf(const std::string& path) const {
  if (!error_.empty()) return "";
  const std::vector<std::string> actual = Segments(path);
  std::string best;
  int best_literals = -1;
  for (const auto& [pattern, item] : document_.Get("paths")->AsObject()) {
    const std::vector<std::string> wanted = Segments(pattern);
    if (wanted.size() != actual.size()) continue;
    int literals = 0;
    bool matches = true;
    for (size_t i = 0; i < wanted.size() && matches; ++i) {
      const std::string& w = wanted[i];
      if (w.size() > 2 && w.front() == '{' && w.back() == '}') {
        matches = !actual[i].empty();
      } else {
        matches = w == actual[i];
        ++literals;
      }
    }
    if (matches && literals > best_literals) {
      best = pattern;
      best_literals = literals;
    }
  }
  return best;
}

std::vector<std::string> OpenApiContract::Check(const std::string& method,
                                                const std::string& target, int status,
                                                const std::string& content_type,
                                                const std::string& body) const {
  if (!error_.empty()) return {error_};
  const std::string pattern = TemplateOf(target.substr(0, target.find('?')));
  if (pattern.empty()) return {};
  const Json* operation = document_.Get("paths")->Get(pattern)->Get(Lower(method));
  if (operation == nullptr) return {};
  const std::string what = method + " " + pattern + " answered " + std::to_string(status);
  const Json* responses = operation->Get("responses");
  const Json* response = nullptr;
  if (responses != nullptr) {
    response = responses->Get(std::to_string(status));
    if (response == nullptr) response = responses->Get(std::to_string(status / 100) + "XX");
    if (response == nullptr) response = responses->Get("default");
  }
  if (response == nullptr) return {what + ", a status the document does not list"};
  response = Followed(document_, response);
  if (response == nullptr) return {what + ": its response $ref points at nothing"};
  const Json* content = response->Get("content");
  const std::string media = MediaType(content_type);
  if (body.empty()) {
    if (content != nullptr && method != "HEAD") {
      return {what + " with no body; the document describes one (" + Keys(*content) + ")"};
    }
    return {};
  }
  if (content == nullptr) {
    return {what + " with a body (" + media + ") the document does not describe"};
  }
  const Json* described = content->Get(media);
  if (described == nullptr) {
    return {what + " as " + media + "; the document lists " + Keys(*content)};
  }
  if (!IsJson(media)) return {};
  auto parsed = ParseJson(body, nullptr, 256);
  if (!parsed) return {what + " as " + media + " with a body that is not JSON"};
  const Json* schema = described->Get("schema");
  if (schema == nullptr) return {};
  std::vector<std::string> problems;
  CheckJsonSchema(document_, *schema, *parsed, /*every_field_listed=*/true, &problems);
  for (std::string& problem : problems) problem = what + ": " + problem;
  return problems;
}

}  // namespace rsoflow::testing
