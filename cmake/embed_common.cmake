# Shared by the scripts that turn source files into generated C++ (db/embed_migrations.cmake,
# api/embed_openapi.cmake, api/embed_web.cmake), run at build time with `cmake -P`.

# Writes `body` to `out` only when it differs from what is there, so an unchanged input leaves
# the generated source's time alone and nothing recompiles.
function(rsoflow_write_if_changed out body)
  set(old "")
  if(EXISTS "${out}")
    file(READ "${out}" old)
  endif()
  if(NOT "${old}" STREQUAL "${body}")
    file(WRITE "${out}" "${body}")
  endif()
endfunction()
