#include "accounts/accounts.h"

#include <cctype>

#include "accounts/auth.h"
#include "engine/clock.h"
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

bool ValidLanguage(const std::string& l) { return l == "en" || l == "ru"; }

constexpr const char* kUserRules =
    "invalid user: username is 3-64 of a-z 0-9 . _ -, display_name has 1-200 characters, role "
    "is secretariat|council|rso_liaison|auditor|admin, password has at least 12 characters, "
    "rso_id is required for rso_liaison and only for it, email is local@domain, language is en "
    "or ru; display_name holds no U+0000 and no bidirectional override or isolate";

// The fields of `u` that break the rules every stored user keeps (username and password are
// checked where they are set).
std::vector<std::string> BadProfileFields(const UserRecord& u) {
  std::vector<std::string> bad;
  if (u.display_name.empty() || u.display_name.size() > 200 ||
      HasNulOrBidiControl(u.display_name)) {
    bad.push_back("display_name");
  }
  if (!role::IsUserRole(u.role)) bad.push_back("role");
  if ((u.role == role::kLiaison) != !u.rso_id.empty()) bad.push_back("rso_id");
  if (u.affiliated_rso_ids.size() > 100) bad.push_back("affiliated_rso_ids");
  if (!u.email.empty() && !ValidEmail(u.email)) bad.push_back("email");
  if (!ValidLanguage(u.language)) bad.push_back("language");
  return bad;
}

Status CheckRsosExist(Store& store, const UserRecord& u, bool rso_id, bool affiliated) {
  if (rso_id && !u.rso_id.empty()) {
    RSOFLOW_RETURN_IF_ERROR(
        CheckRsoExists(store, u.rso_id, "rso_id", "rso_id is not a registered RSO"));
  }
  for (const auto& id : affiliated ? u.affiliated_rso_ids : std::vector<std::string>{}) {
    RSOFLOW_RETURN_IF_ERROR(CheckRsoExists(store, id, "affiliated_rso_ids",
                                           "affiliated_rso_ids is a list of registered RSO ids"));
  }
  return Status::Ok();
}

// The guards that keep the system administrable: an admin keeps its own account and role
// (an admin locked out by a slip of their own hand), and one active admin always remains.
Result<std::vector<Reason>> AdminGuards(Store& store, const UserRecord& before,
                                        const UserRecord& after, const std::string& acting) {
  std::vector<Reason> reasons;
  if (!acting.empty() && acting == before.id) {
    if (after.disabled && !before.disabled) {
      reasons.push_back(Reason{"cannot_disable_self", "an admin cannot disable their own account"});
    }
    if (before.role == role::kAdmin && after.role != role::kAdmin) {
      reasons.push_back(
          Reason{"cannot_leave_admin_role", "an admin cannot give up their own admin role"});
    }
  }
  const bool was_active_admin = before.role == role::kAdmin && !before.disabled;
  const bool is_active_admin = after.role == role::kAdmin && !after.disabled;
  if (was_active_admin && !is_active_admin) {
    auto admins = store.ActiveUsersWithRole(role::kAdmin);
    if (!admins.ok()) return admins.status();
    if (admins->size() <= 1) {
      reasons.push_back(Reason{"last_admin", "the system must keep at least one active admin"});
    }
  }
  return reasons;
}

const char* StateOf(const UserRecord& u) { return u.disabled ? "disabled" : "enabled"; }

Json Strings(const std::vector<std::string>& v) {
  Json a = Json::MakeArray();
  for (const auto& s : v) a.Push(s);
  return a;
}

Json TextOrNull(const std::string& s) { return s.empty() ? Json() : Json(s); }

// {field: {"from","to"}} for every field UpdateUser may change that differs (never a hash).
Json Changes(const UserRecord& a, const UserRecord& b) {
  Json changes = Json::MakeObject();
  auto note = [&changes](const char* field, Json from, Json to) {
    if (from == to) return;
    Json c = Json::MakeObject();
    c.Set("from", std::move(from));
    c.Set("to", std::move(to));
    changes.Set(field, std::move(c));
  };
  note("display_name", Json(a.display_name), Json(b.display_name));
  note("role", Json(a.role), Json(b.role));
  note("disabled", Json(a.disabled), Json(b.disabled));
  note("rso_id", TextOrNull(a.rso_id), TextOrNull(b.rso_id));
  note("affiliated_rso_ids", Strings(a.affiliated_rso_ids), Strings(b.affiliated_rso_ids));
  note("email", TextOrNull(a.email), TextOrNull(b.email));
  note("language", Json(a.language), Json(b.language));
  return changes;
}

// The token part of a token entry's data, after the subject user's.
Json TokenData(const UserRecord& user, const TokenRecord& t) {
  Json j = SubjectData(user);
  j.Set("token_id", t.id);
  j.Set("kind", t.kind);
  j.Set("name", t.name);
  j.Set("expires_at", t.expires_at ? Json(FormatTime(*t.expires_at)) : Json());
  j.Set("created_by", TextOrNull(t.created_by));
  return j;
}

}  // namespace

