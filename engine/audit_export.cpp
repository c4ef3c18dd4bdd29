#include "engine/audit_export.h"

#include "engine/clock.h"

namespace rsoflow::audit {
namespace {

Status Bad(const char* field, const std::string& why) {
  return Status::InvalidRequest(std::string(field) + " " + why, {field});
}

// A string field; null reads as "" where the export writes "" as null.
Status Text(const Json& j, const char* field, bool nullable, std::string* out) {
  const Json* v = j.Get(field);
  if (v == nullptr) return Bad(field, "is missing");
  if (v->is_null() && nullable) return Status::Ok();
  if (!v->is_string())
    return Bad(field, nullable ? "must be a string or null" : "must be a string");
  *out = v->AsString();
  return Status::Ok();
}

Status Integer(const Json& j, const char* field, int64_t* out) {
  const Json* v = j.Get(field);
  if (v == nullptr || !v->is_int()) return Bad(field, "must be an integer");
  *out = v->AsInt();
  return Status::Ok();
}

}  // namespace

Result<AuditEntry> EntryFromJson(const Json& j) {
  if (!j.is_object()) return Status::InvalidRequest("an audit entry must be a JSON object");
  AuditEntry e;
  int64_t version = 0;
  std::string at;
  for (Status s :
       {Integer(j, "seq", &e.seq), Integer(j, "instance_id", &e.instance_id),
        Integer(j, "workflow_version", &version), Text(j, "at", false, &at),
        Text(j, "workflow", false, &e.workflow), Text(j, "event", false, &e.event),
        Text(j, "from_state", true, &e.from_state), Text(j, "to_state", false, &e.to_state),
        Text(j, "actor_user_id", true, &e.actor_user_id),
        Text(j, "actor_username", false, &e.actor_username),
        Text(j, "actor_role", false, &e.actor_role), Text(j, "on_behalf_of", true, &e.on_behalf_of),
        Text(j, "comment", true, &e.comment), Text(j, "request_id", true, &e.request_id),
        Text(j, "idempotency_key", true, &e.idempotency_key),
        Text(j, "client_ip", true, &e.client_ip), Text(j, "prev_hash", false, &e.prev_hash),
        Text(j, "hash", false, &e.hash)}) {
    if (!s.ok()) return s;
  }
  if (version < 1 || version > 1000000) return Bad("workflow_version", "must be from 1 to 1000000");
  e.workflow_version = static_cast<int>(version);
  const auto ms = ParseTime(at);
  // The hash covers the time as the export wrote it; another spelling of it is another entry.
  if (!ms || FormatTime(*ms) != at) return Bad("at", "must be a time as the export writes it");
  e.at = *ms;
  const Json* data = j.Get("data");
  if (data == nullptr || !data->is_object()) return Bad("data", "must be an object");
  e.data = *data;
  // The fields written only when present (audit.h): salt since 0005, the token and its
  // issuer since 0006. Present, each is a non-empty string: an empty one is written as absent.
  size_t fields = 19;
  for (auto [field, target] : {std::pair{"salt", &e.salt}, std::pair{"token_id", &e.token_id},
                               std::pair{"token_issued_by", &e.token_issued_by}}) {
    if (!j.Has(field)) continue;
    RSOFLOW_RETURN_IF_ERROR(Text(j, field, false, target));
    if (target->empty()) return Bad(field, "must not be empty when present");
    ++fields;
  }
  if (j.size() != fields) {
    return Status::InvalidRequest(
        "an audit entry has exactly 19 fields, and salt, token_id and "
        "token_issued_by when they are not empty");
  }
  return e;
}

AuditVerifyResult VerifyExport(const std::string& jsonl, const std::optional<AuditHead>& head) {
  AuditVerifier verifier;
  if (head) verifier.ExpectHead(*head);
  int64_t expected_seq = 1;
  size_t from = 0;
  while (from < jsonl.size()) {
    size_t end = jsonl.find('\n', from);
    if (end == std::string::npos) end = jsonl.size();
    const std::string line = jsonl.substr(from, end - from);
    from = end + 1;
    if (line.empty()) continue;
    JsonParseError error;
    auto json = ParseJson(line, &error);
    Result<AuditEntry> entry =
        json ? EntryFromJson(*json)
             : Result<AuditEntry>(Status::InvalidRequest("not JSON: " + error.message));
    if (!entry.ok()) {
      AuditVerifyResult r = verifier.Finish();
      if (!r.ok) return r;
      r.ok = false;
      r.first_bad_seq = expected_seq;
      r.problem = "the line of entry " + std::to_string(expected_seq) +
                  " is not an audit entry: " + entry.status().message();
      return r;
    }
    if (!verifier.Add(*entry)) break;
    expected_seq = entry->seq + 1;
  }
  return verifier.Finish();
}

}  // namespace rsoflow::audit
