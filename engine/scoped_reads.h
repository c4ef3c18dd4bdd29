// ScopedReads: what a viewer may read of the instances and the audit trail, a page at a time.
// Every read is scoped by the AccessPolicy and passes each workflow's visibility rules
// (Workflow::View, ReadsAsCreated, ReadAuditEntry, DoneFor); the API only renders the answer.
//
// Pages are keyset pages: `next` is the key of the last item listed when one more item the
// viewer may read exists (the cursor of the next page), and none at the end. A rule that hides
// items from a viewer costs it reads, never a short page with a cursor or a lost item.
//
// The chain fields of audit entries (salt, hash, prev_hash) as a viewer reads them:
//   auditor  every entry in full, with its salt (the export holds the same);
//   others   no salt; an entry its workflow redacted has hash and prev_hash null (a hash over
//            low-entropy hidden content, such as a vote, could be recomputed over every
//            candidate); prev_hash is null unless the entry just listed before was seq - 1 and
//            read in full (otherwise it could be the hash of an entry hidden from this viewer).
//
// Thread-safety: the Store's reader side only; safe from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/access_policy.h"
#include "engine/store.h"
#include "engine/workflow_registry.h"

namespace rsoflow {

template <typename T>
struct PageOf {
  std::vector<T> items;
  std::optional<int64_t> next;
};

// An instance that waits for the viewer (GET /api/v1/inbox).
struct InboxItem {
  Instance instance;
  std::vector<std::string> allowed_events;
  bool overdue = false;

  // Ascending: overdue first, then the earliest due (none last), then the oldest.
  std::vector<int64_t> SortKey() const {
    return {overdue ? 0 : 1, instance.due_at.value_or(INT64_MAX), instance.id};
  }
};

struct InboxPage {
  std::vector<InboxItem> items;
  std::optional<std::vector<int64_t>> next;  // the SortKey of the last item listed
};

class ScopedReads {
 public:
  ScopedReads(Store& store, const WorkflowRegistry& registry, const AccessPolicy& policy)
      : instances_(store), audit_(store), registry_(registry), policy_(policy) {}

  // The instance, NotFound (AccessPolicy::NoInstance) when `viewer` may not see it.
  Result<Instance> GetInstance(int64_t id, const Actor& viewer) const;
  Result<InstanceView> ReadInstance(int64_t id, const Actor& viewer) const;
  // The instances matching `query` that `viewer` may see, after query.after_id, at most
  // query.limit of them.
  Result<PageOf<InstanceView>> ListInstances(InstanceQuery query, const Actor& viewer) const;
  // The audit entries of an instance `viewer` may see, after `after_seq`, oldest first.
  Result<PageOf<AuditEntryView>> History(int64_t instance_id, const Actor& viewer,
                                         int64_t after_seq, int limit) const;
  // The audit entries matching `query` (after query.after_seq, at most query.limit).
  Result<PageOf<AuditEntryView>> ListAudit(AuditQuery query, const Actor& viewer) const;
  // Every active instance in `viewer`'s scope on which it may fire an event now that is not
  // merely standing (WorkflowMeta::standing_events) unless the instance is overdue, and that
  // its workflow does not count as done for the viewer (Workflow::DoneFor), in SortKey order
  // after `after`, at most `limit`; of the workflows `wanted` accepts (none given: all). Reads
  // the active states where the viewer's role may fire an event (only the due instances where
  // its events there are merely standing and overdue means due), each an index range in
  // SortKey's order from the cursor on, merged: a page reads about `limit` rows of each, so its
  // cost grows neither with the closed instances, nor with those waiting for other roles, nor
  // with those after the page. A viewer scoped to an RSO reads its RSO's active instances.
  Result<InboxPage> Inbox(const Actor& viewer, int64_t now,
                          const std::optional<std::vector<int64_t>>& after, int limit,
                          const std::function<bool(const std::string&)>& wanted = {}) const;

 private:
  // The reader side of two of the store's concerns, all these reads use.
  InstanceStore& instances_;
  AuditStore& audit_;
  const WorkflowRegistry& registry_;
  const AccessPolicy& policy_;
};

}  // namespace rsoflow
