#include "api/accounts.h"

#include "api/auth.h"

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

}  // namespace

Result<UserRecord> AddUser(Engine& engine, const NewUser& in, int pbkdf2_iterations) {
  std::vector<std::string> bad;
  if (!ValidUsername(in.username)) bad.push_back("username");
  if (!role::IsUserRole(in.role)) bad.push_back("role");
  if (in.password.size() < 12 || in.password.size() > 1024) bad.push_back("password");
  if (in.display_name.size() > 200) bad.push_back("display_name");
  if ((in.role == role::kLiaison) != !in.rso_id.empty()) bad.push_back("rso_id");
  if (!bad.empty()) {
    return Status::InvalidRequest(
        "invalid user: username is 3-64 of a-z 0-9 . _ -, role is secretariat|council|"
        "rso_liaison|auditor|admin, password has at least 12 characters, rso_id is required "
        "for rso_liaison and only for it",
        bad);
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
                  auto r = store.InsertUser(u);
                  if (!r.ok()) return r.status();
                  return Json(*r);
                })
                .get();
  if (!id.ok()) return id.status();
  u.id = id->AsString();
  return u;
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
