# Generates a C++ source holding api/openapi.yaml, so the binary serves its own API
# description. Invoked at build time: cmake -DSRC=... -DOUT=... -P embed_openapi.cmake
file(READ "${SRC}" content)
set(body "// Generated from api/openapi.yaml by api/embed_openapi.cmake. Do not edit.\n")
string(APPEND body "#include \"api/openapi.h\"\n\nnamespace rsoflow::api {\n\n")
string(APPEND body "const char* OpenApiYaml() {\n  return R\"rsoflowyaml(${content})rsoflowyaml\";\n}\n")
string(APPEND body "\n}  // namespace rsoflow::api\n")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT "${old}" STREQUAL "${body}")
  file(WRITE "${OUT}" "${body}")
endif()