const LabelMap& ReasonLabels() {
  static const LabelMap kLabels = {
      {"cannot_disable_self",
       {"An admin cannot disable their own account",
        "Администратор не может заблокировать собственную учётную запись"}},
      {"cannot_leave_admin_role",
       {"An admin cannot give up their own admin role",
        "Администратор не может снять с себя роль администратора"}},
      {"last_admin",
       {"At least one active admin must remain",
        "Должен остаться хотя бы один активный администратор"}},
      {"current_password_wrong", {"The current password is wrong", "Текущий пароль неверен"}},
  };
  return kLabels;
}

bool ValidEmail(const std::string& e) {
  if (e.size() < 3 || e.size() > 254) return false;
  const size_t at = e.find('@');
  if (at == std::string::npos || at == 0 || e.find('@', at + 1) != std::string::npos) return false;
  const std::string domain = e.substr(at + 1);
  const size_t dot = domain.find('.');
  if (dot == std::string::npos || dot == 0 || domain.back() == '.') return false;
  for (unsigned char c : e) {
    if (c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == ',' || c == ';') return false;
  }
  return true;
}

Result<UserRecord> AddUser(Engine& engine, const NewUser& in, int pbkdf2_iterations,
                           const Acting& by) {
  UserRecord u;
  u.username = in.username;
  u.display_name = in.display_name.empty() ? in.username : in.display_name;
  u.role = in.role;
  u.rso_id = in.rso_id;
  u.affiliated_rso_ids = in.affiliated_rso_ids;
  u.email = in.email;
  u.language = in.language;
  std::vector<std::string> bad;
  if (!ValidUsername(in.username)) bad.push_back("username");
  if (in.password.size() < 12 || in.password.size() > 1024) bad.push_back("password");
  for (auto& f : BadProfileFields(u)) bad.push_back(std::move(f));
  if (!bad.empty()) return Status::InvalidRequest(kUserRules, bad);
  // The audit trail names the engine's own entries' actor "system": no user may pass for it.
  if (in.username == "system") {
    return Status::InvalidRequest("the username system is reserved", {"username"});
  }
  u.password_hash = auth::HashPassword(in.password, pbkdf2_iterations);
  u.created_at = engine.clock().NowMs();
  auto id = engine
                .SubmitJob([u, &engine, &by](Store& store) -> Result<Json> {
                  RSOFLOW_RETURN_IF_ERROR(CheckRsosExist(store, u, true, true));
                  auto r = store.InsertUser(u);
                  if (!r.ok()) return r.status();
                  UserRecord added = u;
                  added.id = *r;
                  // Every Council member added enlarges every later electorate: on the record.
                  Json data = SubjectData(added);
                  data.Set("display_name", added.display_name);
                  data.Set("rso_id", TextOrNull(added.rso_id));
                  data.Set("affiliated_rso_ids", Strings(added.affiliated_rso_ids));
                  data.Set("email", TextOrNull(added.email));
                  data.Set("language", added.language);
                  RSOFLOW_RETURN_IF_ERROR(AppendAccountEntry(engine, by, "user_created", "",
                                                             StateOf(added), std::move(data)));
                  return Json(*r);
                })
                .get();
  if (!id.ok()) return id.status();
  u.id = id->AsString();
  return u;
}

Result<UserRecord> UpdateUser(Engine& engine, const std::string& user_id, const UserPatch& p,
                              const Acting& by) {
  const std::string acting_user_id = by.actor.is_system() ? "" : by.actor.user_id;
  const int64_t now = engine.clock().NowMs();
  UserRecord updated;  // written by the job, read after it has finished
  auto done = engine
                  .SubmitJob([&](Store& store) -> Result<Json> {
                    auto before = store.GetUserForWrite(user_id);
                    if (!before.ok()) return before.status();
                    UserRecord u = *before;
                    if (p.display_name) u.display_name = *p.display_name;
                    if (p.role) u.role = *p.role;
                    if (p.disabled) u.disabled = *p.disabled;
                    if (p.rso_id) u.rso_id = *p.rso_id;
                    // A liaison moved to another role leaves its RSO behind unless told otherwise.
                    if (p.role && !p.rso_id && u.role != role::kLiaison) u.rso_id.clear();
                    if (p.affiliated_rso_ids) u.affiliated_rso_ids = *p.affiliated_rso_ids;
                    if (p.email) u.email = *p.email;
                    if (p.language) u.language = *p.language;
                    const std::vector<std::string> bad = BadProfileFields(u);
                    if (!bad.empty()) return Status::InvalidRequest(kUserRules, bad);
                    RSOFLOW_RETURN_IF_ERROR(CheckRsosExist(store, u, u.rso_id != before->rso_id,
                                                           p.affiliated_rso_ids.has_value()));
                    auto reasons = AdminGuards(store, *before, u, acting_user_id);
                    if (!reasons.ok()) return reasons.status();
                    if (!reasons->empty()) return Status::GuardFailed(*reasons);
                    Json changes = Changes(*before, u);
                    updated = u;
                    if (changes.size() == 0) return Json();  // nothing to write or audit
                    RSOFLOW_RETURN_IF_ERROR(store.UpdateUser(u));
                    Json data = SubjectData(u);
                    data.Set("changes", std::move(changes));
                    if (u.disabled && !before->disabled) {
                      auto revoked = store.RevokeTokensOfUser(u.id, now, "", false);
                      if (!revoked.ok()) return revoked.status();
                      data.Set("tokens_revoked", int64_t{*revoked});
                    }
                    RSOFLOW_RETURN_IF_ERROR(AppendAccountEntry(
                        engine, by, "user_changed", StateOf(*before), StateOf(u), std::move(data)));
                    return Json();
                  })
                  .get();
  if (!done.ok()) return done.status();
  return updated;
}

