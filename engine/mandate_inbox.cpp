#include "engine/mandate_inbox.h"

#include <algorithm>
#include <limits>

#include "engine/mandate_policy.h"

namespace rsoflow::mandates {

Result<InboxEntries> InboxWithMandates(const ScopedReads& reads, Store& store, const Actor& viewer,
                                       int64_t now,
                                       const std::optional<std::vector<int64_t>>& after,
                                       int limit) {
  constexpr int kAll = std::numeric_limits<int>::max();
  InboxEntries out;
  auto own = reads.Inbox(viewer, now, std::nullopt, kAll);
  if (!own.ok()) return own.status();
  for (InboxItem& item : own->items) out.items.push_back(InboxEntry{std::move(item), "", 0});
  auto delegations = ActiveDelegations(store, viewer, now);
  if (!delegations.ok()) return delegations.status();
  int rank = 0;
  for (const Delegation& d : *delegations) {
    ++rank;
    auto theirs = reads.Inbox(d.delegator, now, std::nullopt, kAll);
    if (!theirs.ok()) return theirs.status();
    for (InboxItem& item : theirs->items) {
      if (!d.Covers(item.instance.workflow)) continue;
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
