// Declares an event of a workflow (in its events.h): a type whose name is the stable string
// that is stored, shown and audited. No MSM here: the machine's table names these types.
#pragma once

#define RSOFLOW_EVENT(Type, text)             \
  struct Type {                               \
    static constexpr const char* name = text; \
  }
