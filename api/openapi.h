// The OpenAPI 3.1 description of HTTP API v1. api/openapi.yaml, embedded at build time by
// api/embed_openapi.cmake, holds every path but the workflows' creation routes; those path
// items are generated from each workflow's metadata (WorkflowMeta::create, its field list;
// api/openapi_paths.cpp), so adding a workflow needs no edit to the document.
#pragma once

#include <string>

#include "engine/fields.h"
#include "engine/json.h"
#include "engine/workflow.h"
#include "engine/workflow_registry.h"

namespace rsoflow::api {

// api/openapi.yaml as written: without the creation routes.
const char* OpenApiYaml();

// The document served at GET /api/v1/openapi.yaml (and printed by `rsoflow workflows
// openapi`): api/openapi.yaml with, under `paths:`, one path item for each workflow of
// `registry` with a creation route, written as a JSON flow mapping (JSON is YAML).
std::string OpenApiText(const WorkflowRegistry& registry);

// The path item of a workflow's creation route: {"post": {operationId, summary, description
// naming the roles, the request body's schema, 201 with the Instance, the problem answers}}.
Json CreationPathItem(const WorkflowMeta& meta);

// The JSON Schema of an object checked by `fields`: names, types, required, lengths, ranges,
// allowed values, the entries of lists of objects; no member outside the list.
Json FieldListSchema(const FieldList& fields);

}  // namespace rsoflow::api
