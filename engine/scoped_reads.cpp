#include "engine/scoped_reads.h"

#include <algorithm>
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

Result<InboxPage> ScopedReads::Inbox(const Actor& viewer, int64_t now,
                                     const std::optional<std::vector<int64_t>>& after,
                                     int limit) const {
  InboxPage page;
  InstanceQuery scope;
  scope.active = true;
  if (!policy_.Scope(viewer, &scope)) return page;
  // The ranges to read: a viewer scoped to an RSO reads its RSO's active instances (one index
  // range); any other reads, of each workflow, the active states where its role may fire an
  // event (an index range each), so the instances waiting for other roles are not read.
  std::vector<InstanceQuery> ranges;
  if (!scope.rso_id.empty()) {
    ranges.push_back(scope);
  } else {
    for (const Workflow* wf : registry_.All()) {
      for (const auto& st : wf->Meta().states) {
        if (st.terminal) continue;
        const auto events = wf->Meta().EventsFrom(st.name, viewer.role);
        if (events.empty()) continue;
        InstanceQuery q = scope;
        q.workflow = wf->Meta().name;
        q.state = st.name;
        // Where the role's events are merely standing, only an overdue instance waits for it:
        // when overdue means due, only the due ones are read.
        if (!wf->Meta().AwaitsAny(events) && wf->OverdueOnlyWhenDue()) q.due_by = now;
        ranges.push_back(std::move(q));
      }
    }
  }
  std::vector<InboxItem>& waiting = page.items;
  for (InstanceQuery& q : ranges) {
    q.limit = 1000;
    for (;;) {
      auto found = instances_.ListInstances(q);
      if (!found.ok()) return found.status();
      for (Instance& inst : *found) {
        q.after_id = inst.id;
        const Workflow* wf = registry_.Find(inst.workflow);
        if (wf == nullptr || inst.terminal) continue;
        auto allowed = wf->Meta().EventsFrom(inst.state, viewer.role);
        if (allowed.empty() || wf->DoneFor(inst, viewer)) continue;
        const bool overdue = wf->IsOverdue(inst, now);
        // Standing events alone (cancel, suspend, extend...) do not make an instance wait for
        // the viewer, unless it is overdue (e.g. a ballot past its deadline still open).
        if (!overdue && !wf->Meta().AwaitsAny(allowed)) continue;
        InboxItem item{std::move(inst), std::move(allowed), overdue};
        if (after && item.SortKey() <= *after) continue;
        waiting.push_back(std::move(item));
      }
      if (static_cast<int>(found->size()) < q.limit) break;
    }
  }
  std::sort(waiting.begin(), waiting.end(),
            [](const InboxItem& a, const InboxItem& b) { return a.SortKey() < b.SortKey(); });
  if (static_cast<int>(waiting.size()) > limit) {
    waiting.erase(waiting.begin() + limit, waiting.end());
    page.next = waiting.back().SortKey();
  }
  return page;
}

}  // namespace rsoflow
