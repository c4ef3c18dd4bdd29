// /api/v1/rsos: an RSO is its record (the dossier) plus the state of its recognition
// instance, of the workflow whose state is an RSO's status (WorkflowMeta::rso_status).
// Creating one starts that instance (which writes the record in the same transaction);
// editing fires the workflow's edit event on it, which the machine accepts only in the states
// where the dossier may change.
#include <cstdlib>

#include "api/handlers.h"
#include "workflows/rso_records.h"

namespace rsoflow::api {
namespace {

// The workflow whose state is an RSO's status (the recognition), or null in a build without.
const Workflow* Recognition(ApiContext& ctx) { return ctx.engine().registry().RsoStatusWorkflow(); }

Status NoRecognitionWorkflow() {
  return Status::Unavailable("no workflow of this build carries an RSO's status");
}

Result<std::optional<Instance>> RecognitionOf(ApiContext& ctx, const std::string& rso_id) {
  const Workflow* recognition = Recognition(ctx);
  if (recognition == nullptr) return std::optional<Instance>();
  return ctx.store().LatestInstanceOfRso(recognition->Meta().name, rso_id);  // the current one
}

Json FieldOrNull(const Json& data, const char* key) {
  const Json* v = data.Get(key);
  return v == nullptr ? Json() : *v;
}

// *version (when given) is the recognition instance's version, which PATCH's If-Match names.
Result<Json> RsoJson(ApiContext& ctx, const Record& rso,
                     std::optional<int64_t>* version = nullptr) {
  auto recognition = RecognitionOf(ctx, rso.id);
  if (!recognition.ok()) return recognition.status();
  if (version != nullptr && *recognition) *version = (*recognition)->version;
  Json j = Json::MakeObject();
  j.Set("id", rso.id);
  for (const char* key : {"acronym", "name", "kind", "region", "member_bodies", "website",
                          "statutes_ref", "contact_email"}) {
    j.Set(key, FieldOrNull(rso.data, key));
  }
  const std::optional<Instance>& r = *recognition;
  j.Set("status", r ? Json(r->state) : Json());
  j.Set("recognition_instance_id", r ? Json(std::to_string(r->id)) : Json());
  j.Set("resolution", r ? FieldOrNull(r->data, "resolution") : Json());
  j.Set("recognized_on", r ? FieldOrNull(r->data, "recognized_on") : Json());
  j.Set("basis", rso::LegalBasis(rso.data.GetString("kind")));
  return j;
}

// One RSO, with the ETag a PATCH of it sends back as If-Match.
Reply RsoReply(int status, Json body, const std::optional<int64_t>& version) {
  Reply reply = JsonReply(status, std::move(body));
  if (version) reply.Header("ETag", ETagOf(*version));
  return reply;
}

// The RSO if the caller may see it: a liaison sees only its own (others are "not found").
Result<Record> VisibleRso(ApiContext& ctx, const Request& req) {
  auto id = PathId(req);
  if (!id.ok()) return id.status();
  const std::string rso_id = std::to_string(*id);
  if (req.actor.role == role::kLiaison && req.actor.rso_id != rso_id) {
    return Status::NotFound("no RSO " + rso_id);
  }
  return ctx.store().GetRecord(rso::kRsoKind, rso_id);
}

}  // namespace

Result<Reply> CreateRso(ApiContext& ctx, const Request& req) {
  if (!req.body.is_object()) {
    return Status::InvalidRequest("the request body must be a JSON object", {"body"});
  }
  const Workflow* recognition = Recognition(ctx);
  if (recognition == nullptr) return NoRecognitionWorkflow();
  Command c = CommandFor(req);
  c.start_workflow = recognition->Meta().name;
  c.data = req.body;
  auto started = ctx.engine().Execute(std::move(c));
  if (!started.ok()) return started.status();
  auto record = ctx.store().GetRecord(rso::kRsoKind, started->instance.rso_id);
  if (!record.ok()) return record.status();
  std::optional<int64_t> version;
  auto body = RsoJson(ctx, *record, &version);
  if (!body.ok()) return body.status();
  return RsoReply(201, std::move(body).value(), version)
      .Header("Location", "/api/v1/rsos/" + record->id);
}

Result<Reply> ListRsos(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"region", "kind", "status", "limit", "cursor"}));
  auto limit = Limit(req);
  if (!limit.ok()) return limit.status();
  auto after = Cursor(req);
  if (!after.ok()) return after.status();
  auto filter = [&req](const char* key) {
    auto it = req.query.find(key);
    return it == req.query.end() ? std::string() : it->second;
  };
  const std::string region = filter("region"), kind = filter("kind"), status = filter("status");
  // A filter value no RSO can have is a mistake in the request, not an empty list.
  if (!region.empty() && !rso::IsRegion(region)) {
    return Status::InvalidRequest("region: unknown region '" + region + "'", {"region"});
  }
  if (!kind.empty() && kind != "regional" && kind != "sub_regional") {
    return Status::InvalidRequest("kind is regional or sub_regional", {"kind"});
  }
  const Workflow* recognition = Recognition(ctx);
  if (!status.empty() && recognition != nullptr &&
      recognition->Meta().FindState(status) == nullptr) {
    return Status::InvalidRequest(
        "status: '" + status + "' is not a state of " + recognition->Meta().name, {"status"});
  }
  // Filtered in SQL, on an index of the region or kind: a page reads its RSOs, not all of them.
  RecordFilter where{region, kind, status, recognition ? recognition->Meta().name : ""};
  int64_t after_id = *after;
  int fetch = *limit + 1;
  std::string own;  // a liaison sees only its RSO: a page of it alone, or nothing
  if (req.actor.role == role::kLiaison) {
    own = req.actor.rso_id;
    const int64_t own_id = std::atoll(own.c_str());
    if (own_id <= after_id) return JsonReply(200, Page(Json::MakeArray(), std::nullopt));
    after_id = own_id - 1;
    fetch = 1;
  }
  auto page = ctx.store().ListRecordsWhere(rso::kRsoKind, where, after_id, fetch);
  if (!page.ok()) return page.status();
  if (!own.empty() && !page->empty() && page->front().id != own) page->clear();
  std::optional<int64_t> next;
  if (static_cast<int>(page->size()) > *limit) {
    page->pop_back();
    next = std::stoll(page->back().id);
  }
  Json items = Json::MakeArray();
  for (const Record& rso : *page) {
    auto j = RsoJson(ctx, rso);
    if (!j.ok()) return j.status();
    items.Push(std::move(j).value());
  }
  return JsonReply(200, Page(std::move(items), next));
}

