// GET /api/v1/reports/summary: workload and cycle times - instances by workflow and state,
// RSOs and active work by region and by RSO, overdue items, the days an instance spends in
// each state, and the days from creation to a terminal state by RSO and region.
//
// Read from counters the store keeps in the same transaction as each change (ReportStore,
// migration 0013), not from the instances and the audit trail: a few hundred rows whatever
// the database's size. Counts, RSO status, active work and the overdue list are always now;
// ?from=&to= (UTC dates, inclusive) choose the periods in a state that ended, and the
// instances that reached a terminal state, in those days.
//
// Time in a state (DESIGN 2, as this report always counted it): from the audit entry that
// entered the state to the next entry that moved the instance to another one. Its mean is
// exact; its median comes from a histogram, one-hour buckets below two days and one-day
// buckets from two days on, as the middle period's bucket midpoint (the two middle ones'
// average for an even count): within 30 minutes of the exact median below two days, 12 hours
// above.
#include <algorithm>
#include <map>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "api/handlers.h"
#include "engine/clock.h"

namespace rsoflow::api {
namespace {

constexpr int64_t kMsPerHour = 3'600'000;

Result<ReportPeriod> ParsePeriod(const Request& req) {
  ReportPeriod period;
  for (auto [name, day] : {std::pair{"from", &period.from_day}, std::pair{"to", &period.to_day}}) {
    auto it = req.query.find(name);
    if (it == req.query.end()) continue;
    *day = ParseDate(it->second);
    if (!*day) {
      return Status::InvalidRequest(std::string(name) + " must be a calendar date YYYY-MM-DD",
                                    {name});
    }
  }
  if (period.from_day && period.to_day && *period.from_day > *period.to_day) {
    return Status::InvalidRequest("from must not be after to", {"from"});
  }
  return period;
}

Json PeriodJson(const ReportPeriod& p) {
  Json j = Json::MakeObject();
  j.Set("from", p.from_day ? Json(FormatDate(*p.from_day)) : Json());
  j.Set("to", p.to_day ? Json(FormatDate(*p.to_day)) : Json());
  return j;
}

double Days(double ms) { return ms / static_cast<double>(kMsPerDay); }

// The midpoint, in ms, of the bucket holding the k-th (0-based) period of a histogram sorted
// by bucket.
double BucketMidpointAt(const std::vector<const ReportStateTime*>& buckets, int64_t k) {
  for (const ReportStateTime* b : buckets) {
    if (k < b->samples) {
      const int64_t width_hours = b->bucket_hours < 48 ? 1 : 24;
      return (static_cast<double>(b->bucket_hours) + width_hours / 2.0) * kMsPerHour;
    }
    k -= b->samples;
  }
  return 0;
}

Json StateTimes(const std::vector<ReportStateTime>& rows) {
  std::map<std::pair<std::string, std::string>, std::vector<const ReportStateTime*>> by_state;
  for (const ReportStateTime& r : rows) by_state[{r.workflow, r.state}].push_back(&r);
  Json out = Json::MakeArray();
  for (const auto& [key, buckets] : by_state) {
    int64_t n = 0, sum_ms = 0;
    for (const ReportStateTime* b : buckets) n += b->samples, sum_ms += b->sum_ms;
    if (n == 0) continue;
    const double median =
        n % 2 ? BucketMidpointAt(buckets, n / 2)
              : (BucketMidpointAt(buckets, n / 2 - 1) + BucketMidpointAt(buckets, n / 2)) / 2;
    Json j = Json::MakeObject();
    j.Set("workflow", key.first);
    j.Set("state", key.second);
    j.Set("median_days", Days(median));
    j.Set("mean_days", Days(static_cast<double>(sum_ms) / static_cast<double>(n)));
    j.Set("samples", n);
    out.Push(std::move(j));
  }
  return out;
}

// Completed instances of a workflow and their summed cycle times.
struct Cycle {
  std::string_view workflow;  // a name in the counters read
  int64_t completed = 0, sum_ms = 0;
};
// By workflow name: a few, kept sorted as they are added.
using Cycles = std::vector<Cycle>;

void AddCycles(Cycles* to, std::string_view workflow, int64_t completed, int64_t sum_ms) {
  auto it = std::lower_bound(to->begin(), to->end(), workflow,
                             [](const Cycle& c, std::string_view w) { return c.workflow < w; });
  if (it == to->end() || it->workflow != workflow) it = to->insert(it, Cycle{workflow, 0, 0});
  it->completed += completed;
  it->sum_ms += sum_ms;
}

// The cycle times of an RSO or a region: [{"completed","mean_days","workflow"}], written
// straight into `out`.
void AppendCycleTimes(const Cycles& cycles, std::string* out) {
  out->push_back('[');
  bool first = true;
  for (const Cycle& c : cycles) {
    if (c.completed == 0) continue;
    out->append(first ? "{\"completed\":" : ",{\"completed\":");
    first = false;
    out->append(std::to_string(c.completed));
    out->append(",\"mean_days\":");
    Json(Days(static_cast<double>(c.sum_ms) / static_cast<double>(c.completed))).DumpTo(out);
    out->append(",\"workflow\":");
    AppendJsonString(c.workflow, out);
    out->push_back('}');
  }
  out->push_back(']');
}

void AppendNullable(const std::string& text, std::string* out) {
  if (text.empty()) {
    out->append("null");
  } else {
    AppendJsonString(text, out);
  }
}

// An RSO as read (the counters keep it), with its active instances and cycle times.
struct RsoRow {
  const ReportRso* rso;
  int64_t active = 0;
  Cycles cycles;
};

// The active instances the workflow calls overdue, by id: every active one of a workflow
// whose overdue does not mean due, read whole (few: active ones are few), then the due ones of
// the others, an index range read without their data (overdue there means due).
Result<std::vector<Instance>> Overdue(ApiContext& ctx, int64_t now) {
  std::map<int64_t, Instance> candidates;
  for (const Workflow* wf : ctx.engine().registry().All()) {
    if (wf->OverdueOnlyWhenDue()) continue;
    InstanceQuery q;
    q.workflow = wf->Meta().name;
    q.active = true;
    q.limit = 1000;
    for (;;) {
      auto page = ctx.store().ListInstances(q);
      if (!page.ok()) return page.status();
      for (Instance& inst : *page) {
        q.after_id = inst.id;
        candidates.emplace(inst.id, std::move(inst));
      }
      if (static_cast<int>(page->size()) < q.limit) break;
    }
  }
  auto due = ctx.store().ListDueActiveInstances(now);
  if (!due.ok()) return due.status();
  for (Instance& inst : *due) {
    const Workflow* wf = ctx.engine().registry().Find(inst.workflow);
    if (wf != nullptr && wf->OverdueOnlyWhenDue()) candidates.emplace(inst.id, std::move(inst));
  }
  std::vector<Instance> overdue;
  for (auto& [id, inst] : candidates) {
    const Workflow* wf = ctx.engine().registry().Find(inst.workflow);
    if (inst.terminal || wf == nullptr || !wf->IsOverdue(inst, now)) continue;
    overdue.push_back(std::move(inst));
  }
  return overdue;
}

// The overdue list as JSON, each item's keys in Dump()'s (sorted) order.
void AppendOverdue(const std::vector<Instance>& overdue, std::string* out) {
  out->push_back('[');
  for (const Instance& inst : overdue) {
    out->append(out->back() == '[' ? "{\"due_at\":" : ",{\"due_at\":");
    AppendNullable(inst.due_at ? FormatTime(*inst.due_at) : "", out);
    out->append(",\"instance_id\":");
    AppendJsonString(std::to_string(inst.id), out);
    out->append(",\"rso_id\":");
    AppendNullable(inst.rso_id, out);
    out->append(",\"state\":");
    AppendJsonString(inst.state, out);
    out->append(",\"title\":");
    AppendJsonString(inst.title, out);
    out->append(",\"workflow\":");
    AppendJsonString(inst.workflow, out);
    out->push_back('}');
  }
  out->push_back(']');
}

}  // namespace

Result<Reply> ReportSummary(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"from", "to"}));
  auto period = ParsePeriod(req);
  if (!period.ok()) return period.status();
  const int64_t now = ctx.now();
  // The RSO's status is the state of its latest instance of this workflow (DESIGN 4).
  const Workflow* recognition = ctx.engine().registry().RsoStatusWorkflow();
  const std::string status_workflow = recognition ? recognition->Meta().name : "";
  const std::string recognized = recognition ? recognition->Meta().rso_status.recognized_state : "";
  auto counters = ctx.store().ReadReportCounters(*period, status_workflow);
  if (!counters.ok()) return counters.status();

  // The RSOs in the order of their ids as text (as this report always listed them), found by
  // id through a hash index: thousands of RSOs, each looked up once per counter row.
  // The rows point at the RSOs read: sorting and keeping copies of thousands of them cost
  // more than the look-ups.
  std::vector<RsoRow> rsos;
  rsos.reserve(counters->rsos.size());
  for (const ReportRso& r : counters->rsos) rsos.push_back(RsoRow{&r, 0, {}});
  std::sort(rsos.begin(), rsos.end(),
            [](const RsoRow& a, const RsoRow& b) { return a.rso->id < b.rso->id; });
  std::unordered_map<std::string_view, RsoRow*> rso_by_id;
  rso_by_id.reserve(rsos.size());
  for (RsoRow& row : rsos) rso_by_id.emplace(row.rso->id, &row);
  auto find_rso = [&](const std::string& id) -> RsoRow* {
    auto it = rso_by_id.find(id);
    return it == rso_by_id.end() ? nullptr : it->second;
  };
  for (const auto& [rso_id, count] : counters->active_by_rso) {
    if (RsoRow* rso = find_rso(rso_id)) rso->active += count;
  }
  Json by_workflow = Json::MakeArray();
  for (const ReportCount& c : counters->by_state) {  // sorted by (workflow, state)
    Json j = Json::MakeObject();
    j.Set("workflow", c.workflow);
    j.Set("state", c.state);
    j.Set("count", c.count);
    by_workflow.Push(std::move(j));
  }
  for (const ReportCycleTime& c : counters->cycle_times) {
    RsoRow* rso = find_rso(c.rso_id);
    if (rso == nullptr) continue;
    AddCycles(&rso->cycles, c.workflow, c.completed, c.sum_ms);
  }

  auto overdue = Overdue(ctx, now);
  if (!overdue.ok()) return overdue.status();

  struct RegionRow {
    int64_t rsos = 0, recognized = 0, active = 0;
    Cycles cycles;
  };
  std::map<std::string, RegionRow> regions;
  for (const RsoRow& row : rsos) {
    RegionRow& region = regions[row.rso->region];
    region.rsos += 1;
    region.recognized += !recognized.empty() && row.rso->status == recognized ? 1 : 0;
    region.active += row.active;
    for (const Cycle& c : row.cycles) AddCycles(&region.cycles, c.workflow, c.completed, c.sum_ms);
  }
  // The answer is written as text, in Dump()'s order (keys sorted), the thousands of RSOs and
  // overdue items straight into it: as a Json tree, building, dumping and freeing it cost
  // most of the summary's time at a million instances (docs/PERFORMANCE.md).
  std::string body;
  body.reserve(rsos.size() * 256 + overdue->size() * 224 + 16384);
  body.append("{\"by_region\":[");
  for (const auto& [name, row] : regions) {
    body.append(body.back() == '[' ? "{\"active_instances\":" : ",{\"active_instances\":");
    body.append(std::to_string(row.active));
    body.append(",\"cycle_times\":");
    AppendCycleTimes(row.cycles, &body);
    body.append(",\"recognized\":");
    body.append(std::to_string(row.recognized));
    body.append(",\"region\":");
    AppendJsonString(name, &body);
    body.append(",\"rsos\":");
    body.append(std::to_string(row.rsos));
    body.push_back('}');
  }
  body.push_back(']');
  body.append(",\"by_rso\":[");
  for (const RsoRow& row : rsos) {
    body.append(body.back() == '[' ? "{\"acronym\":" : ",{\"acronym\":");
    AppendJsonString(row.rso->acronym, &body);
    body.append(",\"active_instances\":");
    body.append(std::to_string(row.active));
    body.append(",\"cycle_times\":");
    AppendCycleTimes(row.cycles, &body);
    body.append(",\"region\":");
    AppendJsonString(row.rso->region, &body);
    body.append(",\"rso_id\":");
    AppendJsonString(row.rso->id, &body);
    body.append(",\"status\":");
    AppendNullable(row.rso->status, &body);
    body.push_back('}');
  }
  body.push_back(']');
  body.append(",\"by_workflow\":");
  by_workflow.DumpTo(&body);
  body.append(",\"generated_at\":");
  AppendJsonString(FormatTime(now), &body);
  body.append(",\"median_days_in_state\":");
  StateTimes(counters->state_times).DumpTo(&body);
  body.append(",\"overdue\":");
  AppendOverdue(*overdue, &body);
  body.append(",\"period\":");
  (period->filtered() ? PeriodJson(*period) : Json()).DumpTo(&body);
  body.push_back('}');
  Reply reply = JsonReply(200, Json());
  reply.text = std::move(body);  // sent as it is (api/pipeline.cpp)
  return reply;
}

}  // namespace rsoflow::api
