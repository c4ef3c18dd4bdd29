// /api/v1/audit: the audit trail - filtered list, chain verification, and a streamed export
// (JSON lines with every hashed field, so the chain can be re-verified offline, or CSV).
// The list reads as the engine's scoped reads give it (each workflow's visibility rules, such as
// ballot secrecy: engine/scoped_reads.h); the export is the auditor's and holds every entry as
// written.
#include <cstdlib>
#include <ostream>

#include "api/handlers.h"
#include "api/views.h"
#include "engine/audit_walk.h"
#include "engine/clock.h"

namespace rsoflow::api {
namespace {

Result<int64_t> NonNegative(const Request& req, const char* key) {
  auto it = req.query.find(key);
  if (it == req.query.end()) return int64_t{0};
  const std::string& s = it->second;
  if (s.empty() || s.size() > 18 || s.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidRequest(std::string(key) + " must be a non-negative integer", {key});
  }
  return static_cast<int64_t>(std::stoll(s));
}

// RFC 4180 quoting; a cell that a spreadsheet would run as a formula gets a leading quote
// (OWASP's list: = + - @, and a tab or carriage return before one).
std::string CsvCell(const std::string& v) {
  std::string cell = v;
  if (!cell.empty() && std::string("=+-@\t\r").find(cell[0]) != std::string::npos) {
    cell = "'" + cell;
  }
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void WriteCsvRow(std::ostream& out, const AuditEntry& e) {
  const std::string cells[] = {std::to_string(e.seq),
                               FormatTime(e.at),
                               std::to_string(e.instance_id),
                               e.workflow,
                               std::to_string(e.workflow_version),
                               e.event,
                               e.from_state,
                               e.to_state,
                               e.actor_user_id,
                               e.actor_username,
                               e.actor_role,
                               e.on_behalf_of,
                               e.comment,
                               e.data.Dump(),
                               e.request_id,
                               e.idempotency_key,
                               e.client_ip,
                               e.salt,
                               e.token_id,
                               e.token_issued_by,
                               e.prev_hash,
                               e.hash};
  bool first = true;
  for (const std::string& c : cells) {
    out << (first ? "" : ",") << CsvCell(c);
    first = false;
  }
  out << "\r\n";
}

}  // namespace

Result<Reply> ListAudit(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(
      CheckQuery(req, {"after_seq", "instance_id", "actor", "limit", "cursor"}));
  auto limit = Limit(req);
  if (!limit.ok()) return limit.status();
  auto cursor = Cursor(req);
  if (!cursor.ok()) return cursor.status();
  auto after_seq = NonNegative(req, "after_seq");
  if (!after_seq.ok()) return after_seq.status();
  auto instance_id = NonNegative(req, "instance_id");
  if (!instance_id.ok()) return instance_id.status();
  AuditQuery q;
  q.after_seq = std::max(*after_seq, *cursor);
  q.instance_id = *instance_id;
  if (auto it = req.query.find("actor"); it != req.query.end()) q.actor = it->second;
  q.limit = *limit;
  auto entries = ctx.engine().reads().ListAudit(q, req.actor);
  if (!entries.ok()) return entries.status();
  Json items = Json::MakeArray();
  for (const AuditEntryView& v : entries->items) items.Push(AuditEntryJson(v));
  return JsonReply(200, Page(std::move(items), entries->next));
}

Result<Reply> VerifyAudit(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"head_seq", "head_hash", "documents", "from"}));
  const auto from = req.query.find("from");
  if (from != req.query.end() && from->second != "genesis" && from->second != "checkpoint") {
    return Status::InvalidRequest("from is genesis (the whole chain) or checkpoint", {"from"});
  }
  auto documents = WantsDocumentCheck(req);
  if (!documents.ok()) return documents.status();
  AuditWalkOptions walk;
  // An earlier export of the head (both or neither): the server's own count cannot show a tail
  // cut off while it was down, or rewritten with its hashes recomputed.
  const auto seq = req.query.find("head_seq"), hash = req.query.find("head_hash");
  if ((seq == req.query.end()) != (hash == req.query.end())) {
    return Status::InvalidRequest("head_seq and head_hash go together",
                                  {seq == req.query.end() ? "head_seq" : "head_hash"});
  }
  if (seq != req.query.end()) {
    auto exported = ParseAuditHead(seq->second, hash->second);
    if (!exported) {
      return Status::InvalidRequest(
          "head_seq is a seq of at least 1 and head_hash its 64 lower-case hex digits",
          {"head_seq", "head_hash"});
    }
    walk.expected_head = *exported;
  }
  // A routine check starts after the head the last full verification found good; a full one
  // (the default) from the first entry. An earlier head at or before the checkpoint can only be
  // checked by a full walk.
  AuditHead start;
  if (from != req.query.end() && from->second == "checkpoint") {
    auto checkpoint = ctx.store().GetAuditCheckpoint();
    if (!checkpoint.ok()) return checkpoint.status();
    const bool before = seq != req.query.end() && *checkpoint &&
                        std::atoll(seq->second.c_str()) <= (*checkpoint)->seq;
    if (*checkpoint && !before) start = **checkpoint;
  }
  walk.start = start;
  // Read before walking: every entry up to this seq is committed, so the walk must reach it.
  const int64_t written = ctx.engine().Stats().audit_head_seq;
  // Pages read and hashed on a thread per core (engine/audit_walk.h).
  auto walked = VerifyStoredAudit(ctx.store(), walk);
  if (!walked.ok()) return walked.status();
  AuditVerifyResult r = std::move(walked).value();
  if (r.ok && r.head.seq < written) {
    r.ok = false;
    r.first_bad_seq = r.head.seq + 1;
    r.problem = "the chain ends at seq " + std::to_string(r.head.seq) +
                " but the server has written up to " + std::to_string(written);
  }
  Json head = Json::MakeObject();
  head.Set("seq", r.head.seq);
  head.Set("hash", r.head.hash);
  Json body = Json::MakeObject();
  body.Set("ok", r.ok);
  body.Set("entries", r.entries);
  body.Set("head", std::move(head));
  body.Set("first_bad_seq", r.first_bad_seq ? Json(*r.first_bad_seq) : Json());
  body.Set("problem", r.problem.empty() ? Json() : Json(r.problem));
  body.Set("from_seq", start.seq);
  if (r.ok && r.head.seq > start.seq) {
    // The chain is good up to r.head: the next routine check starts there (a checkpoint only
    // moves forward, so a slower concurrent verification cannot move it back).
    const AuditHead verified = r.head;
    const int64_t at = ctx.now();
    auto saved = ctx.engine()
                     .SubmitJob([verified, at](Store& s) -> Result<Json> {
                       RSOFLOW_RETURN_IF_ERROR(s.SaveAuditCheckpoint(verified, at));
                       return Json();
                     })
                     .get();
    if (!saved.ok()) return saved.status();
  }
  if (*documents) RSOFLOW_RETURN_IF_ERROR(AddDocumentCheck(ctx.store(), &body));
  return JsonReply(200, std::move(body));
}

