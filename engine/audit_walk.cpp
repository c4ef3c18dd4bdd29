#include "engine/audit_walk.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rsoflow {
namespace {

constexpr unsigned kMaxThreads = 4;

// One page of the chain as read and hashed: matches[i] is audit::HashMatches(entries[i]).
struct Page {
  int64_t index = -1;  // the page this slot holds once ready (guarded by Walk::mu_)
  bool ready = false;  // guarded by Walk::mu_
  Status status;
  std::vector<AuditEntry> entries;
  std::vector<char> matches;
};

class Walk {
 public:
  Walk(AuditStore& store, const AuditWalkOptions& o, AuditVerifier* verifier)
      : store_(store), start_(o.start.seq), size_(std::max(1, o.page)), verifier_(verifier) {}

  // Reads page k into `page` and hashes its entries (`buffer` reused between entries).
  void Fill(int64_t k, Page* page, std::string* buffer) {
    page->status = store_.ReadAuditPage(start_ + k * size_, size_, &page->entries);
    if (!page->status.ok()) page->entries.clear();
    page->matches.resize(page->entries.size());
    for (size_t i = 0; i < page->entries.size(); ++i) {
      page->matches[i] = audit::HashMatches(page->entries[i], buffer);
    }
  }

  // Feeds the page to the verifier; false when the walk is over (a bad entry, the chain's end,
  // or a storage failure, which is kept in status_).
  bool Feed(const Page& page) {
    if (!page.status.ok()) {
      status_ = page.status;
      return false;
    }
    for (size_t i = 0; i < page.entries.size(); ++i) {
      if (!verifier_->AddHashed(page.entries[i], page.matches[i] != 0)) return false;
    }
    return static_cast<int>(page.entries.size()) == size_;
  }

  Status Sequential() {
    Page page;
    std::string buffer;
    for (int64_t k = 0;; ++k) {
      Fill(k, &page, &buffer);
      if (!Feed(page)) return status_;
    }
  }

  Status Parallel(int threads) {
    slots_.resize(static_cast<size_t>(2 * threads));
    std::vector<std::thread> workers;
    workers.reserve(static_cast<size_t>(threads));
    for (int i = 0; i < threads; ++i) workers.emplace_back([this] { Work(); });
    for (int64_t k = 0;; ++k) {
      Page& page = Slot(k);
      {
        std::unique_lock<std::mutex> lock(mu_);
        ready_.wait(lock, [&] { return page.ready && page.index == k; });
      }
      const bool more = Feed(page);
      {
        std::lock_guard<std::mutex> lock(mu_);
        page.ready = false;
        fed_ = k + 1;
        if (!more) stop_ = true;
      }
      claimable_.notify_all();
      if (!more) break;
    }
    for (std::thread& t : workers) t.join();
    return status_;
  }

 private:
  Page& Slot(int64_t k) { return slots_[static_cast<size_t>(k) % slots_.size()]; }

  // A worker claims the next page once its slot's previous page has been fed.
  void Work() {
    std::string buffer;
    for (;;) {
      int64_t k;
      {
        std::unique_lock<std::mutex> lock(mu_);
        claimable_.wait(
            lock, [&] { return stop_ || next_ < fed_ + static_cast<int64_t>(slots_.size()); });
        if (stop_) return;
        k = next_++;
      }
      Page& page = Slot(k);
      Fill(k, &page, &buffer);
      {
        std::lock_guard<std::mutex> lock(mu_);
        page.index = k;
        page.ready = true;
      }
      ready_.notify_all();
    }
  }

  AuditStore& store_;
  const int64_t start_;
  const int size_;
  AuditVerifier* verifier_;
  Status status_;
  std::vector<Page> slots_;
  std::mutex mu_;
  std::condition_variable ready_, claimable_;
  int64_t next_ = 0;  // the next page a worker claims
  int64_t fed_ = 0;   // pages fed to the verifier
  bool stop_ = false;
};

}  // namespace

Result<AuditVerifyResult> VerifyStoredAudit(AuditStore& store, const AuditWalkOptions& o) {
  AuditVerifier verifier;
  if (o.expected_head) verifier.ExpectHead(*o.expected_head);
  verifier.StartAfter(o.start);
  if (o.start.seq > 0) {
    std::vector<AuditEntry> own;
    RSOFLOW_RETURN_IF_ERROR(store.ReadAuditPage(o.start.seq - 1, 1, &own));
    if (own.empty() || own[0].seq != o.start.seq || own[0].hash != o.start.hash) {
      AuditVerifyResult r = verifier.Finish();
      r.ok = false;
      r.first_bad_seq = o.start.seq;
      r.problem = "entry " + std::to_string(o.start.seq) +
                  " no longer holds the hash the last verification recorded for it";
      return r;
    }
  }
  int threads = o.threads;
  // One per core, but no more than kMaxThreads: past a few, SQLite's reads share the memory
  // bandwidth, and each thread holds two pages.
  if (threads < 0) {
    threads = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, kMaxThreads));
  }
  Walk walk(store, o, &verifier);
  RSOFLOW_RETURN_IF_ERROR(threads == 0 ? walk.Sequential() : walk.Parallel(threads));
  return verifier.Finish();
}

}  // namespace rsoflow
