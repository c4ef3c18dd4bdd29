// Login, sessions (8 h absolute, 30 min idle, driven by the FakeClock), logout, revocation,
// login throttling, users and tokens.
#include <chrono>

#include "accounts/accounts.h"
#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

using std::chrono::minutes;

class AuthApiTest : public ApiTest {
 protected:
  HttpReply Login(const std::string& username, const std::string& password) {
    Json body = Json::MakeObject();
    body.Set("username", username);
    body.Set("password", password);
    return Post("/api/v1/auth/login", "", body);
  }
};

TEST_F(AuthApiTest, LoginReturnsASessionTokenThatExpiresInEightHours) {
  HttpReply r = Login(sec.username, sec.password);
  ASSERT_EQ(r.status, 200) << r.body;
  Json body = r.json();
  EXPECT_EQ(body.GetString("expires_at"), FormatTime(kT0 + 8 * 3600 * 1000));
  EXPECT_EQ(body.Get("user")->GetString("username"), "sec.amina");
  EXPECT_FALSE(body.Get("user")->Has("password_hash"));
  HttpReply me = Get("/api/v1/me", body.GetString("token"));
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(me.json().GetString("role"), "secretariat");
}

// A password hashed at a lower cost than the server's (an older setting, or `user add` with
// another RSOFLOW_PBKDF2_ITERATIONS) is hashed again at the server's on a successful login,
// so a raised setting reaches every account that logs in and from then on its username takes
// as long to refuse as an unknown one (whose decoy is hashed at the server's cost).
TEST_F(AuthApiTest, ALoginRehashesAPasswordStoredAtALowerCostNeverAHigherOne) {
  accounts::NewUser u;
  u.username = "old.hash";
  u.display_name = "Old Hash";
  u.role = "secretariat";
  u.password = "password-of-old-hash";
  ASSERT_TRUE(
      accounts::AddUser(runtime->engine(), u, kTestPbkdf2Iterations / 2, accounts::Acting{}).ok());
  auto hash_of = [&](const std::string& name) {
    return QueryFile(db_path, "SELECT password_hash FROM users WHERE username = '" + name + "'");
  };
  const std::string server_cost = "$pbkdf2-sha256$i=" + std::to_string(kTestPbkdf2Iterations) + "$";
  const std::string before = hash_of("old.hash");
  ASSERT_EQ(before.rfind("$pbkdf2-sha256$i=" + std::to_string(kTestPbkdf2Iterations / 2) + "$", 0),
            0u);
  EXPECT_EQ(Login("old.hash", "wrong-password").status, 401);
  EXPECT_EQ(hash_of("old.hash"), before);  // only a verified password is hashed again
  // The session is issued through the writer after the rehash, so it is stored by now.
  ASSERT_EQ(Login("old.hash", u.password).status, 200);
  const std::string after = hash_of("old.hash");
  EXPECT_EQ(after.rfind(server_cost, 0), 0u) << after;
  EXPECT_EQ(Login("old.hash", u.password).status, 200);
  EXPECT_EQ(Login("old.hash", "wrong-password").status, 401);
  // A hash at the server's cost is left as it is, and so is one at a higher cost: a server
  // started with a low setting never weakens what is stored.
  const std::string sec_hash = hash_of(sec.username);
  ASSERT_EQ(Login(sec.username, sec.password).status, 200);
  EXPECT_EQ(hash_of(sec.username), sec_hash);
  u.username = "strong.hash";
  ASSERT_TRUE(
      accounts::AddUser(runtime->engine(), u, kTestPbkdf2Iterations * 2, accounts::Acting{}).ok());
  const std::string strong = hash_of("strong.hash");
  ASSERT_EQ(Login("strong.hash", u.password).status, 200);
  EXPECT_EQ(hash_of("strong.hash"), strong);
}

TEST_F(AuthApiTest, WrongPasswordOrUnknownUserIsUnauthenticated) {
  for (auto [user, password] : {std::pair{sec.username, std::string("wrong password!!")},
                                std::pair{std::string("nobody.here"), sec.password}}) {
    HttpReply r = Login(user, password);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.code(), "unauthenticated");
    EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer");
  }
}

