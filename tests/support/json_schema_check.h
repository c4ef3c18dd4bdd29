// CheckJsonSchema: does a JSON value conform to a schema of an OpenAPI 3.1 document (the
// JSON Schema keywords api/openapi.yaml uses)? For the tests that hold the server's answers
// to the document.
//
// Checked: $ref (local, "#/..."), type (a name or a list: [string, "null"] is how 3.1 says
// nullable), enum, const, properties, required, additionalProperties (false or a schema),
// items, allOf, anyOf, oneOf, format (date-time and date), pattern, minimum, maximum,
// minLength, maxLength, minItems, maxItems. Annotations (description, title, default,
// readOnly, writeOnly, example(s), deprecated) are ignored. Any other keyword is reported as a
// problem, so a schema the checker cannot fully check never passes silently.
//
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <vector>

#include "engine/json.h"

namespace rsoflow::testing {

// Appends to *problems one line per way `value` breaks `schema`, each starting with where in
// the value it is ("$" the value itself, "$.items[0].website" a field of it). `document` is
// the tree $ref points into. With `every_field_listed`, stricter than JSON Schema: a field
// of an object whose schema lists its fields (properties, here or in allOf) but does not say
// additionalProperties is a problem when none lists it, so an answer cannot grow a field the
// document does not describe; a schema without properties ({type: object}) takes any field.
void CheckJsonSchema(const Json& document, const Json& schema, const Json& value,
                     bool every_field_listed, std::vector<std::string>* problems);

}  // namespace rsoflow::testing
