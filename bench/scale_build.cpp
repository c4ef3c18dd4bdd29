// bench/scale's database builder: N instances of the four workflows in a realistic mix, about
// ten audit entries each, written through the store's writer side in big transactions (no
// HTTP, no engine commands: a million instances in a few minutes), with a hash chain that
// verifies. See bench/scale.cpp for the mix and the measurements.
#include "bench/scale_build.h"

#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "engine/audit.h"
#include "engine/clock.h"
#include "workflows/rso_records.h"

namespace rsoflow::bench {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kStart = 1'420'070'400'000;  // 2015-01-01, the first instance
constexpr int kPerCommit = 20'000;             // instances a transaction

struct Step {
  const char* event;
  const char* to;
};

// The life of an instance: the states it went through to its last one.
struct Life {
  const char* workflow;
  const char* created_in;
  std::vector<Step> steps;
  bool terminal;
};

std::vector<Step> Repeat(Step s, int n) { return std::vector<Step>(static_cast<size_t>(n), s); }

std::vector<Step> Join(std::vector<Step> a, const std::vector<Step>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const std::vector<Step> kRecognized = {{"submit", "submitted"},
                                       {"start_review", "secretariat_review"},
                                       {"refer_to_council", "council_review"},
                                       {"council_approved", "recognized"}};

class Builder {
 public:
  Builder(db::SqliteStore& store, const ScaleOptions& opt, const std::vector<std::string>& council)
      : store_(store), opt_(opt), council_(council), rng_(42) {}

  Status Run(ScaleCounts* counts) {
    auto head = store_.ReadAuditHead();
    if (!head.ok()) return head.status();
    head_ = *head;
    rsos_ = std::max<int64_t>(20, opt_.instances / 200);
    const int64_t n = opt_.instances;
    RSOFLOW_RETURN_IF_ERROR(store_.Begin());
    for (int64_t i = 0; i < n; ++i) {
      RSOFLOW_RETURN_IF_ERROR(i < rsos_ ? Recognition(i) : Other(i, n));
      if ((i + 1) % kPerCommit == 0) {
        RSOFLOW_RETURN_IF_ERROR(store_.Commit());
        RSOFLOW_RETURN_IF_ERROR(store_.Begin());
        if ((i + 1) % (kPerCommit * 10) == 0) {
          std::fprintf(stderr, "  %lld instances, %lld audit entries\n",
                       static_cast<long long>(i + 1), static_cast<long long>(head_.seq));
        }
      }
    }
    RSOFLOW_RETURN_IF_ERROR(store_.Commit());
    counts->rsos = rsos_;
    counts->audit_entries = head_.seq;
    counts->open = open_;
    return Status::Ok();
  }

 private:
  int64_t Rand(int64_t n) { return static_cast<int64_t>(rng_() % static_cast<uint64_t>(n)); }

  // RSO i: its record and its recognition, mostly recognized; a few in the open states.
  Status Recognition(int64_t i) {
    Record r;
    r.kind = rso::kRsoKind;
    r.key = "RSO" + std::to_string(i + 1);
    const auto& regions = rso::Regions();
    r.data.Set("acronym", r.key);
    r.data.Set("name", "Regional Standards Organization " + std::to_string(i + 1));
    r.data.Set("kind", i % 4 == 0 ? "sub_regional" : "regional");
    r.data.Set("region", regions[static_cast<size_t>(i) % regions.size()]);
    Json members = Json::MakeArray();
    members.Push("KE");
    members.Push("TZ");
    r.data.Set("member_bodies", std::move(members));
    r.created_at = r.updated_at = kStart + i * kDay / 10;
    auto id = store_.InsertRecord(r);
    if (!id.ok()) return id.status();
    const int64_t pick = Rand(100);
    Life life{"rso_recognition", "draft", kRecognized, false};
    if (pick < 3) {
      life.steps = Join(kRecognized, {{"suspend", "suspended"}});
    } else if (pick < 5) {
      life.steps = {{"withdraw", "withdrawn"}};
      life.terminal = true;
    } else if (pick < 10) {
      life.steps.resize(static_cast<size_t>(Rand(4)));  // still on its way
    }
    return Write(life, *id, r.created_at, Json::MakeObject());
  }

  // Ballots, initiatives and plans: most closed long ago, the last few hundredths open.
  Status Other(int64_t i, int64_t n) {
    const bool open = i >= n - n / 330;  // ~0.3% open, the most recent
    const int64_t kind = i % 10;         // 4 ballots, 3 initiatives, 3 plans in 10
    std::string rso;
    // One large RSO (the first) holds a twentieth of the initiatives and plans.
    if (kind >= 4) rso = std::to_string(Rand(20) == 0 ? 1 : 1 + Rand(rsos_));
    const int64_t created = kStart + (i * 3650 / n) * kDay + Rand(kDay);
    Life life{};
    Json data = Json::MakeObject();
    if (kind < 4) {
      life = {"council_ballot", "open", Repeat({"vote", "open"}, 8), !open};
      if (!open) {
        static const char* kEnds[] = {"approved", "approved", "rejected", "no_quorum"};
        life.steps.push_back({"close", kEnds[Rand(4)]});
      }
      Json electorate = Json::MakeArray();
      for (const auto& c : council_) electorate.Push(c);
      data.Set("question", "Approve item " + std::to_string(i) + "?");
      data.Set("deadline", FormatTime(created + 30 * kDay));
      data.Set("electorate", std::move(electorate));
      data.Set("votes", Json::MakeObject());
    } else if (kind < 7) {
      life = {"partnership_initiative", "proposed",
              Join({{"start_review", "under_review"}, {"approve", "approved"}, {"start", "active"}},
                   Repeat({"report_progress", "active"}, 4)),
              !open};
      if (!open)
        life.steps.push_back(Rand(5) == 0 ? Step{"cancel", "cancelled"}
                                          : Step{"complete", "completed"});
      if (open) life.steps.resize(static_cast<size_t>(Rand(5)));
    } else {
      life = {"momentum_plan", "drafting",
              Join({{"submit", "submitted"}, {"approve", "approved"}, {"start", "in_progress"}},
                   Repeat({"report_progress", "in_progress"}, 5)),
              !open};
      if (!open)
        life.steps.push_back(Rand(6) == 0 ? Step{"lapse", "lapsed"}
                                          : Step{"complete", "completed"});
      if (open) life.steps.resize(static_cast<size_t>(Rand(5)));
      data.Set("drafting_overdue_on", "");
      data.Set("actions", Json::MakeArray());
    }
    return Write(life, rso, created, std::move(data));
  }

  Status Write(const Life& life, const std::string& rso, int64_t created, Json data) {
    Instance inst;
    inst.workflow = life.workflow;
    inst.workflow_version = 1;
    inst.state = life.steps.empty() ? life.created_in : life.steps.back().to;
    inst.version = static_cast<int64_t>(life.steps.size()) + 1;
    inst.rso_id = rso;
    inst.title = std::string(life.workflow) + " " + std::to_string(created % 100000);
    inst.data = std::move(data);
    inst.created_at = created;
    inst.created_by = "1";
    inst.updated_at = created + static_cast<int64_t>(life.steps.size()) * kDay;
    inst.terminal = life.terminal;
    if (!life.terminal && std::string(life.workflow) == "council_ballot") {
      inst.due_at = created + 30 * kDay;
    }
    open_ += life.terminal ? 0 : 1;
    auto id = store_.InsertInstance(inst);
    if (!id.ok()) return id.status();
    std::string from;
    int64_t at = created;
    RSOFLOW_RETURN_IF_ERROR(Append(*id, life.workflow, "create", from, life.created_in, at));
    from = life.created_in;
    for (const Step& s : life.steps) {
      at += kDay / 2 + Rand(kDay);
      RSOFLOW_RETURN_IF_ERROR(Append(*id, life.workflow, s.event, from, s.to, at));
      from = s.to;
    }
    return Status::Ok();
  }

  Status Append(int64_t instance, const char* workflow, const char* event, const std::string& from,
                const std::string& to, int64_t at) {
    AuditEntry e;
    e.seq = head_.seq + 1;
    e.at = at;
    e.instance_id = instance;
    e.workflow = workflow;
    e.event = event;
    e.from_state = from;
    e.to_state = to;
    e.actor_user_id = "1";
    e.actor_username = "scale.council0";
    e.actor_role = "secretariat";
    e.request_id = "scale-" + std::to_string(e.seq);
    static const char kHex[] = "0123456789abcdef";
    e.salt.resize(32);
    for (size_t k = 0; k < 32; k += 16) {
      uint64_t bits = rng_();
      for (size_t j = 0; j < 16; ++j, bits >>= 4) e.salt[k + j] = kHex[bits & 15];
    }
    e.prev_hash = head_.hash;
    e.hash = audit::ComputeHash(e);
    RSOFLOW_RETURN_IF_ERROR(store_.AppendAudit(e));
    head_ = AuditHead{e.seq, e.hash};
    return Status::Ok();
  }

  db::SqliteStore& store_;
  const ScaleOptions& opt_;
  const std::vector<std::string>& council_;
  std::mt19937_64 rng_;
  AuditHead head_;
  int64_t rsos_ = 0;
  int64_t open_ = 0;
};

}  // namespace

Status BuildScaleDatabase(db::SqliteStore& store, const ScaleOptions& opt,
                          const std::vector<std::string>& council_ids, ScaleCounts* counts) {
  Builder b(store, opt, council_ids);
  return b.Run(counts);
}

}  // namespace rsoflow::bench
