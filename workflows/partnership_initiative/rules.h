// Partnership initiative rules (DESIGN 4.3) as plain functions: the initiative's fields, the
// ISO/IEC Guide 21 entries of a standards_adoption initiative, progress reports. The MSM
// machine and Create call these; tests call them directly.
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "engine/fields.h"
#include "engine/json.h"
#include "engine/status.h"

namespace rsoflow::partnership_initiative {

inline constexpr const char* kWorkflowName = "partnership_initiative";

// The initiative types of DESIGN 4.3 and 8 (technical_cooperation, other).
const std::vector<std::string>& Types();

// Checks one Guide 21 entry {"reference","degree","method"}; returns the reasons it is wrong
// (empty when valid). `where` names the entry in the reasons, e.g. "standards[0]".
//  - reference: an ISO deliverable, e.g. "ISO 9001:2015", "ISO/IEC 27001:2022";
//  - degree of correspondence: IDT, MOD or NEQ;
//  - method: endorsement, cover_sheet, reprint, translation or redrafting;
//  - Guide 21-1 pairs them: endorsement and cover_sheet publish the International Standard
//    unchanged, so they give IDT only; redrafting changes the structure, so it cannot be IDT;
//    NEQ is not an adoption of the text, so it can only be redrafted.
std::vector<std::string> Guide21Problems(const Json& entry, const std::string& where);

// The initiative's fields (API.md POST /initiatives without rso_id), its one field list: the
// API's body and document, Create and revise. Every problem is refused at once, each field named.
const FieldList& InitiativeFields();

// The fields of one Guide 21 entry of `standards` (each problem of an entry is the list's).
const FieldList& Guide21Fields();

// Validates the initiative's fields (InitiativeFields, then the rules between them). With
// `partial` (a revise, refused when it changes nothing), only the fields present are checked
// and `merged` must be the fields after the change, so cross-field rules (end after start,
// standards for standards_adoption) see the whole; an initiative of type `other` needs a
// description (DESIGN 8), whether the type or the description changes. `prefix` is put before
// field names in errors ("" for a body, "data." for a payload).
// Returns the normalized fields present in `fields`.
Result<Json> ValidateFields(const Json& fields, bool partial, const Json& merged,
                            const std::string& prefix);

// complete's payload: {"outcome_summary"?} (the guard requires it, with a reason).
FieldList CompletionPayload();

// report_progress payload {"note","percent_complete"?}: types and ranges (a missing or empty
// note is a guard reason, ProgressNoteProblems).
const FieldList& ProgressPayload();
// A missing or empty progress note: "progress_note_required" (the machine's guard).
std::vector<Reason> ProgressNoteProblems(const Json& data);

}  // namespace rsoflow::partnership_initiative
