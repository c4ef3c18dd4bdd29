#include "engine/mandate_policy.h"

#include <algorithm>
#include <map>

#include "engine/clock.h"
#include "engine/string_list.h"

namespace rsoflow {

bool Mandate::Covers(const std::string& workflow, const std::string& day) const {
  return !revoked_at && starts_on <= day && day <= ends_on &&
         (workflows.empty() || Contains(workflows, workflow));
}

bool Mandate::Overlaps(const std::string& from, const std::string& to) const {
  return !revoked_at && starts_on <= to && from <= ends_on;
}

namespace mandates {
namespace {

bool SameRole(const UserRecord& a, const UserRecord& b) {
  if (a.role != b.role) return false;
  return a.role != role::kLiaison || (!a.rso_id.empty() && a.rso_id == b.rso_id);
}

// The user for a rule check: nullopt when there is none.
Result<std::optional<UserRecord>> FindUserForWrite(Store& store, const std::string& id) {
  auto user = store.GetUserForWrite(id);
  if (user.ok()) return std::optional<UserRecord>(std::move(user).value());
  if (user.status().code() == Status::Code::kNotFound) return std::optional<UserRecord>();
  return user.status();
}

// Live mandates of one side of a user (given when `given`, received otherwise) that meet
// [from, to].
Result<bool> AnyOverlapping(Store& store, const std::string& user_id, bool given,
                            const std::string& from, const std::string& to) {
  MandateQuery q;
  (given ? q.from_user_id : q.to_user_id) = user_id;
  q.live_only = true;
  q.limit = 500;
  for (;;) {
    auto found = store.FindMandatesForWrite(q);
    if (!found.ok()) return found.status();
    for (const Mandate& m : *found) {
      if (m.Overlaps(from, to)) return true;
      q.after_id = m.id;
    }
    if (static_cast<int>(found->size()) < q.limit) return false;
  }
}

}  // namespace

std::string DayOf(int64_t ms) {
  const int64_t days = ms >= 0 ? ms / kMsPerDay : -((-ms + kMsPerDay - 1) / kMsPerDay);
  return FormatDate(days);
}

Actor ActorOfUser(const UserRecord& u) {
  return Actor{u.id, u.username, u.role, u.rso_id, u.affiliated_rso_ids};
}

bool SeesAll(const Actor& viewer) {
  return viewer.role == role::kAdmin || viewer.role == role::kSecretariat ||
         viewer.role == role::kAuditor;
}

bool MaySee(const Mandate& m, const Actor& viewer) {
  return SeesAll(viewer) || m.from_user_id == viewer.user_id || m.to_user_id == viewer.user_id;
}

Status CheckMayGive(const Mandate& m, const Actor& creator) {
  if (creator.role == role::kAdmin || creator.role == role::kSecretariat) return Status::Ok();
  if (m.from_user_id == creator.user_id) return Status::Ok();
  return Status::Forbidden(
      "only the delegating user itself, the secretariat or an admin may give a mandate");
}

Status CheckMayRevoke(const Mandate& m, const Actor& by) {
  if (by.role == role::kAdmin || m.created_by == by.user_id || m.from_user_id == by.user_id) {
    return Status::Ok();
  }
  return Status::Forbidden(
      "only who gave the mandate, its delegating user or an admin may revoke it");
}

Status CheckNewForWrite(Store& store, const Mandate& m) {
  std::vector<Reason> reasons;
  if (m.from_user_id == m.to_user_id) {
    return Status::GuardFailed({Reason{"self_mandate", "a user cannot give a mandate to itself"}});
  }
  auto from = FindUserForWrite(store, m.from_user_id);
  if (!from.ok()) return from.status();
  auto to = FindUserForWrite(store, m.to_user_id);
  if (!to.ok()) return to.status();
  for (const auto* u : {&*from, &*to}) {
    const std::string& id = u == &*from ? m.from_user_id : m.to_user_id;
    if (!u->has_value()) {
      reasons.push_back(Reason{"unknown_user", "there is no user " + id});
    } else if ((*u)->disabled) {
      reasons.push_back(Reason{"user_disabled", "user " + (*u)->username + " is disabled"});
    }
  }
  if (!reasons.empty()) return Status::GuardFailed(reasons);
  const UserRecord& a = **from;
  const UserRecord& b = **to;
  if (a.role == role::kAdmin || b.role == role::kAdmin) {
    reasons.push_back(Reason{"role_not_delegable",
                             "an admin takes part in no workflow: there is nothing to delegate"});
  } else if (!SameRole(a, b)) {
    reasons.push_back(
        Reason{"role_mismatch",
               a.role == role::kLiaison && b.role == role::kLiaison
                   ? "a liaison's deputy must be a liaison of the same RSO"
                   : "both users must have the same role (" + a.role + ", " + b.role + ")"});
  }
  // No chain: the delegating user holds no mandate for those days, and the delegate gives none.
  auto holds = AnyOverlapping(store, a.id, false, m.starts_on, m.ends_on);
  if (!holds.ok()) return holds.status();
  auto gives = AnyOverlapping(store, b.id, true, m.starts_on, m.ends_on);
  if (!gives.ok()) return gives.status();
  if (*holds) {
    reasons.push_back(Reason{"mandate_chain", a.username +
                                                  " acts under a mandate for those days and "
                                                  "cannot pass it on"});
  } else if (*gives) {
    reasons.push_back(Reason{"mandate_chain", b.username +
                                                  " has given a mandate for those days and "
                                                  "cannot act under one"});
  }
  if (!reasons.empty()) return Status::GuardFailed(reasons);
  return Status::Ok();
}

Result<Actor> ActingForWrite(Store& store, const Actor& delegate, const std::string& from_user_id,
                             const std::string& workflow, int64_t now) {
  const Status none = Status::Forbidden(
      "you hold no active mandate from user " + from_user_id + " for " + workflow + " today",
      Reason{"no_mandate", "no active mandate covers this workflow on this day"});
  if (delegate.is_system() || from_user_id == delegate.user_id) return none;
  MandateQuery q;
  q.from_user_id = from_user_id;
  q.to_user_id = delegate.user_id;
  q.active_on = DayOf(now);
  q.limit = 500;
  auto found = store.FindMandatesForWrite(q);
  if (!found.ok()) return found.status();
  const bool covered = std::any_of(found->begin(), found->end(), [&](const Mandate& m) {
    return m.Covers(workflow, q.active_on);
  });
  if (!covered) return none;
  auto from = FindUserForWrite(store, from_user_id);
  if (!from.ok()) return from.status();
  auto to = FindUserForWrite(store, delegate.user_id);
  if (!to.ok()) return to.status();
  // Roles may have changed since the mandate was given: it holds only while they agree.
  if (!from->has_value() || (*from)->disabled || !to->has_value() || !SameRole(**from, **to)) {
    return none;
  }
  return ActorOfUser(**from);
}

bool Delegation::Covers(const std::string& workflow) const {
  return all_workflows || Contains(workflows, workflow);
}

Result<std::vector<Delegation>> ActiveDelegations(Store& store, const Actor& delegate,
                                                  int64_t now) {
  std::vector<Delegation> out;
  if (delegate.is_system() || delegate.user_id.empty()) return out;
  MandateQuery q;
  q.to_user_id = delegate.user_id;
  q.active_on = DayOf(now);
  q.limit = 500;
  auto found = store.ListMandates(q);
  if (!found.ok()) return found.status();
  std::map<std::string, Delegation> by_user;
  for (const Mandate& m : *found) {
    auto it = by_user.find(m.from_user_id);
    if (it == by_user.end()) {
      auto user = store.GetUser(m.from_user_id);
      if (!user.ok() && user.status().code() == Status::Code::kNotFound) continue;
      if (!user.ok()) return user.status();
      if (user->disabled || user->role != delegate.role ||
          (user->role == role::kLiaison && user->rso_id != delegate.rso_id)) {
        continue;
      }
      it = by_user.emplace(m.from_user_id, Delegation{ActorOfUser(*user), {}, false}).first;
    }
    if (m.workflows.empty()) it->second.all_workflows = true;
    for (const auto& w : m.workflows) {
      if (!Contains(it->second.workflows, w)) it->second.workflows.push_back(w);
    }
  }
  for (auto& [id, d] : by_user) out.push_back(std::move(d));
  return out;
}

}  // namespace mandates
}  // namespace rsoflow
