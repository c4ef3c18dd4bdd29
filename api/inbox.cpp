// GET /api/v1/inbox: what waits for the caller, as the engine reads it (ScopedReads::Inbox:
// every active instance in the caller's scope on which it may fire an event now that is not
// merely standing, unless the instance is overdue, minus those its workflow counts as done for
// the caller, such as a ballot it voted on); overdue first, then by due time, then oldest
// first. Keyset pages (?limit, ?cursor) over that order: the cursor holds the sort key of the
// last item listed. A delegate's inbox also lists what waits for the users it acts for under a
// mandate today, each with "on_behalf_of" (engine/mandate_inbox.h).
#include "api/handlers.h"
#include "engine/mandate_inbox.h"

namespace rsoflow::api {

Result<Reply> Inbox(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"limit", "cursor"}));
  auto limit = Limit(req);
  if (!limit.ok()) return limit.status();
  auto after = CursorKey(req, 4);
  if (!after.ok()) return after.status();
  auto page = mandates::InboxWithMandates(ctx.engine().reads(), ctx.store(), req.actor, ctx.now(),
                                          *after, *limit);
  if (!page.ok()) return page.status();
  Json items = Json::MakeArray();
  for (const mandates::InboxEntry& entry : page->items) {
    const InboxItem& w = entry.item;
    Json j = Json::MakeObject();
    j.Set("instance_id", std::to_string(w.instance.id));
    j.Set("workflow", w.instance.workflow);
    j.Set("state", w.instance.state);
    j.Set("title", w.instance.title);
    j.Set("rso_id", w.instance.rso_id.empty() ? Json() : Json(w.instance.rso_id));
    j.Set("due_at", TimeOrNull(w.instance.due_at));
    j.Set("overdue", w.overdue);
    j.Set("allowed_events", StringArray(w.allowed_events));
    j.Set("on_behalf_of", entry.on_behalf_of.empty() ? Json() : Json(entry.on_behalf_of));
    items.Push(std::move(j));
  }
  Json body = Json::MakeObject();
  body.Set("items", std::move(items));
  body.Set("next_cursor", page->next ? Json(EncodeCursorKey(*page->next)) : Json());
  return JsonReply(200, std::move(body));
}

}  // namespace rsoflow::api