Result<Reply> ExportAudit(ApiContext& ctx, const Request& req) {
  RSOFLOW_RETURN_IF_ERROR(CheckQuery(req, {"format"}));
  auto it = req.query.find("format");
  const std::string format = it == req.query.end() ? "jsonl" : it->second;
  if (format != "jsonl" && format != "csv") {
    return Status::InvalidRequest("format is jsonl or csv", {"format"});
  }
  Store* store = &ctx.store();
  Reply r;
  r.content_type = format == "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson";
  r.Header("Content-Disposition",
           std::string("attachment; filename=\"rsoflow-audit.") + format + "\"");
  const bool csv = format == "csv";
  r.stream = [store, csv](std::ostream& out) -> Status {
    if (csv) {
      out << "seq,at,instance_id,workflow,workflow_version,event,from_state,to_state,"
             "actor_user_id,actor_username,actor_role,on_behalf_of,comment,data,request_id,"
             "idempotency_key,client_ip,salt,token_id,token_issued_by,prev_hash,hash\r\n";
    }
    Status st = store->ForEachAudit(0, [&](const AuditEntry& e) {
      if (csv) {
        WriteCsvRow(out, e);
      } else {
        out << audit::ToJson(e).Dump() << "\n";
      }
      return static_cast<bool>(out);
    });
    if (st.ok() && !out) return Status::Unavailable("the client went away");
    return st;
  };
  return r;
}

}  // namespace rsoflow::api
