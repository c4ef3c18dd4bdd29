// The OpenAPI 3.1 description of HTTP API v1 (api/openapi.yaml), embedded at build time by
// api/embed_openapi.cmake.
#pragma once

namespace rsoflow::api {

const char* OpenApiYaml();

}  // namespace rsoflow::api
