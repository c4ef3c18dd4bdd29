#include "engine/scoped_reads.h"

#include <algorithm>
#include <functional>
#include <map>
#include <utility>

namespace rsoflow {
namespace {

// The one paging loop: reads rows after `after` in batches of limit + 1 from
// `fetch(after, n)` and lists what `read(row)` gives (nullopt: hidden from the viewer), until
// the page holds `limit` items and one more readable row exists (then `next` is the key of the
// last item listed) or the rows run out. `key(row)` is a row's cursor.
template <typename Item, typename Row, typename Fetch, typename Read, typename Key>
Result<PageOf<Item>> ReadPage(int64_t after, int limit, Fetch fetch, Read read, Key key) {
  PageOf<Item> page;
  int64_t last_listed = 0;
  for (bool more = true; more && !page.next;) {
    Result<std::vector<Row>> rows = fetch(after, limit + 1);
    if (!rows.ok()) return rows.status();
    more = static_cast<int>(rows->size()) > limit;
    for (Row& row : *rows) {
      after = key(row);
      Result<std::optional<Item>> item = read(std::move(row));
      if (!item.ok()) return item.status();
      if (!item->has_value()) continue;
      if (static_cast<int>(page.items.size()) == limit) {
        page.next = last_listed;
        break;
      }
      page.items.push_back(std::move(**item));
      last_listed = after;
    }
  }
  return page;
}

// Audit entries as one viewer reads them, in ascending seq order (one per listing): the
// workflow's rule, then the chain fields (scoped_reads.h).
class AuditReader {
 public:
  AuditReader(InstanceStore& instances, const WorkflowRegistry& registry, const Actor& viewer)
      : store_(instances), registry_(registry), viewer_(viewer) {}

  // `instance`: the entries' instance when the listing is one instance's history.
  Result<std::optional<AuditEntryView>> Read(AuditEntry e, const Instance* instance) {
    const int64_t seq = e.seq;
    std::optional<AuditEntryView> v;
    const Workflow* wf = registry_.Find(e.workflow);
    if (wf == nullptr) {
      v = AuditEntryView{std::move(e)};
    } else {
      if (!wf->AuditReadNeedsInstance()) {
        instance = nullptr;
      } else if (instance == nullptr) {
        auto current = Current(e.instance_id);
        if (!current.ok()) return current.status();
        instance = *current;
      }
      v = wf->ReadAuditEntry(std::move(e), instance, viewer_);
    }
    return Chain(seq, std::move(v));
  }

 private:
  // The instance as it is now, read once per listing.
  Result<const Instance*> Current(int64_t id) {
    auto it = instances_.find(id);
    if (it == instances_.end()) {
      auto inst = store_.GetInstance(id);
      if (!inst.ok()) return inst.status();
      it = instances_.emplace(id, std::move(inst).value()).first;
    }
    return &it->second;
  }

  std::optional<AuditEntryView> Chain(int64_t seq, std::optional<AuditEntryView> v) {
    if (viewer_.role == role::kAuditor) return v;  // everything, salt included
    const int64_t before = last_full_seq_;
    last_full_seq_ = -1;
    if (!v) return v;
    v->salt_shown = false;
    if (v->redacted) {
      // Nothing derived from what is hidden: a hash is a function of the hidden content.
      v->hash_shown = false;
      v->prev_hash_shown = false;
      return v;
    }
    // prev_hash is the hash of entry seq - 1, which may be one this viewer reads redacted (or
    // not at all): shown only when that entry was just shown in full, so it says nothing new.
    if (seq != 1 && before != seq - 1) v->prev_hash_shown = false;
    last_full_seq_ = seq;
    return v;
  }

