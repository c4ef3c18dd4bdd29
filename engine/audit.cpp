#include "engine/audit.h"

#include <charconv>

#include "engine/clock.h"
#include "engine/sha256.h"

namespace rsoflow {
namespace audit {
namespace {

Json NullIfEmpty(const std::string& s) { return s.empty() ? Json() : Json(s); }

Json Body(const AuditEntry& e) {
  Json j = Json::MakeObject();
  j.Set("seq", e.seq);
  j.Set("at", FormatTime(e.at));
  j.Set("instance_id", e.instance_id);
  j.Set("workflow", e.workflow);
  j.Set("workflow_version", e.workflow_version);
  j.Set("event", e.event);
  j.Set("from_state", NullIfEmpty(e.from_state));
  j.Set("to_state", e.to_state);
  j.Set("actor_user_id", NullIfEmpty(e.actor_user_id));
  j.Set("actor_username", e.actor_username);
  j.Set("actor_role", e.actor_role);
  j.Set("on_behalf_of", NullIfEmpty(e.on_behalf_of));
  j.Set("comment", NullIfEmpty(e.comment));
  j.Set("data", e.data);
  j.Set("request_id", NullIfEmpty(e.request_id));
  j.Set("idempotency_key", NullIfEmpty(e.idempotency_key));
  j.Set("client_ip", NullIfEmpty(e.client_ip));
  if (!e.salt.empty()) j.Set("salt", e.salt);
  if (!e.token_id.empty()) j.Set("token_id", e.token_id);
  if (!e.token_issued_by.empty()) j.Set("token_issued_by", e.token_issued_by);
  return j;
}

}  // namespace

// Written field by field in the sorted key order, byte for byte what Body(e).Dump() gives
// (a test holds them equal), without building the object first.
void AppendCanonicalBody(const AuditEntry& e, std::string* to) {
  std::string& out = *to;
  bool first = true;
  auto key = [&out, &first](const char* k) {
    out.push_back(first ? '{' : ',');
    first = false;
    out.push_back('"');
    out.append(k);
    out.append("\":");
  };
  auto text = [&out](const std::string& s) { AppendJsonString(s, &out); };
  auto text_or_null = [&out](const std::string& s) {
    if (s.empty())
      out.append("null");
    else
      AppendJsonString(s, &out);
  };
  auto integer = [&out](int64_t v) {
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
  };
  key("actor_role");
  text(e.actor_role);
  key("actor_user_id");
  text_or_null(e.actor_user_id);
  key("actor_username");
  text(e.actor_username);
  key("at");
  text(FormatTime(e.at));
  key("client_ip");
  text_or_null(e.client_ip);
  key("comment");
  text_or_null(e.comment);
  key("data");
  e.data.DumpTo(&out);
  key("event");
  text(e.event);
  key("from_state");
  text_or_null(e.from_state);
  key("idempotency_key");
  text_or_null(e.idempotency_key);
  key("instance_id");
  integer(e.instance_id);
  key("on_behalf_of");
  text_or_null(e.on_behalf_of);
  key("request_id");
  text_or_null(e.request_id);
  if (!e.salt.empty()) {
    key("salt");
    text(e.salt);
  }
  key("seq");
  integer(e.seq);
  key("to_state");
  text(e.to_state);
  if (!e.token_id.empty()) {
    key("token_id");
    text(e.token_id);
  }
  if (!e.token_issued_by.empty()) {
    key("token_issued_by");
    text(e.token_issued_by);
  }
  key("workflow");
  text(e.workflow);
  key("workflow_version");
  integer(e.workflow_version);
  out.push_back('}');
}

std::string CanonicalBody(const AuditEntry& e) {
  std::string out;
  out.reserve(512);
  AppendCanonicalBody(e, &out);
  return out;
}

std::string ComputeHash(const AuditEntry& e) { return Sha256Hex(e.prev_hash + CanonicalBody(e)); }

bool HashMatches(const AuditEntry& e, std::string* buffer) {
  buffer->assign(e.prev_hash);
  AppendCanonicalBody(e, buffer);
  char hex[64];
  Sha256HexTo(buffer->data(), buffer->size(), hex);
  return e.hash.size() == sizeof hex && e.hash.compare(0, sizeof hex, hex, sizeof hex) == 0;
}

Json ToJson(const AuditEntry& e) {
  Json j = Body(e);
  j.Set("prev_hash", e.prev_hash);
  j.Set("hash", e.hash);
  return j;
}

}  // namespace audit

bool AuditVerifier::Add(const AuditEntry& e) { return Check(e, nullptr); }

bool AuditVerifier::AddHashed(const AuditEntry& e, bool hash_matches) {
  return Check(e, &hash_matches);
}

bool AuditVerifier::Check(const AuditEntry& e, const bool* hash_matches) {
  if (!result_.ok) return false;
  auto fail = [&](std::string why) {
    result_.ok = false;
    result_.first_bad_seq = e.seq;
    result_.problem = std::move(why);
    return false;
  };
  const int64_t expected_seq = result_.head.seq + 1;
  if (e.seq != expected_seq) {
    // A gap names the first missing seq; a duplicate or step back names the entry itself.
    if (e.seq > expected_seq) {
      result_.ok = false;
      result_.first_bad_seq = expected_seq;
      result_.problem = "entry " + std::to_string(expected_seq) + " is missing";
      return false;
    }
    // A seq below 1 names no entry a reader could look up: the entry expected there is named.
    if (e.seq < 1) {
      result_.ok = false;
      result_.first_bad_seq = expected_seq;
      result_.problem = "entry " + std::to_string(expected_seq) + " has seq " +
                        std::to_string(e.seq) + ", not a positive number";
      return false;
    }
    return fail("seq " + std::to_string(e.seq) + " is out of order");
  }
  if (e.prev_hash != result_.head.hash) return fail("prev_hash does not link to the entry before");
  const bool matches = hash_matches != nullptr ? *hash_matches : audit::ComputeHash(e) == e.hash;
  if (!matches) return fail("hash does not match the entry's content");
  if (expected_ && e.seq == expected_->seq && e.hash != expected_->hash) {
    return fail("hash differs from the exported head's (" + expected_->hash +
                "): this entry, or one before it, was rewritten since the export");
  }
  result_.head = AuditHead{e.seq, e.hash};
  result_.entries += 1;
  return true;
}

AuditVerifyResult AuditVerifier::Finish() const {
  AuditVerifyResult r = result_;
  if (r.ok && expected_ && r.head.seq < expected_->seq) {
    r.ok = false;
    r.first_bad_seq = r.head.seq + 1;
    r.problem = "the chain ends at seq " + std::to_string(r.head.seq) +
                ", before the exported head's seq " + std::to_string(expected_->seq) +
                ": entries were removed since the export";
  }
  return r;
}

std::optional<AuditHead> ParseAuditHead(const std::string& seq, const std::string& hash) {
  if (seq.empty() || seq.size() > 18 || hash.size() != 64) return std::nullopt;
  for (char ch : seq) {
    if (ch < '0' || ch > '9') return std::nullopt;
  }
  for (char ch : hash) {
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return std::nullopt;
  }
  const int64_t n = std::stoll(seq);
  if (n < 1) return std::nullopt;
  return AuditHead{n, hash};
}

}  // namespace rsoflow
