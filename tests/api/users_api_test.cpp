// Users: administration (PATCH /users/{id}, GET /users/{id}/tokens) and self-service
// (PATCH /me, POST /me/password), API.md "Users (administration and self-service)".
#include "accounts/accounts.h"
#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

class UsersApiTest : public ApiTest {
 protected:
  std::string Login(const Persona& who, const std::string& password = "") {
    Json body = Json::MakeObject();
    body.Set("username", who.username);
    body.Set("password", password.empty() ? who.password : password);
    HttpReply r = Post("/api/v1/auth/login", "", body);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().GetString("token") : "";
  }
  HttpReply PatchUser(const Persona& who, const std::string& body_json,
                      const std::string& token = "") {
    return Patch("/api/v1/users/" + who.user_id, token.empty() ? admin.token : token, J(body_json));
  }
  std::vector<std::string> Fields(const HttpReply& r) {
    std::vector<std::string> out;
    if (const Json* f = r.json().Get("fields"); f != nullptr && f->is_array()) {
      for (const Json& x : f->AsArray()) out.push_back(x.AsString());
    }
    return out;
  }
  std::vector<std::string> Codes(const HttpReply& r) {
    std::vector<std::string> out;
    if (const Json* f = r.json().Get("reason_codes"); f != nullptr && f->is_array()) {
      for (const Json& x : f->AsArray()) out.push_back(x.AsString());
    }
    return out;
  }
};

TEST_F(UsersApiTest, AUserHasNoEmailAndSpeaksEnglishUntilToldOtherwise) {
  HttpReply me = Get("/api/v1/me", auditor.token);
  ASSERT_EQ(me.status, 200);
  EXPECT_TRUE(me.json().Get("email")->is_null());
  EXPECT_EQ(me.json().GetString("language"), "en");
  HttpReply created = Post("/api/v1/users", admin.token,
                           J(R"({"username":"olga.k","display_name":"Olga","role":"council",
                                 "password":"a long password 1","email":"olga@example.org",
                                 "language":"ru"})"));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json().GetString("email"), "olga@example.org");
  EXPECT_EQ(created.json().GetString("language"), "ru");
  HttpReply bad = Post("/api/v1/users", admin.token,
                       J(R"({"username":"ivan.k","display_name":"Ivan","role":"council",
                             "password":"a long password 1","email":"not an address",
                             "language":"fr"})"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Fields(bad), (std::vector<std::string>{"email", "language"}));
  bad = Post("/api/v1/users", admin.token,
             J(R"({"username":"ivan.k","display_name":"Ivan","role":"council",
                   "password":"a long password 1","language":""})"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Fields(bad), std::vector<std::string>{"language"});
}

TEST_F(UsersApiTest, AnAdminChangesAUsersProfileRoleAndScope) {
  const std::string rso = CreateRso("ARSO");
  HttpReply r = PatchUser(council, R"({"display_name":"Lena M.","email":"lena@example.org",
                                       "language":"ru","affiliated_rso_ids":[")" +
                                       rso + R"("]})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().GetString("display_name"), "Lena M.");
  EXPECT_EQ(r.json().GetString("email"), "lena@example.org");
  EXPECT_EQ(r.json().GetString("language"), "ru");
  EXPECT_EQ(r.json().Get("affiliated_rso_ids")->AsArray().size(), 1u);
  EXPECT_EQ(r.json().GetString("role"), "council");
  // A liaison needs its RSO; leaving the role drops it.
  r = PatchUser(council, R"({"role":"rso_liaison","rso_id":")" + rso + R"("})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().GetString("rso_id"), rso);
  // The user's cached token answers with the new role at once.
  EXPECT_EQ(Get("/api/v1/me", council.token).json().GetString("role"), "rso_liaison");
  EXPECT_EQ(Get("/api/v1/rsos/" + rso, council.token).status, 200);
  r = PatchUser(council, R"({"role":"auditor","email":null})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json().Get("rso_id")->is_null());
  EXPECT_TRUE(r.json().Get("email")->is_null());
  EXPECT_EQ(Get("/api/v1/me", council.token).json().GetString("role"), "auditor");
  EXPECT_EQ(Get("/api/v1/audit", council.token).status, 200);  // an auditor's right, at once
}

TEST_F(UsersApiTest, APatchIsValidatedLikeANewUser) {
  const std::string rso = CreateRso("BRSO");
  struct Case {
    std::string body;
    std::vector<std::string> fields;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"role":"superuser"})", {"role"}},
           {R"({"role":"rso_liaison"})", {"rso_id"}},
           {R"({"rso_id":")" + rso + R"("})", {"rso_id"}},
           {R"({"role":"rso_liaison","rso_id":"999"})", {"rso_id"}},
           {R"({"affiliated_rso_ids":["999"]})", {"affiliated_rso_ids"}},
           {R"({"affiliated_rso_ids":"x"})", {"affiliated_rso_ids"}},
           {R"({"email":"lena.example.org"})", {"email"}},
           {R"({"email":"lena@localhost"})", {"email"}},
           {R"({"language":"fr"})", {"language"}},
           {R"({"language":null})", {"language"}},
           {R"({"display_name":""})", {"display_name"}},
           {R"({"disabled":"yes"})", {"disabled"}},
           {R"({"username":"x","password":"y","display_name":"ok"})", {"password", "username"}},
       }) {
    HttpReply r = PatchUser(council, c.body);
    EXPECT_EQ(r.status, 400) << c.body << " " << r.body;
    EXPECT_EQ(r.code(), "invalid_request") << c.body;
    EXPECT_EQ(Fields(r), c.fields) << c.body;
  }
  // Nothing was changed by any of them.
  HttpReply me = Get("/api/v1/me", council.token);
  EXPECT_EQ(me.json().GetString("role"), "council");
  EXPECT_EQ(me.json().GetString("display_name"), council.username);
  EXPECT_EQ(PatchUser(council, "[1]").status, 400);
  EXPECT_EQ(Patch("/api/v1/users/999", admin.token, J(R"({"display_name":"x"})")).status, 404);
  EXPECT_EQ(Patch("/api/v1/users/abc", admin.token, J(R"({"display_name":"x"})")).status, 404);
}