Status ChangePassword(Engine& engine, const std::string& user_id,
                      const std::string& current_password, const std::string& new_password,
                      const std::string& keep_token_id, int pbkdf2_iterations, const Acting& by) {
  if (new_password.size() < 12 || new_password.size() > 1024) {
    return Status::InvalidRequest("new_password has 12 to 1024 characters", {"new_password"});
  }
  auto user = engine.store().GetUser(user_id);
  if (!user.ok()) return user.status();
  if (!auth::VerifyPassword(current_password, user->password_hash)) {
    return Status::GuardFailed({Reason{"current_password_wrong", "the current password is wrong"}});
  }
  const std::string verified = user->password_hash;
  const std::string hash = auth::HashPassword(new_password, pbkdf2_iterations);
  const int64_t now = engine.clock().NowMs();
  const UserRecord subject = *user;
  auto done = engine
                  .SubmitJob([=, &engine, &by](Store& store) -> Result<Json> {
                    // Only over the hash just verified: a change that raced this one wins.
                    Status set = store.SetPasswordHash(user_id, verified, hash);
                    if (set.code() == Status::Code::kNotFound) {
                      return Status::GuardFailed(
                          {Reason{"current_password_wrong", "the current password is wrong"}});
                    }
                    RSOFLOW_RETURN_IF_ERROR(set);
                    auto revoked = store.RevokeTokensOfUser(user_id, now, keep_token_id, true);
                    if (!revoked.ok()) return revoked.status();
                    Json data = SubjectData(subject);
                    data.Set("sessions_revoked", int64_t{*revoked});
                    RSOFLOW_RETURN_IF_ERROR(AppendAccountEntry(engine, by, "password_changed",
                                                               StateOf(subject), StateOf(subject),
                                                               std::move(data)));
                    return Json();
                  })
                  .get();
  return done.status();
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
                               const std::string& kind, std::optional<int64_t> expires_at,
                               const Acting& by) {
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
  t.created_by = by.IssuerId();
  auto id = engine
                .SubmitJob([t, &engine, &by](Store& store) -> Result<Json> {
                  auto r = store.InsertToken(t);
                  if (!r.ok()) return r.status();
                  if (t.kind != "session") {
                    auto user = store.GetUserForWrite(t.user_id);
                    if (!user.ok()) return user.status();
                    TokenRecord issued = t;
                    issued.id = *r;
                    RSOFLOW_RETURN_IF_ERROR(AppendAccountEntry(engine, by, "token_created", "",
                                                               "live", TokenData(*user, issued)));
                  }
                  return Json(*r);
                })
                .get();
  if (!id.ok()) return id.status();
  issued.id = id->AsString();
  return issued;
}

Status RevokeToken(Engine& engine, const std::string& token_id, const Acting* audited_as) {
  const int64_t now = engine.clock().NowMs();
  return engine
      .SubmitJob([&](Store& store) -> Result<Json> {
        auto token = store.GetTokenForWrite(token_id);
        if (!token.ok()) return token.status();
        RSOFLOW_RETURN_IF_ERROR(store.RevokeToken(token_id, now));
        if (audited_as == nullptr) return Json();
        auto user = store.GetUserForWrite(token->user_id);
        if (!user.ok()) return user.status();
        RSOFLOW_RETURN_IF_ERROR(AppendAccountEntry(engine, *audited_as, "token_revoked", "live",
                                                   "revoked", TokenData(*user, *token)));
        return Json();
      })
      .get()
      .status();
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
  j.Set("email", u.email.empty() ? Json() : Json(u.email));
  j.Set("language", u.language);
  return j;
}

}  // namespace rsoflow::accounts
