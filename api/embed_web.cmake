# Generates a C++ source holding every file of web/ (the web app), so the binary serves its own
# app and the two commands stay two (DESIGN 7). Invoked at build time:
#   cmake -DSRC_DIR=.../web -DOUT=... -P embed_web.cmake
# Each file becomes a byte array; web_assets.cpp finds them by their path below web/.
include("${CMAKE_CURRENT_LIST_DIR}/../cmake/embed_common.cmake")
file(GLOB_RECURSE files RELATIVE "${SRC_DIR}" "${SRC_DIR}/*")
list(SORT files)
set(body "// Generated from web/ by api/embed_web.cmake. Do not edit.\n")
string(APPEND body "#include \"api/web_assets.h\"\n\nnamespace rsoflow::api {\nnamespace {\n\n")
set(table "")
set(n 0)
foreach(rel IN LISTS files)
  # Editor droppings and notes for developers are not part of the app.
  if(rel MATCHES "(^|/)\\." OR rel MATCHES "~$" OR rel MATCHES "\\.md$")
    continue()
  endif()
  file(READ "${SRC_DIR}/${rel}" hex HEX)
  string(LENGTH "${hex}" hex_len)
  math(EXPR size "${hex_len} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(APPEND body "const unsigned char kFile${n}[] = {${bytes}0x00};\n")
  string(APPEND table "    {\"${rel}\", kFile${n}, ${size}},\n")
  math(EXPR n "${n} + 1")
endforeach()
string(APPEND body "\n}  // namespace\n\n")
string(APPEND body "const std::vector<EmbeddedWebFile>& EmbeddedWebFiles() {\n")
string(APPEND body "  static const std::vector<EmbeddedWebFile> kFiles = {\n${table}  };\n")
string(APPEND body "  return kFiles;\n}\n\n}  // namespace rsoflow::api\n")
rsoflow_write_if_changed("${OUT}" "${body}")
