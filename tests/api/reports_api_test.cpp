// GET /reports/summary from the counters of migration 0013: after a random workload, every
// figure equals a recount made here from the instances, the RSO records and the audit trail
// (with and without ?from=&to=); the migration's backfill gives the same figures; bad dates
// are refused naming the field.
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "db/migrations.h"
#include "tests/api/api_fixture.h"
#include "workflows/rso_records.h"

namespace rsoflow::testing {
namespace {

constexpr int64_t kHourMs = 3'600'000;

struct Period {
  std::optional<int64_t> from, to;  // days since epoch, inclusive
  bool Holds(int64_t at) const {
    const int64_t day = at / kMsPerDay;
    return (!from || day >= *from) && (!to || day <= *to);
  }
  std::string Query() const {
    std::string q;
    if (from) q += "from=" + FormatDate(*from);
    if (to) q += std::string(q.empty() ? "" : "&") + "to=" + FormatDate(*to);
    return q.empty() ? "" : "?" + q;
  }
};

// Half the width of the histogram bucket (migration 0013) a duration falls in.
double HalfBucketDays(int64_t ms) { return ms < 48 * kHourMs ? 1.0 / 48 : 0.5; }

struct Spent {
  std::vector<int64_t> durations;
  int64_t sum = 0;
};

struct Cycle {
  int64_t completed = 0, sum = 0;
};

// The summary recounted from the store's instances, RSO records and audit trail, with code of
// its own (not the counters): what the report must say.
struct Recount {
  std::map<std::pair<std::string, std::string>, int64_t> by_state;
  struct Rso {
    std::string acronym, region, status;
    int64_t active = 0;
    std::map<std::string, Cycle> cycles;
  };
  std::map<std::string, Rso> rsos;
  std::map<std::pair<std::string, std::string>, Spent> spent;
  std::set<std::string> overdue;
};

Recount RecountFrom(Runtime& rt, const Period& period, int64_t now) {
  Recount out;
  for (int64_t after = 0;;) {
    auto page = rt.store().ListRecords(rso::kRsoKind, after, 100);
    EXPECT_TRUE(page.ok());
    for (const Record& r : *page) {
      after = std::stoll(r.id);
      out.rsos[r.id].acronym = r.data.GetString("acronym");
      out.rsos[r.id].region = r.data.GetString("region");
    }
    if (page->size() < 100) break;
  }
  std::map<int64_t, std::vector<AuditEntry>> trail;
  EXPECT_TRUE(rt.store()
                  .ForEachAudit(0,
                                [&](const AuditEntry& e) {
                                  if (e.instance_id != 0) trail[e.instance_id].push_back(e);
                                  return true;
                                })
                  .ok());
  InstanceQuery q;
  q.limit = 200;
  for (;;) {
    auto page = rt.store().ListInstances(q);
    EXPECT_TRUE(page.ok());
    for (const Instance& inst : *page) {
      q.after_id = inst.id;
      out.by_state[{inst.workflow, inst.state}] += 1;
      auto rso = out.rsos.find(inst.rso_id);
      if (inst.workflow == "rso_recognition" && rso != out.rsos.end()) {
        rso->second.status = inst.state;  // the latest by id wins
      }
      const Workflow* wf = rt.registry().Find(inst.workflow);
      if (!inst.terminal) {
        if (rso != out.rsos.end()) rso->second.active += 1;
        if (wf->IsOverdue(inst, now)) out.overdue.insert(std::to_string(inst.id));
      } else if (rso != out.rsos.end()) {
        // Ended when its trail first entered the terminal state it is in.
        for (const AuditEntry& e : trail[inst.id]) {
          if (e.to_state != inst.state) continue;
          if (period.Holds(e.at)) {
            Cycle& c = rso->second.cycles[inst.workflow];
            c.completed += 1;
            c.sum += e.at - inst.created_at;
          }
          break;
        }
      }
    }
    if (static_cast<int>(page->size()) < q.limit) break;
  }
  // A period in a state: from the entry that entered it to the next entry to another state.
  for (const auto& [id, entries] : trail) {
    const AuditEntry* entered = nullptr;
    for (const AuditEntry& e : entries) {
      if (entered != nullptr && entered->to_state == e.to_state) continue;
      if (entered != nullptr && period.Holds(e.at)) {
        Spent& s = out.spent[{e.workflow, entered->to_state}];
        s.durations.push_back(e.at - entered->at);
        s.sum += e.at - entered->at;
      }
      entered = &e;
    }
  }
  return out;
}

// The member `key` of an object; a test failure and null when it is missing.
const Json& Member(const Json& object, const char* key) {
  static const Json kNull;
  const Json* found = object.is_object() ? object.Get(key) : nullptr;
  if (found == nullptr) ADD_FAILURE() << "no \"" << key << "\" in " << object.Dump();
  return found != nullptr ? *found : kNull;
}

double MeanDays(int64_t sum, int64_t n) {
  return static_cast<double>(sum) / static_cast<double>(n) / static_cast<double>(kMsPerDay);
}

void ExpectCycles(const Json& got, const std::map<std::string, Cycle>& want,
                  const std::string& where) {
  std::vector<std::string> workflows;
  for (const auto& [wf, c] : want) workflows.push_back(wf);
  ASSERT_TRUE(got.is_array()) << where;
  ASSERT_EQ(got.size(), workflows.size()) << where << ": " << got.Dump();
  for (size_t i = 0; i < workflows.size(); ++i) {
    const Json& g = got.AsArray()[i];
    const Cycle& c = want.at(workflows[i]);
    EXPECT_EQ(g.GetString("workflow"), workflows[i]) << where;
    EXPECT_EQ(g.GetInt("completed"), c.completed) << where << " " << workflows[i];
    EXPECT_DOUBLE_EQ(Member(g, "mean_days").AsDouble(), MeanDays(c.sum, c.completed))
        << where << " " << workflows[i];
  }
}

// Every figure of the summary against the recount.
void ExpectSummaryEquals(const Json& s, const Recount& want, const Period& period) {
  const std::string label = "period " + period.Query();
  SCOPED_TRACE(label);
  if (period.from || period.to) {
    ASSERT_TRUE(Member(s, "period").is_object());
    Json asked = Json::MakeObject();
    asked.Set("from", period.from ? Json(FormatDate(*period.from)) : Json());
    asked.Set("to", period.to ? Json(FormatDate(*period.to)) : Json());
    EXPECT_EQ(Member(s, "period").Dump(), asked.Dump());
  } else {
    EXPECT_TRUE(s.Has("period") && Member(s, "period").is_null());
  }
  const Json& by_workflow = *s.Get("by_workflow");
  ASSERT_EQ(by_workflow.size(), want.by_state.size()) << by_workflow.Dump();
  size_t i = 0;
  for (const auto& [key, count] : want.by_state) {
    const Json& g = by_workflow.AsArray()[i++];
    EXPECT_EQ(g.GetString("workflow") + "/" + g.GetString("state") + "=" +
                  std::to_string(g.GetInt("count")),
              key.first + "/" + key.second + "=" + std::to_string(count));
  }

  const Json& by_rso = *s.Get("by_rso");
  ASSERT_EQ(by_rso.size(), want.rsos.size());
  struct Region {
    int64_t rsos = 0, recognized = 0, active = 0;
    std::map<std::string, Cycle> cycles;
  };
  std::map<std::string, Region> regions;
  i = 0;
  for (const auto& [id, r] : want.rsos) {
    const Json& g = by_rso.AsArray()[i++];
    EXPECT_EQ(g.GetString("rso_id"), id);
    EXPECT_EQ(g.GetString("acronym"), r.acronym);
    EXPECT_EQ(g.GetString("region"), r.region);
    EXPECT_EQ(g.Get("status")->is_null() ? "" : g.GetString("status"), r.status) << id;
    EXPECT_EQ(g.GetInt("active_instances"), r.active) << id;
    ExpectCycles(Member(g, "cycle_times"), r.cycles, "RSO " + id);
    Region& region = regions[r.region];
    region.rsos += 1;
    region.recognized += r.status == "recognized" ? 1 : 0;
    region.active += r.active;
    for (const auto& [wf, c] : r.cycles) {
      region.cycles[wf].completed += c.completed;
      region.cycles[wf].sum += c.sum;
    }
  }
  const Json& by_region = *s.Get("by_region");
  ASSERT_EQ(by_region.size(), regions.size());
  i = 0;
  for (const auto& [name, r] : regions) {
    const Json& g = by_region.AsArray()[i++];
    EXPECT_EQ(g.GetString("region"), name);
    EXPECT_EQ(g.GetInt("rsos"), r.rsos) << name;
    EXPECT_EQ(g.GetInt("recognized"), r.recognized) << name;
    EXPECT_EQ(g.GetInt("active_instances"), r.active) << name;
    ExpectCycles(Member(g, "cycle_times"), r.cycles, "region " + name);
  }

  std::set<std::string> overdue;
  for (const Json& o : s.Get("overdue")->AsArray()) overdue.insert(o.GetString("instance_id"));
  EXPECT_EQ(overdue, want.overdue);

  const Json& times = *s.Get("median_days_in_state");
  ASSERT_EQ(times.size(), want.spent.size()) << times.Dump();
  i = 0;
  for (const auto& [key, spent] : want.spent) {
    const Json& g = times.AsArray()[i++];
    const std::string what = key.first + "/" + key.second;
    EXPECT_EQ(g.GetString("workflow") + "/" + g.GetString("state"), what);
    std::vector<int64_t> d = spent.durations;
    std::sort(d.begin(), d.end());
    const size_t n = d.size();
    EXPECT_EQ(g.GetInt("samples"), static_cast<int64_t>(n)) << what;
    EXPECT_DOUBLE_EQ(Member(g, "mean_days").AsDouble(),
                     MeanDays(spent.sum, static_cast<int64_t>(n)))
        << what;
    // The exact median, and how far the histogram's may be from it (half a bucket).
    const int64_t lo = d[(n - 1) / 2], hi = d[n / 2];
    const double median = (static_cast<double>(lo) + static_cast<double>(hi)) / 2 / kMsPerDay;
    const double tolerance = (HalfBucketDays(lo) + HalfBucketDays(hi)) / 2 + 1e-9;
    EXPECT_NEAR(g.Get("median_days")->AsDouble(), median, tolerance) << what;
  }
}

class ReportsApiTest : public ApiTest {
 protected:
  // A random workload through the API, the clock moving on by minutes or days between
  // commands: RSOs in several regions recognized or withdrawn, their dossiers edited (acronym
  // and region), ballots voted and closed, initiatives and momentum plans started and moved
  // on, many reaching terminal states.
  void RandomWorkload(unsigned seed, int steps) {
    std::mt19937 rng(seed);
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    const auto& regions = rso::Regions();
    std::vector<std::string> rsos;
    for (int i = 0; i < 5; ++i) {
      rsos.push_back(CreateRso("R" + std::to_string(i), regions[pick(3)]));
    }
    Recognize(rsos[0]);
    Recognize(rsos[1]);
    const std::string event = CreateIsoEvent({rsos[0], rsos[1]});
    for (int step = 0; step < steps; ++step) {
      clock.Advance(std::chrono::milliseconds(rng() % 2
                                                  ? static_cast<int64_t>(rng() % (3 * kHourMs))
                                                  : static_cast<int64_t>(rng() % (5 * kMsPerDay))));
      const size_t what = pick(100);
      if (what < 6) {
        rsos.push_back(CreateRso("R" + std::to_string(rsos.size()), regions[pick(3)]));
      } else if (what < 12) {
        CreateBallot("Ballot " + std::to_string(step));
      } else if (what < 18) {
        Json body = J(R"({"type":"training","title":"Training"})");
        body.Set("rso_id", rsos[pick(2)]);
        Post("/api/v1/initiatives", sec.token, body);
      } else if (what < 22) {
        Json plan = J(R"({"title":"Momentum",
                          "actions":[{"title":"Follow-up","owner":"KEBS","due_on":"2026-04-20"}]})");
        plan.Set("rso_id", rsos[pick(2)]);
        plan.Set("iso_event_id", event);
        Post("/api/v1/momentum-plans", sec.token, plan);
      } else if (what < 25) {
        EditDossier(rsos[pick(rsos.size())], "E" + std::to_string(step), regions[pick(3)]);
      } else {
        MoveSomeInstance(rng);
      }
    }
    // Whatever the walk did: an RSO whose dossier was edited (in draft, where it may be), a
    // recognized RSO, and a ballot past its deadline (overdue).
    rsos.push_back(CreateRso("R" + std::to_string(rsos.size()), regions[0]));
    ASSERT_EQ(EditDossier(rsos.back(), "EDITED", regions[1]), 200);
    rsos.push_back(CreateRso("R" + std::to_string(rsos.size()), regions[pick(3)]));
    Recognize(rsos.back());
    CreateBallot("Late ballot");
    clock.Advance(std::chrono::milliseconds(8 * kMsPerDay));
  }