  InstanceStore& store_;
  const WorkflowRegistry& registry_;
  const Actor& viewer_;
  std::map<int64_t, Instance> instances_;
  int64_t last_full_seq_ = -1;
};

}  // namespace

Result<Instance> ScopedReads::GetInstance(int64_t id, const Actor& viewer) const {
  auto inst = instances_.GetInstance(id);
  if (!inst.ok()) return AccessPolicy::NotFoundAsNoInstance(inst.status(), id);
  if (!policy_.CanSee(viewer, *inst)) return AccessPolicy::NoInstance(id);
  return inst;
}

Result<InstanceView> ScopedReads::ReadInstance(int64_t id, const Actor& viewer) const {
  auto inst = GetInstance(id, viewer);
  if (!inst.ok()) return inst.status();
  return policy_.View(std::move(inst).value(), viewer);
}

Result<PageOf<InstanceView>> ScopedReads::ListInstances(InstanceQuery query,
                                                        const Actor& viewer) const {
  if (!policy_.Scope(viewer, &query)) return PageOf<InstanceView>{};
  return ReadPage<InstanceView, Instance>(
      query.after_id, query.limit,
      [&](int64_t after, int n) {
        query.after_id = after;
        query.limit = n;
        return instances_.ListInstances(query);
      },
      [&](Instance inst) -> Result<std::optional<InstanceView>> {
        return std::optional<InstanceView>(policy_.View(std::move(inst), viewer));
      },
      [](const Instance& inst) { return inst.id; });
}

Result<PageOf<AuditEntryView>> ScopedReads::History(int64_t instance_id, const Actor& viewer,
                                                    int64_t after_seq, int limit) const {
  auto inst = GetInstance(instance_id, viewer);
  if (!inst.ok()) return inst.status();
  AuditReader reader(instances_, registry_, viewer);
  return ReadPage<AuditEntryView, AuditEntry>(
      after_seq, limit,
      [&](int64_t after, int n) { return audit_.InstanceHistory(instance_id, after, n); },
      [&](AuditEntry e) { return reader.Read(std::move(e), &*inst); },
      [](const AuditEntry& e) { return e.seq; });
}

Result<PageOf<AuditEntryView>> ScopedReads::ListAudit(AuditQuery query, const Actor& viewer) const {
  AuditReader reader(instances_, registry_, viewer);
  return ReadPage<AuditEntryView, AuditEntry>(
      query.after_seq, query.limit,
      [&](int64_t after, int n) {
        query.after_seq = after;
        query.limit = n;
        return audit_.ListAudit(query);
      },
      [&](AuditEntry e) { return reader.Read(std::move(e), nullptr); },
      [](const AuditEntry& e) { return e.seq; });
}

namespace {

// One range of the inbox: the active instances of one (workflow, state) that wait for the
// viewer, yielded in SortKey order. Where the workflow's overdue means due (the default), the
// index's order (due time, undated last, then id) is SortKey's order, so the range is read a
// page at a time from the cursor's position and only as far as the merge needs. Otherwise
// (a momentum plan overdue by its data) SortKey is not the index's order: the range, one state
// of active instances, is read whole and sorted.
class InboxRange {
 public:
  using Accept = std::function<std::optional<InboxItem>(Instance&&)>;

  InboxRange(InstanceStore& instances, DueOrderQuery query, bool in_key_order, int max_page)
      : instances_(instances),
        query_(std::move(query)),
        in_key_order_(in_key_order),
        page_(std::min(4, max_page)),
        max_page_(max_page) {}

  // The next item of the range, or null at its end.
  Result<const InboxItem*> Head(const Accept& accept) {
    while (next_ == items_.size() && !exhausted_) {
      items_.clear();
      next_ = 0;
      do {  // in key order a page at a time, otherwise the whole range
        // In key order, pages that double from a few rows up to the page asked for: most
        // ranges give the merge only a few items, or none, before the page is full.
        query_.limit = in_key_order_ ? page_ : 1000;
        page_ = std::min(page_ * 2, max_page_);
        auto rows = instances_.ListActiveByDue(query_);
        if (!rows.ok()) return rows.status();
        exhausted_ = static_cast<int>(rows->size()) < query_.limit;
        for (Instance& inst : *rows) {
          query_.after_due = inst.due_at.value_or(INT64_MAX);
          query_.after_id = inst.id;
          if (auto item = accept(std::move(inst))) items_.push_back(std::move(*item));
        }
      } while (!in_key_order_ && !exhausted_);
      if (!in_key_order_) {
        std::sort(items_.begin(), items_.end(),
                  [](const InboxItem& a, const InboxItem& b) { return a.SortKey() < b.SortKey(); });
      }
    }
    return next_ < items_.size() ? &items_[next_] : nullptr;
  }
  InboxItem Take() { return std::move(items_[next_++]); }

