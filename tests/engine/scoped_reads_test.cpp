// The engine's scoped, paged reads (engine/scoped_reads.h): scope, the visibility rules a
// workflow states, and keyset pages that stay full and lose nothing when a rule hides rows,
// on the test-only "counter" workflow and a variant of it that hides its bumps.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/harness.h"
#include "tests/support/test_workflow.h"

namespace rsoflow::testing {
namespace {

// The counter workflow under another name, whose "bump" entries no one but the auditor reads.
class SecretBumps final : public Workflow {
 public:
  SecretBumps() : meta_(inner_.Meta()) { meta_.name = "secret_bumps"; }
  const WorkflowMeta& Meta() const override { return meta_; }
  Result<CreateOutcome> Create(const CreateRequest& r) const override { return inner_.Create(r); }
  Result<FireOutcome> Fire(const FireRequest& r) const override { return inner_.Fire(r); }
  std::optional<AuditEntryView> ReadAuditEntry(AuditEntry e, const Instance*,
                                               const Actor& viewer) const override {
    if (e.event == "bump" && viewer.role != role::kAuditor) return std::nullopt;
    return AuditEntryView{std::move(e)};
  }

 private:
  CounterWorkflow inner_;
  WorkflowMeta meta_;
};

class ScopedReadsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h.registry.Add(std::make_unique<SecretBumps>());
    sec = h.AddUser("sec", "secretariat");
    liaison_a = h.AddUser("liaison.a", "rso_liaison", "rso-a");
    auditor = h.AddUser("auditor", "auditor");
  }
  int64_t New(const std::string& workflow, const std::string& rso, int bumps) {
    auto r = h.Start(workflow, sec, J("{}"), rso);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    for (int i = 0; i < bumps; ++i) EXPECT_TRUE(h.Fire(r->instance.id, "bump", sec).ok());
    return r->instance.id;
  }
  const ScopedReads& reads() { return h.engine->reads(); }

  // Every page of the audit list as `viewer` reads it, `limit` at a time: the seqs of each.
  std::vector<std::vector<int64_t>> AuditPages(const Actor& viewer, int limit) {
    std::vector<std::vector<int64_t>> pages;
    AuditQuery q;
    q.limit = limit;
    for (int i = 0; i < 20; ++i) {
      auto page = reads().ListAudit(q, viewer);
      EXPECT_TRUE(page.ok()) << page.status().ToString();
      if (!page.ok()) break;
      pages.emplace_back();
      for (const AuditEntryView& v : page->items) pages.back().push_back(v.entry.seq);
      if (!page->next) break;
      q.after_seq = *page->next;
    }
    return pages;
  }

  Harness h;
  Actor sec, liaison_a, auditor;
};

TEST_F(ScopedReadsTest, ALiaisonListsOnlyItsRsosInstancesInFullPages) {
  std::vector<int64_t> mine;
  for (int i = 0; i < 5; ++i) {
    mine.push_back(New("counter", "rso-a", 0));
    New("counter", "rso-b", 0);
  }
  InstanceQuery q;
  q.limit = 2;
  std::vector<int64_t> listed;
  std::vector<size_t> sizes;
  for (int i = 0; i < 10; ++i) {
    auto page = reads().ListInstances(q, liaison_a);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    sizes.push_back(page->items.size());
    for (const InstanceView& v : page->items) listed.push_back(v.instance.id);
    if (!page->next) break;
    q.after_id = *page->next;
  }
  EXPECT_EQ(listed, mine);
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 2, 1}));
  q = InstanceQuery{};
  q.rso_id = "rso-b";  // another RSO's: nothing, not an error
  auto other = reads().ListInstances(q, liaison_a);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->items.empty());
  EXPECT_FALSE(other->next.has_value());
}

