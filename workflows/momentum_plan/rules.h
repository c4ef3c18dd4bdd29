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

#include "engine/json.h"
#include "engine/status.h"

namespace rsoflow::momentum_plan {

inline constexpr const char* kWorkflowName = "momentum_plan";
// A plan left at risk this long lapses (DESIGN 4.4).
inline constexpr int64_t kGraceDays = 30;
// A plan still drafting this long after its event ended is overdue in the inbox.
inline constexpr int64_t kDraftingDays = 30;

// Builds the plan's action list from `input` (a list of {id?, title?, owner?, due_on?,
// note?}). An entry with an id keeps that existing action's status; an entry without one is a
// new action with the next id "A<n>" (*next_id is advanced). Types and lengths are checked;
// completeness is the submission guard's business. `field` names the list in errors.
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

// report_progress payload {"action_id","status","note"?}: InvalidRequest for unknown fields,
// wrong types or a status other than open, in_progress, done.
Status ValidateProgress(const Json& data);

}  // namespace rsoflow::momentum_plan