// The token was used once before (so the Authenticator holds it in its cache): the request
// right after the PATCH must still answer 401.
TEST_F(UsersApiTest, DisablingAUserStopsItsCachedTokenAndSessionsAtOnce) {
  const std::string session = Login(auditor);
  ASSERT_EQ(Get("/api/v1/me", auditor.token).status, 200);
  ASSERT_EQ(Get("/api/v1/me", session).status, 200);
  HttpReply r = PatchUser(auditor, R"({"disabled":true})");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json().GetBool("disabled"));
  for (const std::string& token : {auditor.token, session}) {
    HttpReply next = Get("/api/v1/me", token);
    EXPECT_EQ(next.status, 401);
    EXPECT_EQ(next.code(), "unauthenticated");
  }
  Json login = J(R"({"username":"audit.omar","password":"password-of-audit.omar"})");
  EXPECT_EQ(Post("/api/v1/auth/login", "", login).status, 401);
  // The tokens were revoked, not only refused: enabling the user again does not revive them.
  ASSERT_EQ(PatchUser(auditor, R"({"disabled":false})").status, 200);
  EXPECT_EQ(Get("/api/v1/me", auditor.token).status, 401);
  EXPECT_EQ(Get("/api/v1/me", session).status, 401);
  EXPECT_EQ(Get("/api/v1/me", Login(auditor)).status, 200);
}

TEST_F(UsersApiTest, AnAdminCannotDisableOrDemoteThemselves) {
  for (const char* body : {R"({"disabled":true})", R"({"role":"auditor"})"}) {
    HttpReply r = PatchUser(admin, body);
    EXPECT_EQ(r.status, 422) << body;
    EXPECT_EQ(r.code(), "guard_failed");
    ASSERT_EQ(Codes(r).size(), r.json().Get("reasons")->size());
    EXPECT_EQ(Codes(r)[0], std::string(body).find("disabled") != std::string::npos
                               ? "cannot_disable_self"
                               : "cannot_leave_admin_role");
  }
  EXPECT_EQ(Get("/api/v1/me", admin.token).json().GetString("role"), "admin");
  // Another admin may; and its own profile an admin changes freely.
  Persona second = AddUser("admin.two", "admin");
  EXPECT_EQ(PatchUser(second, R"({"disabled":true})").status, 200);
  EXPECT_EQ(PatchUser(admin, R"({"language":"ru"})").status, 200);
}

// The command line acts as the system: there the rule is that one active admin remains.
TEST_F(UsersApiTest, TheLastActiveAdminCannotBeDisabledOrDemoted) {
  accounts::UserPatch off;
  off.disabled = true;
  auto r = accounts::UpdateUser(runtime->engine(), admin.user_id, off, accounts::Acting{});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().reason_codes(), std::vector<std::string>{"last_admin"});
  Persona second = AddUser("admin.two", "admin");
  EXPECT_TRUE(accounts::UpdateUser(runtime->engine(), admin.user_id, off, accounts::Acting{}).ok());
  accounts::UserPatch demote;
  demote.role = "auditor";
  r = accounts::UpdateUser(runtime->engine(), second.user_id, demote, accounts::Acting{});
  EXPECT_EQ(r.status().reason_codes(), std::vector<std::string>{"last_admin"});
}

