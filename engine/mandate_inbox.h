// The inbox of a user with the items of the users it acts for today under a mandate (API.md
// "Mandates": the delegate's inbox lists the delegator's items with "on_behalf_of"): its own
// (ScopedReads::Inbox) and each delegator's as that delegator reads it, limited to the
// workflows its mandates cover. An instance that waits for both (a ballot both members may
// vote on) is listed once for each.
//
// Thread-safety: reader side only; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/scoped_reads.h"
#include "engine/store.h"

namespace rsoflow::mandates {

struct InboxEntry {
  InboxItem item;
  std::string on_behalf_of;  // the delegator's user id; empty: the viewer's own
  int rank = 0;              // 0: own; 1.. the delegators in user id order

  // InboxItem's order, then own before the delegators'.
  std::vector<int64_t> SortKey() const {
    std::vector<int64_t> key = item.SortKey();
    key.push_back(rank);
    return key;
  }
};

struct InboxEntries {
  std::vector<InboxEntry> items;
  std::optional<std::vector<int64_t>> next;  // the SortKey of the last item listed
};

// In SortKey order after `after` (4 parts), at most `limit`.
Result<InboxEntries> InboxWithMandates(const ScopedReads& reads, Store& store, const Actor& viewer,
                                       int64_t now,
                                       const std::optional<std::vector<int64_t>>& after, int limit);

}  // namespace rsoflow::mandates