  // Edits an RSO's acronym and region; refused (409) unless its recognition is in draft or
  // returned. Returns the HTTP status.
  int EditDossier(const std::string& rso_id, const std::string& acronym,
                  const std::string& region) {
    Json edit = Json::MakeObject();
    edit.Set("acronym", acronym);
    edit.Set("region", region);
    return Fire(RecognitionOf(rso_id), sec.token, "edit_dossier", edit).status;
  }

  // Fires a random event the secretariat may fire (or a Council vote) on a random active
  // instance; refusals are part of the workload (they change nothing).
  void MoveSomeInstance(std::mt19937& rng) {
    HttpReply active = Get("/api/v1/instances?active=true&limit=200", sec.token);
    ASSERT_EQ(active.status, 200);
    const auto& items = active.json().Get("items")->AsArray();
    if (items.empty()) return;
    const Json& inst = items[rng() % items.size()];
    const std::string id = inst.GetString("id");
    if (inst.GetString("workflow") == "council_ballot" && rng() % 2) {
      static const char* kChoices[] = {"approve", "approve", "reject", "abstain"};
      Json vote = Json::MakeObject();
      vote.Set("choice", kChoices[rng() % 4]);
      Fire(id, council.token, "vote", vote);
      return;
    }
    HttpReply full = Get("/api/v1/instances/" + id, sec.token);
    ASSERT_EQ(full.status, 200);
    const auto& events = full.json().Get("allowed_events")->AsArray();
    if (events.empty()) return;
    std::string event = events[rng() % events.size()].AsString();
    // Two in three ends are not taken at once: more instances go their way to the end.
    for (const char* end : {"withdraw", "cancel", "suspend", "decline"}) {
      if (event.find(end) != std::string::npos && rng() % 3 != 0) {
        event = events[rng() % events.size()].AsString();
      }
    }
    Fire(id, sec.token, event, Json::MakeObject(), "step");
  }

