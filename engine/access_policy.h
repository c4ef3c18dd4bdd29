// AccessPolicy: who may see what (DESIGN 5). Scope: an admin takes part in no workflow and sees
// no instance; a liaison sees only its RSO's instances; every other role sees every instance.
// What a viewer reads of an instance it may see is its workflow's rule (Workflow::View,
// ReadsAsCreated); which events it may fire is the workflow's table (roles, no guards).
//
// Thread-safety: immutable; safe from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/command.h"
#include "engine/instance.h"
#include "engine/status.h"
#include "engine/store.h"
#include "engine/workflow_registry.h"

namespace rsoflow {

// What one viewer reads of an instance that differs from the stored row: its data, version and
// updated_at as its workflow lets that viewer read them, and the events it may fire now.
struct InstanceSight {
  Json data;
  int64_t version = 0;
  int64_t updated_at = 0;
  std::vector<std::string> allowed_events;
};

// An instance as one viewer reads it (its sight applied to the row), for the lists.
struct InstanceView {
  Instance instance;
  std::vector<std::string> allowed_events;
};

class AccessPolicy {
 public:
  explicit AccessPolicy(const WorkflowRegistry& registry) : registry_(registry) {}

  // The one answer for an instance the caller may not see and for one that does not exist:
  // word for word the same, so a 404's detail does not tell them apart.
  static Status NoInstance(int64_t id);
  static Status NotFoundAsNoInstance(const Status& status, int64_t id);

  bool CanSee(const Actor& viewer, const Instance& instance) const;
  // Narrows `query` to the instances `viewer` may see (exactly those CanSee answers true for);
  // false when it may see none at all.
  bool Scope(const Actor& viewer, InstanceQuery* query) const;
  // Events `viewer` may fire now (role and scope; guards not evaluated).
  std::vector<std::string> AllowedEvents(const Instance& instance, const Actor& viewer) const;
  // The instance's data as `viewer` may see it.
  Json ViewData(const Instance& instance, const Actor& viewer) const;
  // What `viewer` reads of the instance, in one pass (one look-up of its workflow), and the
  // instance as `viewer` reads it. Precondition: CanSee(viewer, instance), checked by whoever
  // read or wrote the instance for the viewer.
  InstanceSight Sight(const Instance& instance, const Actor& viewer) const;
  InstanceView View(Instance instance, const Actor& viewer) const;

  // Separation of duties: a command whose actor has a role some workflow lists in
  // WorkflowMeta::own_credential_roles must come with a credential the actor obtained itself
  // (its token_issued_by is the actor). Forbidden, with reason code token_not_own, for a token
  // another user (an admin), the command line or an unknown issuer (a token from before
  // migration 0006) gave it. Decided from the command alone, before any instance is read.
  Status CheckOwnCredential(const Command& command) const;

 private:
  const WorkflowRegistry& registry_;
};

}  // namespace rsoflow
