#include "api/accounts.h"

#include <cctype>

#include "api/auth.h"
#include "engine/text.h"
#include "workflows/rso_records.h"

namespace rsoflow::accounts {
namespace {

bool ValidUsername(const std::string& u) {
  if (u.size() < 3 || u.size() > 64) return false;
  for (char c : u) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// OK when `id` is a registered RSO, InvalidRequest with `message` naming `field` when not.
Status CheckRsoExists(Store& store, const std::string& id, const char* field, const char* message) {
  auto record = store.GetRecordForWrite(rso::kRsoKind, id);
  if (record.status().code() == Status::Code::kNotFound) {
    return Status::InvalidRequest(message, {field});
  }
  return record.status();
}

}  // namespace

Result<UserRecord> AddUser(Engine& engine, const NewUser& in, int pbkdf2_iterations) {
  std::vector<std::string> bad;
  if (!ValidUsername(in.username)) bad.push_back("username");
  if (!role::IsUserRole(in.role)) bad.push_back("role");
  if (in.password.size() < 12 || in.password.size() > 1024) bad.push_back("password");
  if (in.display_name.size() > 200 || HasNulOrBidiControl(in.display_name)) {
    bad.push_back("display_name");
  }
  if ((in.role == role::kLiaison) != !in.rso_id.empty()) bad.push_back("rso_id");
  if (!bad.empty()) {
    return Status::InvalidRequest(
        "invalid user: username is 3-64 of a-z 0-9 . _ -, role is secretariat|council|"
        "rso_liaison|auditor|admin, password has at least 12 characters, display_name has at "
        "most 200 and no U+0000 or bidirectional override or isolate, rso_id is required "
        "for rso_liaison and only for it",
        bad);
  }
  // The audit trail names the engine's own entries' actor "system": no user may pass for it.
  if (in.username == "system") {
    return Status::InvalidRequest("the username system is reserved", {"username"});
  }
  UserRecord u;
  u.username = in.username;
  u.display_name = in.display_name.empty() ? in.username : in.display_name;
  u.role = in.role;
  u.rso_id = in.rso_id;
  u.affiliated_rso_ids = in.affiliated_rso_ids;
  u.password_hash = auth::HashPassword(in.password, pbkdf2_iterations);
  u.created_at = engine.clock().NowMs();
  auto id = engine
                .SubmitJob([u](Store& store) -> Result<Json> {
                  if (!u.rso_id.empty()) {
                    RSOFLOW_RETURN_IF_ERROR(CheckRsoExists(store, u.rso_id, "rso_id",
                                                           "rso_id is not a registered RSO"));
                  }
                  for (const auto& id : u.affiliated_rso_ids) {
                    RSOFLOW_RETURN_IF_ERROR(
                        CheckRsoExists(store, id, "affiliated_rso_ids",
                                       "affiliated_rso_ids is a list of registered RSO ids"));
                  }
                  auto r = store.InsertUser(u);
                  if (!r.ok()) return r.status();
                  return Json(*r);
                })
                .get();
  if (!id.ok()) return id.status();
  u.id = id->AsString();
  return u;
}

Result<std::string> ResolveRso(Store& store, const std::string& ref, const std::string& field) {
  const Status unknown = Status::InvalidRequest(
      field + ": no registered RSO has the acronym or id '" + ref + "'", {field});
  if (ref.empty()) return unknown;
  bool digits = true;
  std::string acronym;
  for (char c : ref) {
    digits = digits && std::isdigit(static_cast<unsigned char>(c));
    acronym += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  if (digits) {
    auto record = store.GetRecord(rso::kRsoKind, ref);
    if (record.ok()) return record->id;
    if (record.status().code() != Status::Code::kNotFound) return record.status();
  }
  // RSO records are keyed by their (upper-case) acronym; there are a few dozen at most.
  int64_t after = 0;
  for (;;) {
    auto page = store.ListRecords(rso::kRsoKind, after, 200);
    if (!page.ok()) return page.status();
    for (const Record& r : *page) {
      if (r.key == acronym) return r.id;
    }
    if (page->size() < 200) return unknown;
    after = std::stoll(page->back().id);
  }
}

Result<IssuedToken> IssueToken(Engine& engine, const std::string& user_id, const std::string& name,
                               const std::string& kind, std::optional<int64_t> expires_at) {
  IssuedToken issued;
  issued.token = auth::NewToken();
  issued.expires_at = expires_at;
  TokenRecord t;
  t.user_id = user_id;
  t.name = name.empty() ? kind : name;
  t.token_hash = auth::TokenHash(issued.token);
  t.kind = kind;
  t.created_at = engine.clock().NowMs();
  t.expires_at = expires_at;
  auto id = engine
                .SubmitJob([t](Store& store) -> Result<Json> {
                  auto r = store.InsertToken(t);
                  if (!r.ok()) return r.status();
                  return Json(*r);
                })
                .get();
  if (!id.ok()) return id.status();
  issued.id = id->AsString();
  return issued;
}

Json UserToJson(const UserRecord& u) {
  Json j = Json::MakeObject();
  j.Set("id", u.id);
  j.Set("username", u.username);
  j.Set("display_name", u.display_name);
  j.Set("role", u.role);
  j.Set("rso_id", u.rso_id.empty() ? Json() : Json(u.rso_id));
  Json aff = Json::MakeArray();
  for (const auto& a : u.affiliated_rso_ids) aff.Push(a);
  j.Set("affiliated_rso_ids", std::move(aff));
  j.Set("disabled", u.disabled);
  return j;
}

}  // namespace rsoflow::accounts
