// Where a value sits in a JSON text: the line of the value a path such as
// "rsos[3].recognized_on" names, so `rsoflow import` can tell the line of a refused object's
// field. The text is valid JSON (already parsed); a path whose end is not in the text (a
// missing field) gives the line of the deepest part that is (the object that lacks it).
//
// Thread-safety: a pure function.
#pragma once

#include <string>

namespace rsoflow::app {

// 1-based line of the value at `path` (members by name, list entries by [index]); 1 for the
// whole document or a path not in the text at all.
int LineOfPath(const std::string& text, const std::string& path);

// 1-based line of byte `offset`.
int LineOfOffset(const std::string& text, size_t offset);

}  // namespace rsoflow::app