Result<Reply> GetRso(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  auto rso = VisibleRso(ctx, req);
  if (!rso.ok()) return rso.status();
  std::optional<int64_t> version;
  auto body = RsoJson(ctx, *rso, &version);
  if (!body.ok()) return body.status();
  return RsoReply(200, std::move(body).value(), version);
}

Result<Reply> PatchRso(ApiContext& ctx, const Request& req) {
  if (!req.body.is_object()) {
    return Status::InvalidRequest("the request body must be a JSON object", {"body"});
  }
  auto rso = VisibleRso(ctx, req);
  if (!rso.ok()) return rso.status();
  auto recognition = RecognitionOf(ctx, rso->id);
  if (!recognition.ok()) return recognition.status();
  if (!*recognition) return Status::NotFound("RSO " + rso->id + " has no recognition");
  const Workflow* workflow = Recognition(ctx);
  if (workflow == nullptr) return NoRecognitionWorkflow();
  auto expected = ParseIfMatch(req.if_match);
  if (!expected.ok()) return expected.status();
  Command c = CommandFor(req);
  c.instance_id = (*recognition)->id;
  c.event = workflow->Meta().rso_status.edit_event;
  c.data = req.body;
  c.expected_version = *expected;
  auto edited = ctx.engine().Execute(std::move(c));
  if (!edited.ok()) {
    if (edited.status().code() == Status::Code::kInvalidTransition) {
      return Status::Locked("the dossier is frozen while the recognition is " +
                            edited.status().state() + "; it can be edited in draft or returned");
    }
    return edited.status();
  }
  auto record = ctx.store().GetRecord(rso::kRsoKind, rso->id);
  if (!record.ok()) return record.status();
  std::optional<int64_t> version;
  auto body = RsoJson(ctx, *record, &version);
  if (!body.ok()) return body.status();
  return RsoReply(200, std::move(body).value(), version);
}

}  // namespace rsoflow::api
