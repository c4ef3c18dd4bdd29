// Momentum plan rules (DESIGN 4.4) as plain functions over the plan's actions
// `{id, title, owner, due_on, status: open|in_progress|done, note}`: validation, the
// submission check, what is overdue, and when each action's due timer fires. The MSM machine
// and Create call these; tests call them directly.
//
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/fields.h"
#include "engine/json.h"
#include "engine/status.h"

namespace rsoflow::momentum_plan {

inline constexpr const char* kWorkflowName = "momentum_plan";
// A plan left at risk this long lapses (DESIGN 4.4).
inline constexpr int64_t kGraceDays = 30;
// A plan still drafting this long after its event ended is overdue in the inbox.
inline constexpr int64_t kDraftingDays = 30;

// One action as a client writes it, {id?, title?, owner?, due_on?, note?}: the entries of
// ActionsField. Every problem of every entry is refused at once, each field named.
const FieldList& ActionFields();
// `actions`: a list of at most 100 actions (ActionFields).
Field ActionsField();
// The plan's creation data (the API's body without rso_id), its one field list: the API's
// document and Create. Missing or invalid title, iso_event_id, initiative_id or actions are
// refused at once, then the actions' own problems.
const FieldList& CreationFields();
// revise's payload {"title"?, "actions"?}: at least one; a null is refused too (revise sets
// what it is sent).
const FieldList& RevisionPayload();
// report_progress's payload {"action_id","status","note"?}: status is open, in_progress or done.
const FieldList& ProgressPayload();

// Builds the plan's action list from `input`, checked by ActionsField already. An entry with an
// id keeps that existing action's status (InvalidRequest naming "<field>[i].id" when the id
// names no action of `existing`, or one already named); an entry without one is a new action
// with the next id "A<n>" (*next_id is advanced). Completeness is the submission guard's
// business. `field` names the list in errors.
Result<Json> BuildActions(const Json& input, const Json& existing, int64_t* next_id,
                          const std::string& field);

// One reason per problem that stops submission: no action; an action without title, owner or
// due date; an action due on or before the day the event ended (`event_ends_on`).
std::vector<Reason> SubmissionProblems(const Json& actions, const std::string& event_ends_on);

// When an action becomes overdue: the start of the day after its due_on (UTC), in ms.
int64_t ActionDueAt(const std::string& due_on);
// Ids of the actions not `done` whose due time has passed at `now`.
std::vector<std::string> OverdueActions(const Json& actions, int64_t now);
// Ids of the actions not `done`.
std::vector<std::string> UnfinishedActions(const Json& actions);

}  // namespace rsoflow::momentum_plan