TEST_F(ScopedReadsTest, AListedInstanceCarriesTheEventsTheViewerMayFireNow) {
  const int64_t id = New("counter", "rso-a", 1);
  InstanceQuery q;
  auto page = reads().ListInstances(q, sec);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].instance.id, id);
  EXPECT_EQ(page->items[0].allowed_events, h.engine->AllowedEvents(h.Load(id), sec));
  EXPECT_FALSE(page->items[0].allowed_events.empty());
}

TEST_F(ScopedReadsTest, AHistoryPageSkipsEntriesTheWorkflowHidesAndLosesNoneItShows) {
  const int64_t id = New("secret_bumps", "rso-a", 5);
  ASSERT_TRUE(h.Fire(id, "finish", sec).ok());
  // Of create, five bumps and finish the secretariat reads create and finish: one a page.
  auto first = reads().History(id, sec, 0, 1);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_EQ(first->items.size(), 1u);
  EXPECT_EQ(first->items[0].entry.event, "create");
  ASSERT_TRUE(first->next.has_value());
  auto second = reads().History(id, sec, *first->next, 1);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->items.size(), 1u);
  EXPECT_EQ(second->items[0].entry.event, "finish");
  EXPECT_FALSE(second->next.has_value());
  // The auditor reads all seven.
  auto all = reads().History(id, auditor, 0, 50);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->items.size(), 7u);
}

TEST_F(ScopedReadsTest, AnAuditListPageIsFullAndHasANextCursorWhenHiddenEntriesSitBetween) {
  const int64_t a = New("secret_bumps", "rso-a", 3);  // seq 1 create, 2-4 bumps
  const int64_t b = New("counter", "rso-a", 0);       // seq 5
  const int64_t c = New("secret_bumps", "rso-a", 2);  // seq 6 create, 7-8 bumps
  const int64_t d = New("counter", "rso-a", 1);       // seq 9, 10
  (void)a, (void)b, (void)c, (void)d;
  EXPECT_EQ(AuditPages(sec, 2), (std::vector<std::vector<int64_t>>{{1, 5}, {6, 9}, {10}}));
  EXPECT_EQ(AuditPages(auditor, 4),
            (std::vector<std::vector<int64_t>>{{1, 2, 3, 4}, {5, 6, 7, 8}, {9, 10}}));
}

TEST_F(ScopedReadsTest, TheChainFieldsShowOnlyWhatNoHiddenEntryGivesAway) {
  const int64_t id = New("secret_bumps", "rso-a", 1);  // seq 1 create, 2 bump
  New("counter", "rso-a", 1);                          // seq 3 create, 4 bump
  (void)id;
  auto page = reads().ListAudit(AuditQuery{}, sec);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 3u);  // 1, 3, 4
  for (const AuditEntryView& v : page->items) EXPECT_FALSE(v.salt_shown) << v.entry.seq;
  EXPECT_TRUE(page->items[0].prev_hash_shown);   // seq 1: the genesis hash
  EXPECT_FALSE(page->items[1].prev_hash_shown);  // seq 3: the hash of the hidden seq 2
  EXPECT_TRUE(page->items[2].prev_hash_shown);   // seq 4: the hash of seq 3, shown in full
  auto full = reads().ListAudit(AuditQuery{}, auditor);
  ASSERT_TRUE(full.ok());
  for (const AuditEntryView& v : full->items) {
    EXPECT_TRUE(v.salt_shown && v.hash_shown && v.prev_hash_shown) << v.entry.seq;
  }
}

TEST_F(ScopedReadsTest, AnInstanceOutsideTheViewersScopeIsNotFoundLikeOneThatDoesNotExist) {
  const int64_t id = New("counter", "rso-b", 0);
  auto hidden = reads().History(id, liaison_a, 0, 10);
  auto missing = reads().History(id + 100, liaison_a, 0, 10);
  ASSERT_FALSE(hidden.ok());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(hidden.status().code(), Status::Code::kNotFound);
  EXPECT_EQ(hidden.status().message(), "no instance " + std::to_string(id));
  EXPECT_EQ(missing.status().message(), "no instance " + std::to_string(id + 100));
}

}  // namespace
}  // namespace rsoflow::testing
