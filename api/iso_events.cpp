// /api/v1/iso-events: ISO events are domain records (kind "iso_event"), validated by
// rso::ValidateIsoEvent and written through the engine's writer. A liaison sees the events
// its RSO takes part in.
#include "api/handlers.h"
#include "workflows/rso_records.h"

namespace rsoflow::api {
namespace {

Json IsoEventJson(const Record& r) {
  Json j = r.data;
  j.Set("id", r.id);
  if (!j.Has("location")) j.Set("location", Json());
  return j;
}

bool MayView(const Request& req, const Record& event) {
  if (req.actor.role != role::kLiaison) return true;
  const Json* rsos = event.data.Get("rso_ids");
  if (rsos == nullptr || !rsos->is_array()) return false;
  for (const Json& id : rsos->AsArray()) {
    if (id.is_string() && id.AsString() == req.actor.rso_id) return true;
  }
  return false;
}

}  // namespace

Result<Reply> CreateIsoEvent(ApiContext& ctx, const Request& req) {
  auto event = rso::ValidateIsoEvent(req.body);
  if (!event.ok()) return event.status();
  Record record;
  record.kind = rso::kIsoEventKind;
  record.key = rso::IsoEventKey(*event);
  record.data = *event;
  record.created_at = record.updated_at = ctx.now();
  auto id =
      ctx.engine()
          .SubmitJob([record](Store& store) -> Result<Json> {
            std::vector<std::string> unknown;
            for (const Json& rso_id : record.data.Get("rso_ids")->AsArray()) {
              auto rso = store.GetRecordForWrite(rso::kRsoKind, rso_id.AsString());
              if (rso.ok()) continue;
              if (rso.status().code() != Status::Code::kNotFound) return rso.status();
              unknown.push_back(rso_id.AsString());
            }
            if (!unknown.empty()) {
              std::string names;
              for (const auto& u : unknown) names += (names.empty() ? "" : ", ") + u;
              return Status::InvalidRequest("rso_ids names unknown RSOs: " + names, {"rso_ids"});
            }
            auto inserted = store.InsertRecord(record);
            if (!inserted.ok()) {
              if (inserted.status().code() == Status::Code::kDuplicate) {
                return Status::Duplicate("an ISO event '" + record.key + "' is already registered");
              }
              return inserted.status();
            }
            return Json(*inserted);
          })
          .get();
  if (!id.ok()) return id.status();
  record.id = id->AsString();
  return JsonReply(201, IsoEventJson(record)).Header("Location", "/api/v1/iso-events/" + record.id);
}

Result<Reply> ListIsoEvents(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"limit", "cursor"}));
  auto limit = Limit(req);
  if (!limit.ok()) return limit.status();
  auto after = Cursor(req);
  if (!after.ok()) return after.status();
  Json items = Json::MakeArray();
  std::optional<int64_t> next;
  int64_t cursor = *after;
  for (bool more = true; more && !next;) {
    auto page = ctx.store().ListRecords(rso::kIsoEventKind, cursor, 200);
    if (!page.ok()) return page.status();
    more = page->size() == 200;
    for (const Record& r : *page) {
      cursor = std::stoll(r.id);
      if (!MayView(req, r)) continue;
      if (static_cast<int>(items.size()) == *limit) {
        next = std::stoll(items.AsArray().back().GetString("id"));
        break;
      }
      items.Push(IsoEventJson(r));
    }
  }
  return JsonReply(200, Page(std::move(items), next));
}

Result<Reply> GetIsoEvent(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  // A missing event and one outside a liaison's scope answer the same words (DESIGN 5).
  const Status hidden = Status::NotFound("no ISO event " + std::to_string(*id));
  auto r = ctx.store().GetRecord(rso::kIsoEventKind, std::to_string(*id));
  if (!r.ok()) return r.status().code() == Status::Code::kNotFound ? hidden : r.status();
  if (!MayView(req, *r)) return hidden;
  return JsonReply(200, IsoEventJson(*r));
}

}  // namespace rsoflow::api