TEST_F(AuthApiTest, MissingUnknownOrGarbageTokenIsUnauthenticatedWithChallenge) {
  for (const std::string& token :
       std::vector<std::string>{"", "not-a-token", std::string(43, 'A')}) {
    HttpReply r = Get("/api/v1/me", token);
    EXPECT_EQ(r.status, 401) << token;
    EXPECT_EQ(r.header("WWW-Authenticate"), "Bearer");
    EXPECT_EQ(r.code(), "unauthenticated");
  }
}

TEST_F(AuthApiTest, RepeatedFailuresForAUsernameAreThrottledWithRetryAfter) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(Login(sec.username, "wrong password!!").status, 401);
  HttpReply r = Login(sec.username, sec.password);  // even the right password waits
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.code(), "rate_limited");
  EXPECT_EQ(r.header("Retry-After"), "900");
  clock.Advance(minutes(10));
  EXPECT_EQ(Login(sec.username, sec.password).header("Retry-After"), "300");
  // Another user from the same address is not locked out by these five failures.
  EXPECT_EQ(Login(council.username, council.password).status, 200);
  clock.Advance(minutes(5));
  EXPECT_EQ(Login(sec.username, sec.password).status, 200);
}

// Issue 17, finding 5: five wrong passwords from one address (127.0.0.1) lock that address out
// of the user, not the user out of everywhere: the right password from another address
// (127.0.0.2, loopback too) logs in at once.
TEST_F(AuthApiTest, ALockOutFromOneAddressDoesNotBlockTheUserFromAnother) {
  auto login_from = [this](const std::string& address, const std::string& password) {
    HttpCall c;
    c.method = "POST";
    c.path = "/api/v1/auth/login";
    Json body = Json::MakeObject();
    body.Set("username", council.username);
    body.Set("password", password);
    c.body = body.Dump();
    c.has_body = true;
    c.source_address = address;
    return Send(c);
  };
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(login_from("127.0.0.1", "wrong password!!").status, 401);
  }
  EXPECT_EQ(login_from("127.0.0.1", council.password).status, 429);
  HttpReply elsewhere = login_from("127.0.0.2", council.password);
  EXPECT_EQ(elsewhere.status, 200) << elsewhere.body;
  EXPECT_EQ(login_from("127.0.0.1", council.password).status, 429);  // still locked there
}

// ... while a guess spread over addresses meets the username's back-off everywhere: past ten
// failures in a day, each attempt waits a growing delay after the last failure (Retry-After),
// however new its address.
TEST_F(AuthApiTest, AGuessSpreadOverAddressesIsSlowedForTheUsernameEverywhere) {
  auto login_from = [this](const std::string& address, const std::string& password) {
    HttpCall c;
    c.method = "POST";
    c.path = "/api/v1/auth/login";
    Json body = Json::MakeObject();
    body.Set("username", council.username);
    body.Set("password", password);
    c.body = body.Dump();
    c.has_body = true;
    c.source_address = address;
    return Send(c);
  };
  for (int i = 0; i < 10; ++i) {
    const std::string address = "127.0.1." + std::to_string(i / 4 + 1);  // 4 from each
    ASSERT_EQ(login_from(address, "wrong password!!").status, 401) << i;
  }
  HttpReply r = login_from("127.0.2.1", council.password);
  EXPECT_EQ(r.status, 429);
  EXPECT_EQ(r.header("Retry-After"), "1");
  clock.Advance(std::chrono::seconds(1));
  ASSERT_EQ(login_from("127.0.2.2", "wrong password!!").status, 401);
  EXPECT_EQ(login_from("127.0.2.3", council.password).header("Retry-After"), "2");
  clock.Advance(std::chrono::seconds(2));
  EXPECT_EQ(login_from("127.0.2.3", council.password).status, 200);
}

