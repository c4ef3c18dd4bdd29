// Checks on the texts that name things (user display names, RSO names and acronyms, instance
// titles, ballot questions, action titles): a NUL cuts a C string short wherever one is made
// of the text, and a bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069) makes
// a name display as something else than it is, in the web app, a log or a CSV export
// (issue 17).
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

namespace rsoflow {

// True when `text` (UTF-8) holds U+0000 or one of the bidirectional overrides and isolates.
bool HasNulOrBidiControl(std::string_view text);

// The sentence a refusal gives, after the field's name: " must not contain U+0000 or a
// bidirectional override or isolate (U+202A-U+202E, U+2066-U+2069)".
inline constexpr const char* kNulOrBidiControl =
    " must not contain U+0000 or a bidirectional override or isolate (U+202A-U+202E, "
    "U+2066-U+2069)";

}  // namespace rsoflow
