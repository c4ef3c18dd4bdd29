// OpenApiContract: what the API document (api/openapi.h) promises of each answer (its status, its
// media type and the schema of its JSON body), checked against an answer the server gave. The API
// test fixture (tests/api/api_fixture.h) checks every answer its tests receive, so the document
// cannot drift from the server unnoticed.
//
// Thread-safety: immutable once read; Served() is safe to call from any thread.
#pragma once

#include <string>
#include <vector>

#include "engine/json.h"

namespace rsoflow::testing {

class OpenApiContract {
 public:
  // Reads a document (YAML, see tests/support/yaml_reader.h). When it cannot be read, every
  // Check answers that reason.
  explicit OpenApiContract(const std::string& yaml);

  // The document a server with this build's workflows serves (api::OpenApiText: api/openapi.yaml
  // and the workflows' creation routes), read once.
  static const OpenApiContract& Served();

  // What is wrong with the answer `status`, `content_type`, `body` to `method target` (target:
  // path and query), one line each, naming the operation, the field and the reason; empty
  // when it conforms, or when the document describes no such path and method (the server
  // answers those 404 or 405 before any handler, and they belong to no operation).
  std::vector<std::string> Check(const std::string& method, const std::string& target, int status,
                                 const std::string& content_type, const std::string& body) const;

  // The path template of the document that `path` falls under ("" when none): the one with
  // the most literal segments, so /api/v1/audit/verify is not /api/v1/audit/{id}.
  std::string TemplateOf(const std::string& path) const;

  const Json& document() const { return document_; }

 private:
  Json document_;
  std::string error_;
};

}  // namespace rsoflow::testing