TEST_F(AuthApiTest, RepeatedFailuresFromOneAddressAreThrottledAcrossUsernames) {
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(Login("guess" + std::to_string(i), "wrong password!!").status, 401);
  }
  HttpReply r = Login(auditor.username, auditor.password);
  EXPECT_EQ(r.status, 429);
  EXPECT_FALSE(r.header("Retry-After").empty());
}

TEST_F(AuthApiTest, SessionExpiresAfterThirtyMinutesIdle) {
  const std::string token = Login(sec.username, sec.password).json().GetString("token");
  clock.Advance(minutes(29));
  EXPECT_EQ(Get("/api/v1/me", token).status, 200);  // use resets the idle clock
  clock.Advance(minutes(29));
  EXPECT_EQ(Get("/api/v1/me", token).status, 200);
  clock.Advance(minutes(30));
  HttpReply r = Get("/api/v1/me", token);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.code(), "unauthenticated");
}

TEST_F(AuthApiTest, SessionExpiresEightHoursAfterLoginEvenWhenUsed) {
  const std::string token = Login(sec.username, sec.password).json().GetString("token");
  for (int i = 0; i < 23; ++i) {
    clock.Advance(minutes(20));
    ASSERT_EQ(Get("/api/v1/me", token).status, 200) << "after " << (i + 1) * 20 << " min";
  }
  clock.Advance(minutes(20));  // 8 h
  EXPECT_EQ(Get("/api/v1/me", token).status, 401);
}

TEST_F(AuthApiTest, IdleExpiryCountsFromTheLastUseAlsoAfterARestart) {
  const std::string token = Login(sec.username, sec.password).json().GetString("token");
  clock.Advance(minutes(25));
  ASSERT_EQ(Get("/api/v1/me", token).status, 200);  // stores: last used at T0 + 25 min
  // Jobs run in order: once this one is answered, the stored last use is committed.
  ASSERT_TRUE(
      runtime->engine().SubmitJob([](Store&) -> Result<Json> { return Json(); }).get().ok());
  server->Stop();
  ServerOptions options;
  options.port = 0;
  server = std::make_unique<HttpServer>(runtime->engine(), options);  // a fresh token cache
  ASSERT_TRUE(server->Start().ok());
  clock.Advance(minutes(20));  // 45 min after login, 20 min after the last use
  EXPECT_EQ(Get("/api/v1/me", token).status, 200);
  clock.Advance(minutes(31));
  EXPECT_EQ(Get("/api/v1/me", token).status, 401);
}

TEST_F(AuthApiTest, LogoutRevokesTheToken) {
  const std::string token = Login(sec.username, sec.password).json().GetString("token");
  ASSERT_EQ(Get("/api/v1/me", token).status, 200);
  HttpCall logout;
  logout.method = "POST";
  logout.path = "/api/v1/auth/logout";
  logout.token = token;
  EXPECT_EQ(Send(logout).status, 204);
  EXPECT_EQ(Get("/api/v1/me", token).status, 401);
  EXPECT_EQ(Send(logout).status, 401);
}

TEST_F(AuthApiTest, RevokedApiTokenStopsWorkingAtOnce) {
  std::string id;
  const std::string token = IssueToken(auditor, &id);
  ASSERT_EQ(Get("/api/v1/me", token).status, 200);  // now cached
  EXPECT_EQ(Delete("/api/v1/tokens/" + id, admin.token).status, 204);
  EXPECT_EQ(Get("/api/v1/me", token).status, 401);
  EXPECT_EQ(Delete("/api/v1/tokens/" + id, admin.token).code(), "not_found");
  EXPECT_EQ(Delete("/api/v1/tokens/999999", admin.token).status, 404);
  EXPECT_EQ(Delete("/api/v1/tokens/abc", admin.token).status, 404);
}