  void ExpectSummaryMatchesRecount(const Period& period) {
    HttpReply r = Get("/api/v1/reports/summary" + period.Query(), sec.token);
    ASSERT_EQ(r.status, 200) << r.body;
    ExpectSummaryEquals(r.json(), RecountFrom(*runtime, period, clock.NowMs()), period);
  }

  // Periods over the workload's days: a window, from a day on, up to a day, and one day.
  std::vector<Period> SomePeriods() {
    const int64_t first = kT0 / kMsPerDay, last = clock.NowMs() / kMsPerDay;
    const int64_t third = (last - first) / 3;
    return {Period{first + third, last - third}, Period{first + third, std::nullopt},
            Period{std::nullopt, first + 2 * third}, Period{first + third, first + third},
            Period{last + 1, last + 30}};
  }
};

TEST_F(ReportsApiTest, SummaryEqualsARecountAfterARandomWorkloadWithAndWithoutPeriods) {
  RandomWorkload(2126, 260);
  // The workload reached what the report counts: closed instances, several states left.
  HttpReply s = Get("/api/v1/reports/summary", sec.token);
  ASSERT_EQ(s.status, 200);
  EXPECT_GE(s.json().Get("median_days_in_state")->size(), 6u) << s.body;
  int64_t completed = 0, recognized = 0;
  for (const Json& r : s.json().Get("by_region")->AsArray()) {
    recognized += r.GetInt("recognized");
    const Json& cycles = Member(r, "cycle_times");
    if (!cycles.is_array()) continue;
    for (const Json& c : cycles.AsArray()) completed += c.GetInt("completed");
  }
  EXPECT_GE(recognized, 1) << s.body;
  EXPECT_GE(completed, 3) << s.body;
  EXPECT_GE(s.json().Get("overdue")->size(), 1u) << s.body;

  ExpectSummaryMatchesRecount(Period{});
  for (const Period& p : SomePeriods()) ExpectSummaryMatchesRecount(p);
}

TEST_F(ReportsApiTest, TheMigrationBackfillGivesTheSameFiguresAsTheRecount) {
  RandomWorkload(77, 160);
  server->Stop();
  server.reset();
  runtime.reset();
  // The database as before migrations 0013 and 0015 (their counters, RSO directory and
  // triggers gone), then both run on it: what the summary reads comes from their backfills
  // alone.
  std::string script = "BEGIN;";
  for (const db::Migration& m : db::Migrations()) {
    if (m.version == 13 || m.version == 15) script += std::string(m.sql) + ";";
  }
  script += "COMMIT;";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
  std::vector<std::string> drops;
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT type, name FROM sqlite_master WHERE (name LIKE 'report%' "
                               "OR name LIKE 'rso_directory%') AND type IN ('table', 'trigger') "
                               "ORDER BY type DESC",
                               -1, &st, nullptr),
            SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    drops.push_back(std::string("DROP ") +
                    reinterpret_cast<const char*>(sqlite3_column_text(st, 0)) + " " +
                    reinterpret_cast<const char*>(sqlite3_column_text(st, 1)));
  }
  sqlite3_finalize(st);
  EXPECT_EQ(drops.size(), 14u);  // 7 + 1 tables, 4 + 2 triggers
  for (const std::string& sql : drops) {
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  }
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(db, script.c_str(), nullptr, nullptr, &err), SQLITE_OK)
      << (err ? err : "");
  sqlite3_close(db);

  StartServer();
  ExpectSummaryMatchesRecount(Period{});
  for (const Period& p : SomePeriods()) ExpectSummaryMatchesRecount(p);
}

