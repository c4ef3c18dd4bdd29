// ReadYaml: the subset of YAML that api/openapi.yaml is written in, read into a Json tree, so
// the tests can read the API document without a YAML library (none is a build dependency).
//
// Read: block mappings and sequences (a sequence item may open a mapping, "- key: value"),
// flow mappings and sequences (which may span lines), plain, single- and double-quoted
// scalars, folded (>) and literal (|) block scalars with the - and + chomping indicators,
// and # comments. Plain scalars resolve as YAML 1.2's core schema does: null, true/false,
// integers and decimals; everything else is a string. Anything outside the subset (anchors,
// tags, multi-line plain scalars, tabs, a flow entry without a value, a duplicate key) is an
// error naming its line, never a silent misreading: a document this reader refuses is to be
// rewritten in the subset, or the reader extended.
//
// Thread-safety: a pure function.
#pragma once

#include <optional>
#include <string>

#include "engine/json.h"

namespace rsoflow::testing {

// The document as Json, or nullopt with *error set to "line N: what is wrong".
std::optional<Json> ReadYaml(const std::string& text, std::string* error);

}  // namespace rsoflow::testing