TEST_F(AuthApiTest, AdminIssuesApiTokensShownOnce) {
  HttpReply r = Post("/api/v1/users/" + auditor.user_id + "/tokens", admin.token,
                     J(R"({"name":"ci","expires_in_days":2})"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().GetString("expires_at"), FormatTime(kT0 + 2 * kMsPerDay));
  const std::string token = r.json().GetString("token");
  EXPECT_EQ(Get("/api/v1/me", token).json().GetString("username"), "audit.omar");
  clock.Advance(std::chrono::hours(48));
  EXPECT_EQ(Get("/api/v1/me", token).status, 401);

  EXPECT_EQ(Post("/api/v1/users/424242/tokens", admin.token, J(R"({"name":"x"})")).status, 404);
  HttpReply bad = Post("/api/v1/users/" + auditor.user_id + "/tokens", admin.token,
                       J(R"({"name":"x","expires_in_days":0})"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json().Get("fields")->AsArray()[0].AsString(), "expires_in_days");
  EXPECT_EQ(Post("/api/v1/users/" + auditor.user_id + "/tokens", admin.token, J("{}")).status, 400);
}

TEST_F(AuthApiTest, AdminCreatesUsersAndListsThemWithoutHashes) {
  HttpReply r = Post("/api/v1/users", admin.token,
                     J(R"({"username":"council.raj","display_name":"Raj","role":"council",
                          "password":"correct horse battery"})"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().GetString("role"), "council");
  EXPECT_FALSE(r.json().Has("password_hash"));
  // The API has no path for one user, so the 201 points nowhere rather than to a 404.
  EXPECT_EQ(r.header("Location"), "");
  HttpReply login = Login("council.raj", "correct horse battery");
  EXPECT_EQ(login.status, 200);

  HttpReply dup = Post("/api/v1/users", admin.token,
                       J(R"({"username":"council.raj","display_name":"Raj","role":"council",
                            "password":"correct horse battery"})"));
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.code(), "duplicate");
  HttpReply bad_role = Post("/api/v1/users", admin.token,
                            J(R"({"username":"x.y.z","display_name":"X","role":"system",
                                 "password":"correct horse battery"})"));
  EXPECT_EQ(bad_role.status, 400);
  EXPECT_EQ(bad_role.json().Get("fields")->AsArray()[0].AsString(), "role");
  HttpReply liaison_without_rso = Post(
      "/api/v1/users", admin.token,
      J(R"({"username":"l.one","display_name":"L","role":"rso_liaison","password":"correct horse battery","rso_id":"77"})"));
  EXPECT_EQ(liaison_without_rso.status, 400);

  HttpReply list = Get("/api/v1/users", sec.token);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json().Get("items")->size(), 5u);
  EXPECT_EQ(list.body.find("pbkdf2"), std::string::npos);
}

TEST_F(AuthApiTest, UserListPagesWithAnOpaqueCursor) {
  for (int i = 0; i < 4; ++i) AddUser("council.n" + std::to_string(i), "council");
  std::vector<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    HttpReply r =
        Get("/api/v1/users?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor), sec.token);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto& items = r.json().Get("items")->AsArray();
    EXPECT_LE(items.size(), 3u);
    for (const Json& u : items) seen.push_back(u.GetString("username"));
    const Json* next = r.json().Get("next_cursor");
    cursor = next->is_null() ? "" : next->AsString();
    EXPECT_EQ(cursor.find(items.back().GetString("id")), std::string::npos);  // opaque
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen,
            (std::vector<std::string>{"sec.amina", "council.lena", "audit.omar", "admin.root",
                                      "council.n0", "council.n1", "council.n2", "council.n3"}));
  HttpReply first = Get("/api/v1/users", admin.token);
  EXPECT_EQ(first.json().Get("items")->size(), 8u);
  EXPECT_TRUE(first.json().Get("next_cursor")->is_null());
  for (const char* query : {"?limit=0", "?limit=201", "?cursor=bogus", "?cursor=", "?role=x"}) {
    HttpReply bad = Get(std::string("/api/v1/users") + query, admin.token);
    EXPECT_EQ(bad.status, 400) << query;
    EXPECT_EQ(bad.code(), "invalid_request") << query;
  }
}

}  // namespace
}  // namespace rsoflow::testing