TEST_F(ReportsApiTest, BadDatesAreRefusedNamingTheField) {
  struct Case {
    const char* query;
    const char* field;
  };
  for (const Case& c :
       {Case{"?from=2026-13-01", "from"}, Case{"?to=yesterday", "to"},
        Case{"?from=2026-02-30", "from"}, Case{"?from=2026-3-1", "from"},
        Case{"?from=2026-03-01&to=2026-02-28", "from"}, Case{"?since=2026-03-01", "since"}}) {
    HttpReply r = Get(std::string("/api/v1/reports/summary") + c.query, sec.token);
    EXPECT_EQ(r.status, 400) << c.query << " " << r.body;
    EXPECT_EQ(r.code(), "invalid_request") << c.query;
    const Json* fields = r.json().Get("fields");
    ASSERT_NE(fields, nullptr) << r.body;
    EXPECT_EQ(fields->Dump(), std::string("[\"") + c.field + "\"]") << c.query;
  }
  HttpReply one_day = Get("/api/v1/reports/summary?from=2026-03-01&to=2026-03-01", sec.token);
  EXPECT_EQ(one_day.status, 200) << one_day.body;
  EXPECT_EQ(Member(one_day.json(), "period").Dump(), R"({"from":"2026-03-01","to":"2026-03-01"})");
}

}  // namespace
}  // namespace rsoflow::testing
