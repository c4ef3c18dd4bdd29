#include "engine/mandate_inbox.h"

#include <algorithm>
#include <cstdint>

#include "engine/mandate_policy.h"

namespace rsoflow::mandates {

Result<InboxEntries> InboxWithMandates(const ScopedReads& reads, Store& store, const Actor& viewer,
                                       int64_t now,
                                       const std::optional<std::vector<int64_t>>& after,
                                       int limit) {
  // Each user's inbox from the cursor's instance on: the entry after the cursor may be the same
  // instance for a later delegator. Two more than a page, as one of them may be the cursor's.
  std::optional<std::vector<int64_t>> from;
  if (after) {
    const int64_t id = (*after)[2];
    from = std::vector<int64_t>{(*after)[0], (*after)[1], id == INT64_MIN ? id : id - 1};
  }
  const int want = limit + 2;
  InboxEntries out;
  auto own = reads.Inbox(viewer, now, from, want);
  if (!own.ok()) return own.status();
  for (InboxItem& item : own->items) out.items.push_back(InboxEntry{std::move(item), "", 0});
  auto delegations = ActiveDelegations(store, viewer, now);
  if (!delegations.ok()) return delegations.status();
  int rank = 0;
  for (const Delegation& d : *delegations) {
    ++rank;
    auto theirs = reads.Inbox(d.delegator, now, from, want,
                              [&d](const std::string& workflow) { return d.Covers(workflow); });
    if (!theirs.ok()) return theirs.status();
    for (InboxItem& item : theirs->items) {
      out.items.push_back(InboxEntry{std::move(item), d.delegator.user_id, rank});
    }
  }
  auto& items = out.items;
  if (after) {
    items.erase(std::remove_if(items.begin(), items.end(),
                               [&](const InboxEntry& e) { return e.SortKey() <= *after; }),
                items.end());
  }
  std::sort(items.begin(), items.end(),
            [](const InboxEntry& a, const InboxEntry& b) { return a.SortKey() < b.SortKey(); });
  if (static_cast<int>(items.size()) > limit) {
    items.erase(items.begin() + limit, items.end());
    out.next = items.back().SortKey();
  }
  return out;
}

}  // namespace rsoflow::mandates
