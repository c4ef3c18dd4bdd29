# Generates a C++ source holding api/openapi.yaml, so the binary serves its own API
# description. Invoked at build time: cmake -DSRC=... -DOUT=... -P embed_openapi.cmake
include("${CMAKE_CURRENT_LIST_DIR}/../cmake/embed_common.cmake")
file(READ "${SRC}" content)
set(body "// Generated from api/openapi.yaml by api/embed_openapi.cmake. Do not edit.\n")
string(APPEND body "#include \"api/openapi.h\"\n\nnamespace rsoflow::api {\n\n")
string(APPEND body "const char* OpenApiYaml() {\n  return R\"rsoflowyaml(${content})rsoflowyaml\";\n}\n")
string(APPEND body "\n}  // namespace rsoflow::api\n")
rsoflow_write_if_changed("${OUT}" "${body}")
