// /api/v1/resolutions: the Council's register of resolutions (API.md 1.1, DESIGN 8). Ballots
// record themselves in it as they close; the secretariat records here the decisions the Council
// takes in session, with the Council's own number. A liaison reads its RSO's only.
#include <optional>
#include <string>

#include "api/handlers.h"
#include "workflows/council_ballot/session_decision.h"

namespace rsoflow::api {
namespace {

Result<Resolution> ParseDecision(const Json& body) {
  RSOFLOW_RETURN_IF_ERROR(
      CheckFields(body, {"number", "decided_on", "title", "outcome", "subject_instance_id"},
                  {"number", "decided_on", "title", "outcome"}));
  Resolution r;
  auto number = StringField(body, "number", 16, true);
  if (!number.ok()) return number.status();
  const auto parsed = council_ballot::ParseResolutionNumber(*number);
  if (!parsed) {
    return Status::InvalidRequest("number must be a Council resolution number N/YYYY", {"number"});
  }
  r.number = *number;
  r.ordinal = parsed->first;
  r.year = parsed->second;
  auto decided_on = StringField(body, "decided_on", 10, true);
  if (!decided_on.ok()) return decided_on.status();
  if (!ParseDate(*decided_on)) {
    return Status::InvalidRequest("decided_on must be a calendar date YYYY-MM-DD", {"decided_on"});
  }
  if (std::stoi(decided_on->substr(0, 4)) != r.year) {
    return Status::InvalidRequest("the Council numbers its resolutions by year: " + r.number +
                                      " cannot be decided on " + *decided_on,
                                  {"number", "decided_on"});
  }
  r.decided_on = *decided_on;
  auto title = StringField(body, "title", 500, true);
  if (!title.ok()) return title.status();
  if (title->empty()) return Status::InvalidRequest("title must not be empty", {"title"});
  r.title = *title;
  auto outcome = StringField(body, "outcome", 16, true);
  if (!outcome.ok()) return outcome.status();
  if (*outcome != "approved" && *outcome != "rejected") {
    return Status::InvalidRequest("outcome must be approved or rejected", {"outcome"});
  }
  r.outcome = *outcome;
  auto subject = StringField(body, "subject_instance_id", 20, false);
  if (!subject.ok()) return subject.status();
  if (!subject->empty()) {
    int64_t id = 0;
    for (char ch : *subject) {
      if (ch < '0' || ch > '9')
        return Status::InvalidRequest("subject_instance_id must be an instance id",
                                      {"subject_instance_id"});
      id = id * 10 + (ch - '0');
    }
    if (id < 1) {
      return Status::InvalidRequest("subject_instance_id must be an instance id",
                                    {"subject_instance_id"});
    }
    r.subject_instance_id = id;
  }
  return r;
}

}  // namespace

Result<Reply> ListResolutions(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"year", "limit", "cursor"}));
  auto limit = Limit(req);
  if (!limit.ok()) return limit.status();
  auto before = Cursor(req);
  if (!before.ok()) return before.status();
  ResolutionQuery q;
  if (auto it = req.query.find("year"); it != req.query.end()) {
    const std::string& y = it->second;
    const bool digits = y.size() == 4 && y.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) return Status::InvalidRequest("year must be a year YYYY", {"year"});
    q.year = std::stoi(y);
  }
  // A liaison reads the decisions about its own RSO only (none when it has no RSO).
  if (req.actor.role == role::kLiaison) {
    if (req.actor.rso_id.empty()) return JsonReply(200, Page(Json::MakeArray(), std::nullopt));
    q.rso_id = req.actor.rso_id;
  }
  q.before_key = *before;
  q.limit = *limit + 1;
  auto rows = ctx.store().ListResolutions(q);
  if (!rows.ok()) return rows.status();
  Json items = Json::MakeArray();
  std::optional<int64_t> next;
  for (const Resolution& r : *rows) {
    if (static_cast<int>(items.size()) == *limit) break;
    items.Push(council_ballot::ResolutionJson(r));
    next = ResolutionKey(r.year, r.ordinal);
  }
  if (static_cast<int>(rows->size()) <= *limit) next.reset();
  return JsonReply(200, Page(std::move(items), next));
}

Result<Reply> RecordResolution(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {}));
  auto decision = ParseDecision(req.body);
  if (!decision.ok()) return decision.status();
  Engine& engine = ctx.engine();
  const Command by = CommandFor(req);
  auto recorded = engine
                      .SubmitJob([&engine, r = *decision, by](Store& store) -> Result<Json> {
                        auto done = council_ballot::RecordSessionDecision(engine, store, r, by);
                        if (!done.ok()) return done.status();
                        return council_ballot::ResolutionJson(*done);
                      })
                      .get();
  if (!recorded.ok()) return recorded.status();
  return JsonReply(201, std::move(*recorded));
}

}  // namespace rsoflow::api