TEST_F(UsersApiTest, AnAdminListsAUsersLiveTokensWithoutSecrets) {
  const std::string session = Login(auditor);
  std::string second_id;
  IssueToken(auditor, &second_id);
  ASSERT_EQ(Delete("/api/v1/tokens/" + second_id, admin.token).status, 204);
  HttpReply r = Get("/api/v1/users/" + auditor.user_id + "/tokens", admin.token);
  ASSERT_EQ(r.status, 200) << r.body;
  const Json::Array& items = r.json().Get("items")->AsArray();
  ASSERT_EQ(items.size(), 2u) << r.body;  // the revoked one is left out
  EXPECT_EQ(items[0].GetString("id"), auditor.token_id);
  EXPECT_EQ(items[0].GetString("kind"), "api");
  EXPECT_EQ(items[0].GetString("name"), "test");
  EXPECT_TRUE(items[0].Get("expires_at")->is_null());
  EXPECT_EQ(items[1].GetString("kind"), "session");
  EXPECT_EQ(items[1].GetString("created_at"), FormatTime(kT0));
  EXPECT_EQ(items[1].GetString("expires_at"), FormatTime(kT0 + 8 * 3600 * 1000));
  for (const Json& t : items) {
    EXPECT_EQ(t.size(), 7u) << t.Dump();
    EXPECT_TRUE(t.Has("last_used_at"));
    EXPECT_EQ(t.GetString("created_by"), auditor.user_id);  // its own: the fixture's, a login
  }
  EXPECT_EQ(r.body.find(auditor.token), std::string::npos);
  EXPECT_EQ(r.body.find(session), std::string::npos);
  EXPECT_EQ(Get("/api/v1/users/999/tokens", admin.token).status, 404);
  EXPECT_EQ(Get("/api/v1/users/" + auditor.user_id + "/tokens?limit=5", admin.token).status, 400);
}

TEST_F(UsersApiTest, AnyUserChangesTheirOwnNameEmailAndLanguageOnly) {
  HttpReply r = Patch("/api/v1/me", council.token,
                      J(R"({"display_name":"Lena","email":"lena@example.org","language":"ru"})"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().GetString("language"), "ru");
  EXPECT_EQ(Get("/api/v1/me", council.token).json().GetString("email"), "lena@example.org");
  r = Patch("/api/v1/me", council.token, J(R"({"role":"admin","disabled":false})"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Fields(r), (std::vector<std::string>{"disabled", "role"}));
  r = Patch("/api/v1/me", council.token, J(R"({"language":"de"})"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Fields(r), std::vector<std::string>{"language"});
  EXPECT_EQ(Get("/api/v1/me", council.token).json().GetString("role"), "council");
}

TEST_F(UsersApiTest, AChangedPasswordEndsEveryOtherSessionButNotApiTokens) {
  const std::string mine = Login(sec), other = Login(sec);
  ASSERT_EQ(Get("/api/v1/me", other).status, 200);  // cached
  HttpReply r = Post("/api/v1/me/password", mine, J(R"({"current_password":"password-of-sec.amina",
                           "new_password":"a brand new password"})"));
  ASSERT_EQ(r.status, 204) << r.body;
  EXPECT_EQ(Get("/api/v1/me", mine).status, 200);
  EXPECT_EQ(Get("/api/v1/me", other).status, 401);
  EXPECT_EQ(Get("/api/v1/me", sec.token).status, 200);
  Json old_login = J(R"({"username":"sec.amina","password":"password-of-sec.amina"})");
  EXPECT_EQ(Post("/api/v1/auth/login", "", old_login).status, 401);
  EXPECT_FALSE(Login(sec, "a brand new password").empty());
}

TEST_F(UsersApiTest, APasswordChangeNeedsTheCurrentPasswordAndALongNewOne) {
  HttpReply r =
      Post("/api/v1/me/password", sec.token,
           J(R"({"current_password":"not my password","new_password":"a brand new one"})"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.code(), "guard_failed");
  EXPECT_EQ(r.json().Get("reasons")->AsArray()[0].AsString(), "the current password is wrong");
  EXPECT_EQ(Codes(r), std::vector<std::string>{"current_password_wrong"});
  r = Post("/api/v1/me/password", sec.token,
           J(R"({"current_password":"password-of-sec.amina","new_password":"short"})"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Fields(r), std::vector<std::string>{"new_password"});
  r = Post("/api/v1/me/password", sec.token, J(R"({"new_password":"a brand new one"})"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Fields(r), std::vector<std::string>{"current_password"});
  r = Post("/api/v1/me/password", sec.token,
           J(R"({"current_password":1,"new_password":"x","x":1})"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Fields(r), std::vector<std::string>{"x"});
  EXPECT_FALSE(Login(sec).empty());  // unchanged
}

}  // namespace
}  // namespace rsoflow::testing
