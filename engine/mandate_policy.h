// The rules of mandates (API.md "Mandates (delegation)", DESIGN 9), part of the engine's access
// policy: who may give, see and revoke a mandate, what a mandate must be, and whether a user
// may act for another now. A mandate lets its delegate act for the delegating user with that
// user's role and scope; both users have the same role (a liaison's deputy is a liaison of the
// same RSO), nobody mandates itself, and a delegate cannot pass a mandate on (no chains: a user
// who holds a mandate for a period gives none that overlaps it, and the other way round).
//
// Days are UTC calendar days of the engine's clock.
//
// Thread-safety: pure functions of their arguments and of the store they are given; the
// *Write functions run on the engine's writer thread (the store's writer side).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/instance.h"
#include "engine/status.h"
#include "engine/store.h"
#include "engine/workflow_registry.h"

namespace rsoflow::mandates {

// The UTC calendar day (YYYY-MM-DD) of a time in ms.
std::string DayOf(int64_t ms);
// The user as the engine acts for it.
Actor ActorOfUser(const UserRecord& user);

// Admin, secretariat and auditor read every mandate; anyone else those it gave or received.
bool SeesAll(const Actor& viewer);
bool MaySee(const Mandate& mandate, const Actor& viewer);
// Who may give `mandate`: an admin, the secretariat, or the delegating user itself.
Status CheckMayGive(const Mandate& mandate, const Actor& creator);
// Who may revoke it: its creator, its delegating user, an admin (Forbidden otherwise).
Status CheckMayRevoke(const Mandate& mandate, const Actor& by);

// The rules a new mandate must meet, read in the writer's transaction: both users exist and are
// enabled, no self-mandate, the same role (a liaison: of the same RSO), not the admin role,
// and no chain. GuardFailed with one reason per broken rule (codes self_mandate, unknown_user,
// user_disabled, role_not_delegable, role_mismatch, mandate_chain). The dates and the
// workflows are the caller's to have checked (well-formed, known).
Status CheckNewForWrite(Store& store, const Mandate& mandate);

// The user `delegate` acts for when it fires an event of `workflow` on behalf of
// `from_user_id` at `now`: that user, when a mandate from it to `delegate` is active that day
// and covers the workflow and both still have the same role; Forbidden otherwise.
Result<Actor> ActingForWrite(Store& store, const Actor& delegate, const std::string& from_user_id,
                             const std::string& workflow, int64_t now);

// A user `delegate` may act for today, and the workflows it may act in (empty: all).
struct Delegation {
  Actor delegator;
  std::vector<std::string> workflows;  // the union of its active mandates' workflows
  bool all_workflows = false;
  bool Covers(const std::string& workflow) const;
};
// Reader side: the users `delegate` acts for on the day of `now`, by delegator id.
Result<std::vector<Delegation>> ActiveDelegations(Store& store, const Actor& delegate, int64_t now);

}  // namespace rsoflow::mandates
