// GET /api/v1/inbox: what waits for the caller. Every active instance in the caller's scope
// on which the caller may fire an event now that is not merely standing (WorkflowMeta::
// standing_events: cancel, suspend, extend... are always at hand but expect nothing) unless
// the instance is overdue, minus the ballots the caller has nothing left to do on (voted,
// recused, excluded or outside the electorate); overdue first, then by due time, then oldest
// first. Keyset pages (?limit, ?cursor) over that order: the cursor holds the sort key of the
// last item listed. Every page reads the active instances only, so its cost does not grow
// with the closed ones.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "api/handlers.h"
#include "api/runtime.h"

namespace rsoflow::api {
namespace {

bool Lists(const Json& data, const char* key, const std::string& user_id) {
  const Json* list = data.Get(key);
  if (list == nullptr || !list->is_array()) return false;
  return std::any_of(list->AsArray().begin(), list->AsArray().end(),
                     [&](const Json& v) { return v.is_string() && v.AsString() == user_id; });
}

// A Council reviewer's ballot is done once they voted or recused, or if they cannot vote.
bool BallotDoneFor(const Instance& inst, const Actor& viewer) {
  if (inst.workflow != "council_ballot" || viewer.role != role::kCouncil) return false;
  const Json* votes = inst.data.Get("votes");
  const bool voted = votes != nullptr && votes->Has(viewer.user_id);
  return voted || Lists(inst.data, "recused", viewer.user_id) ||
         Lists(inst.data, "excluded", viewer.user_id) ||
         !Lists(inst.data, "electorate", viewer.user_id);
}

struct Waiting {
  Instance instance;
  std::vector<std::string> allowed_events;
  bool overdue = false;

  // Ascending: overdue first, then the earliest due (none last), then the oldest.
  std::vector<int64_t> SortKey() const {
    return {overdue ? 0 : 1, instance.due_at.value_or(INT64_MAX), instance.id};
  }
};

}  // namespace

Result<Reply> Inbox(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"limit", "cursor"}));
  auto limit = Limit(req);
  if (!limit.ok()) return limit.status();
  auto after = CursorKey(req, 3);
  if (!after.ok()) return after.status();
  const Engine& engine = ctx.engine();
  const int64_t now = ctx.now();
  std::vector<Waiting> waiting;
  InstanceQuery q;
  q.active = true;
  q.limit = 1000;
  if (req.actor.role == role::kLiaison) q.rso_id = req.actor.rso_id;
  for (;;) {
    auto page = ctx.store().ListInstances(q);
    if (!page.ok()) return page.status();
    for (Instance& inst : *page) {
      q.after_id = inst.id;
      auto allowed = engine.AllowedEvents(inst, req.actor);
      const Workflow* wf = engine.registry().Find(inst.workflow);
      if (wf == nullptr || allowed.empty() || BallotDoneFor(inst, req.actor)) continue;
      const bool overdue = wf->IsOverdue(inst, now);
      // Standing events alone (cancel, suspend, extend...) do not make an instance wait for
      // the caller, unless it is overdue (e.g. a ballot past its deadline still open).
      if (!overdue && !wf->Meta().AwaitsAny(allowed)) continue;
      Waiting w{std::move(inst), std::move(allowed), overdue};
      if (*after && w.SortKey() <= **after) continue;
      waiting.push_back(std::move(w));
    }
    if (static_cast<int>(page->size()) < q.limit) break;
  }
  std::sort(waiting.begin(), waiting.end(),
            [](const Waiting& a, const Waiting& b) { return a.SortKey() < b.SortKey(); });
  std::optional<std::vector<int64_t>> next;
  if (static_cast<int>(waiting.size()) > *limit) {
    waiting.erase(waiting.begin() + *limit, waiting.end());
    next = waiting.back().SortKey();
  }
  Json items = Json::MakeArray();
  for (const Waiting& w : waiting) {
    Json j = Json::MakeObject();
    j.Set("instance_id", std::to_string(w.instance.id));
    j.Set("workflow", w.instance.workflow);
    j.Set("state", w.instance.state);
    j.Set("title", w.instance.title);
    j.Set("rso_id", w.instance.rso_id.empty() ? Json() : Json(w.instance.rso_id));
    j.Set("due_at", TimeOrNull(w.instance.due_at));
    j.Set("overdue", w.overdue);
    j.Set("allowed_events", StringArray(w.allowed_events));
    items.Push(std::move(j));
  }
  Json body = Json::MakeObject();
  body.Set("items", std::move(items));
  body.Set("next_cursor", next ? Json(EncodeCursorKey(*next)) : Json());
  return JsonReply(200, std::move(body));
}

}  // namespace rsoflow::api