 private:
  InstanceStore& instances_;
  DueOrderQuery query_;
  bool in_key_order_;
  int page_;
  int max_page_;
  std::vector<InboxItem> items_;
  size_t next_ = 0;
  bool exhausted_ = false;
};

}  // namespace

Result<InboxPage> ScopedReads::Inbox(const Actor& viewer, int64_t now,
                                     const std::optional<std::vector<int64_t>>& after, int limit,
                                     const std::function<bool(const std::string&)>& wanted) const {
  InboxPage page;
  InstanceQuery scope;
  scope.active = true;
  if (!policy_.Scope(viewer, &scope)) return page;
  // The instance as an item of this page, or nothing when it does not wait for the viewer or
  // comes before the cursor.
  const InboxRange::Accept accept = [&](Instance&& inst) -> std::optional<InboxItem> {
    const Workflow* wf = registry_.Find(inst.workflow);
    if (wf == nullptr || inst.terminal || (wanted && !wanted(inst.workflow))) return std::nullopt;
    auto allowed = wf->Meta().EventsFrom(inst.state, viewer.role);
    if (allowed.empty() || wf->DoneFor(inst, viewer)) return std::nullopt;
    const bool overdue = wf->IsOverdue(inst, now);
    // Standing events alone (cancel, suspend, extend...) do not make an instance wait for the
    // viewer, unless it is overdue (e.g. a ballot past its deadline still open).
    if (!overdue && !wf->Meta().AwaitsAny(allowed)) return std::nullopt;
    InboxItem item{std::move(inst), std::move(allowed), overdue};
    if (after && item.SortKey() <= *after) return std::nullopt;
    return item;
  };
  std::vector<InboxItem>& waiting = page.items;
  if (!scope.rso_id.empty()) {
    // A viewer scoped to an RSO reads its RSO's active instances: one index range, as many as
    // the RSO has under way, sorted here.
    scope.limit = 1000;
    for (;;) {
      auto found = instances_.ListInstances(scope);
      if (!found.ok()) return found.status();
      for (Instance& inst : *found) {
        scope.after_id = inst.id;
        if (auto item = accept(std::move(inst))) waiting.push_back(std::move(*item));
      }
      if (static_cast<int>(found->size()) < scope.limit) break;
    }
    std::sort(waiting.begin(), waiting.end(),
              [](const InboxItem& a, const InboxItem& b) { return a.SortKey() < b.SortKey(); });
  } else {
    // Any other viewer: of each workflow, the active states where its role may fire an event
    // (only the due instances where its events there are merely standing and overdue means
    // due), each a range read in SortKey order and merged, so a page reads about `limit` rows
    // of each range from the cursor on, whatever the number of active instances.
    std::vector<InboxRange> ranges;
    for (const Workflow* wf : registry_.All()) {
      if (wanted && !wanted(wf->Meta().name)) continue;
      for (const auto& st : wf->Meta().states) {
        if (st.terminal) continue;
        const auto events = wf->Meta().EventsFrom(st.name, viewer.role);
        if (events.empty()) continue;
        DueOrderQuery q;
        q.workflow = wf->Meta().name;
        q.state = st.name;
        const bool in_key_order = wf->OverdueOnlyWhenDue();
        if (!wf->Meta().AwaitsAny(events) && in_key_order) q.due_by = now;
        if (after && after->size() == 3 && in_key_order) {
          // Where overdue means due, a range's overdue instances are those due by now: after an
          // overdue cursor come its later overdue ones, then every one not overdue; after one
          // not overdue, only later ones not overdue (time may have passed since the cursor).
          std::pair<int64_t, int64_t> from{(*after)[1], (*after)[2]};
          const std::pair<int64_t, int64_t> first_not_overdue{now, INT64_MAX};
          from = (*after)[0] == 0 ? std::min(from, first_not_overdue)
                                  : std::max(from, first_not_overdue);
          q.after_due = from.first;
          q.after_id = from.second;
        }
        ranges.emplace_back(instances_, std::move(q), in_key_order, limit + 1);
      }
    }
    while (static_cast<int>(waiting.size()) <= limit) {
      InboxRange* first = nullptr;
      const InboxItem* head = nullptr;
      for (InboxRange& r : ranges) {
        auto h = r.Head(accept);
        if (!h.ok()) return h.status();
        if (*h != nullptr && (head == nullptr || (*h)->SortKey() < head->SortKey())) {
          first = &r;
          head = *h;
        }
      }
      if (first == nullptr) break;
      waiting.push_back(first->Take());
    }
  }
  if (static_cast<int>(waiting.size()) > limit) {
    waiting.erase(waiting.begin() + limit, waiting.end());
    page.next = waiting.back().SortKey();
  }
  return page;
}

}  // namespace rsoflow
