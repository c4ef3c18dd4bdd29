// GET /api/v1/reports/summary: workload and cycle times - instances by workflow and state,
// RSOs and active work by region and by RSO, overdue items, and the median days an instance
// spends in each state (from the audit trail: the time between entering and leaving it).
#include <algorithm>
#include <map>

#include "api/handlers.h"
#include "engine/clock.h"
#include "workflows/rso_records.h"

namespace rsoflow::api {
namespace {

double Median(std::vector<int64_t>& v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  const double ms = n % 2 ? static_cast<double>(v[n / 2])
                          : (static_cast<double>(v[n / 2 - 1]) + static_cast<double>(v[n / 2])) / 2;
  return ms / static_cast<double>(kMsPerDay);
}

struct RsoRow {
  std::string acronym, region, status;
  int64_t active = 0;
};

}  // namespace

Result<Reply> ReportSummary(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  const int64_t now = ctx.now();
  Json body = Json::MakeObject();
  body.Set("generated_at", FormatTime(now));

  auto counts = ctx.store().CountInstancesByState();
  if (!counts.ok()) return counts.status();
  Json by_state = Json::MakeArray();
  for (const StateCount& c : *counts) {
    Json j = Json::MakeObject();
    j.Set("workflow", c.workflow);
    j.Set("state", c.state);
    j.Set("count", c.count);
    by_state.Push(std::move(j));
  }
  body.Set("by_workflow", std::move(by_state));

  std::map<std::string, RsoRow> rsos;  // by id
  for (int64_t after = 0;;) {
    auto page = ctx.store().ListRecords(rso::kRsoKind, after, 500);
    if (!page.ok()) return page.status();
    for (const Record& r : *page) {
      after = std::stoll(r.id);
      rsos[r.id] = RsoRow{r.data.GetString("acronym"), r.data.GetString("region"), "", 0};
    }
    if (page->size() < 500) break;
  }
  // The RSO's status is the state of its latest instance of this workflow (DESIGN 4).
  const Workflow* recognition = ctx.engine().registry().RsoStatusWorkflow();
  const std::string status_workflow = recognition ? recognition->Meta().name : "";
  const std::string recognized = recognition ? recognition->Meta().rso_status.recognized_state : "";
  Json overdue = Json::MakeArray();
  InstanceQuery q;
  q.limit = 1000;
  for (;;) {
    auto page = ctx.store().ListInstances(q);
    if (!page.ok()) return page.status();
    for (const Instance& inst : *page) {
      q.after_id = inst.id;
      auto rso = rsos.find(inst.rso_id);
      if (!status_workflow.empty() && inst.workflow == status_workflow && rso != rsos.end()) {
        rso->second.status = inst.state;
      }
      if (inst.terminal) continue;
      if (rso != rsos.end()) rso->second.active += 1;
      const Workflow* wf = ctx.engine().registry().Find(inst.workflow);
      if (wf != nullptr && wf->IsOverdue(inst, now)) {
        Json j = Json::MakeObject();
        j.Set("instance_id", std::to_string(inst.id));
        j.Set("workflow", inst.workflow);
        j.Set("state", inst.state);
        j.Set("title", inst.title);
        j.Set("rso_id", inst.rso_id.empty() ? Json() : Json(inst.rso_id));
        j.Set("due_at", TimeOrNull(inst.due_at));
        overdue.Push(std::move(j));
      }
    }
    if (static_cast<int>(page->size()) < q.limit) break;
  }
  body.Set("overdue", std::move(overdue));

  struct RegionRow {
    int64_t rsos = 0, recognized = 0, active = 0;
  };
  std::map<std::string, RegionRow> regions;
  Json by_rso = Json::MakeArray();
  for (const auto& [id, row] : rsos) {
    RegionRow& region = regions[row.region];
    region.rsos += 1;
    region.recognized += !recognized.empty() && row.status == recognized ? 1 : 0;
    region.active += row.active;
    Json j = Json::MakeObject();
    j.Set("rso_id", id);
    j.Set("acronym", row.acronym);
    j.Set("region", row.region);
    j.Set("status", row.status.empty() ? Json() : Json(row.status));
    j.Set("active_instances", row.active);
    by_rso.Push(std::move(j));
  }
  Json by_region = Json::MakeArray();
  for (const auto& [name, row] : regions) {
    Json j = Json::MakeObject();
    j.Set("region", name);
    j.Set("rsos", row.rsos);
    j.Set("recognized", row.recognized);
    j.Set("active_instances", row.active);
    by_region.Push(std::move(j));
  }
  body.Set("by_region", std::move(by_region));
  body.Set("by_rso", std::move(by_rso));

  // Time in a state: from the entry that entered it to the next entry that left it.
  std::map<int64_t, std::pair<std::string, int64_t>> entered;  // instance -> (state, at)
  std::map<std::pair<std::string, std::string>, std::vector<int64_t>> spent;
  RSOFLOW_RETURN_IF_ERROR(ctx.store().ForEachAudit(0, [&](const AuditEntry& e) {
    if (e.instance_id == 0) return true;  // about users and tokens (accounts/account_audit.h)
    auto it = entered.find(e.instance_id);
    if (it != entered.end() && it->second.first != e.to_state) {
      spent[{e.workflow, it->second.first}].push_back(e.at - it->second.second);
    }
    if (it == entered.end() || it->second.first != e.to_state) {
      entered[e.instance_id] = {e.to_state, e.at};
    }
    return true;
  }));
  Json medians = Json::MakeArray();
  for (auto& [key, durations] : spent) {
    Json j = Json::MakeObject();
    j.Set("workflow", key.first);
    j.Set("state", key.second);
    j.Set("median_days", Median(durations));
    j.Set("samples", static_cast<int64_t>(durations.size()));
    medians.Push(std::move(j));
  }
  body.Set("median_days_in_state", std::move(medians));
  return JsonReply(200, std::move(body));
}

}  // namespace rsoflow::api
