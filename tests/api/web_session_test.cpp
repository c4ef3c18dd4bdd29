// Browser sessions and the web app's files (API.md, "Browser sessions and the web app"): the
// cookie login, the CSRF header on cookie writes, logout clearing the cookie, the files under
// / and /app/ with the app's Content-Security-Policy, and the folder override of serve.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/web_assets.h"
#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

constexpr char kAppCsp[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

class WebSessionTest : public ApiTest {
 protected:
  // Signs in with a cookie session; returns the cookie's value and sets csrf.
  std::string CookieLogin(const Persona& who, std::string* csrf = nullptr,
                          HttpReply* reply = nullptr) {
    Json body = Json::MakeObject();
    body.Set("username", who.username);
    body.Set("password", who.password);
    body.Set("session", "cookie");
    HttpReply r = Post("/api/v1/auth/login", "", body);
    EXPECT_EQ(r.status, 200) << r.body;
    if (csrf) *csrf = r.json().GetString("csrf_token");
    const std::string set_cookie = r.header("Set-Cookie");
    const std::string prefix = "rsoflow_session=";
    EXPECT_EQ(set_cookie.rfind(prefix, 0), 0u) << set_cookie;
    std::string value = set_cookie.substr(prefix.size());
    value = value.substr(0, value.find(';'));
    if (reply) *reply = r;
    return value;
  }

  HttpReply WithCookie(const std::string& method, const std::string& path,
                       const std::string& cookie, const std::string& csrf = "",
                       const std::string& body = "") {
    HttpCall c;
    c.method = method;
    c.path = path;
    c.headers.push_back({"Cookie", "rsoflow_session=" + cookie});
    if (!csrf.empty()) c.headers.push_back({"X-CSRF-Token", csrf});
    if (!body.empty()) {
      c.body = body;
      c.has_body = true;
    }
    return Send(c);
  }
};

TEST_F(WebSessionTest, ACookieLoginSetsAnHttpOnlyStrictCookieAndKeepsTheTokenOutOfTheBody) {
  HttpReply r;
  std::string csrf;
  const std::string cookie = CookieLogin(sec, &csrf, &r);
  EXPECT_EQ(cookie.size(), 43u);  // the 32-byte session token, base64url
  const std::string set_cookie = r.header("Set-Cookie");
  EXPECT_NE(set_cookie.find("; HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; SameSite=Strict"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; Path=/"), std::string::npos) << set_cookie;
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << "plain HTTP: " << set_cookie;
  EXPECT_EQ(r.json().Get("token"), nullptr) << r.body;
  EXPECT_EQ(r.body.find(cookie), std::string::npos) << "the token must not be in the body";
  EXPECT_EQ(csrf.size(), 64u) << r.body;
  EXPECT_EQ(r.json().Get("user")->GetString("username"), sec.username);
  EXPECT_FALSE(r.json().GetString("expires_at").empty());
}

TEST_F(WebSessionTest, TheCookieAloneAuthenticatesReads) {
  std::string csrf;
  const std::string cookie = CookieLogin(council, &csrf);
  HttpReply me = WithCookie("GET", "/api/v1/me", cookie);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json().GetString("username"), council.username);
  // A new tab, which has the cookie but not the login's answer, learns the CSRF token here.
  EXPECT_EQ(me.json().GetString("csrf_token"), csrf);
  EXPECT_EQ(Get("/api/v1/me", council.token).json().Get("csrf_token"), nullptr)
      << "a bearer token has no CSRF token";
  EXPECT_EQ(WithCookie("GET", "/api/v1/me", "not-a-session").status, 401);
}

TEST_F(WebSessionTest, ACookieWriteWithoutTheCsrfTokenIsRefusedAndChangesNothing) {
  std::string csrf;
  const std::string cookie = CookieLogin(sec, &csrf);
  const std::string rso = R"({"acronym":"EASC","name":"East African Standards Committee",
      "kind":"regional","region":"Africa","member_bodies":["KE","TZ"],"statutes_ref":"S"})";
  const int64_t before = AuditCount();
  for (const std::string& wrong : {std::string(), std::string(64, '0'), csrf.substr(1)}) {
    HttpReply r = WithCookie("POST", "/api/v1/rsos", cookie, wrong, rso);
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(r.code(), "csrf_failed") << r.body;
  }
  EXPECT_EQ(AuditCount(), before);
  EXPECT_EQ(Get("/api/v1/rsos", sec.token).json().Get("items")->size(), 0u);
  // Another session's token is no better than none.
  std::string other_csrf;
  CookieLogin(auditor, &other_csrf);
  EXPECT_EQ(WithCookie("POST", "/api/v1/rsos", cookie, other_csrf, rso).status, 403);

  HttpReply ok = WithCookie("POST", "/api/v1/rsos", cookie, csrf, rso);
  EXPECT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(AuditCount(), before + 1);
}

TEST_F(WebSessionTest, ABearerTokenNeedsNoCsrfTokenEvenBesideACookie) {
  const std::string cookie = CookieLogin(council);
  HttpCall c;
  c.method = "POST";
  c.path = "/api/v1/auth/logout";
  c.token = sec.token;
  c.headers.push_back({"Cookie", "rsoflow_session=" + cookie});
  EXPECT_EQ(Send(c).status, 204);
  // The bearer token was the one logged out; the cookie's session lives on.
  EXPECT_EQ(Get("/api/v1/me", sec.token).status, 401);
  EXPECT_EQ(WithCookie("GET", "/api/v1/me", cookie).status, 200);
}

TEST_F(WebSessionTest, LogoutClearsTheCookieAndEndsTheSessionAtOnce) {
  std::string csrf;
  const std::string cookie = CookieLogin(council, &csrf);
  EXPECT_EQ(WithCookie("POST", "/api/v1/auth/logout", cookie).status, 403);
  HttpReply out = WithCookie("POST", "/api/v1/auth/logout", cookie, csrf);
  ASSERT_EQ(out.status, 204) << out.body;
  const std::string set_cookie = out.header("Set-Cookie");
  EXPECT_EQ(set_cookie.rfind("rsoflow_session=;", 0), 0u) << set_cookie;
  EXPECT_NE(set_cookie.find("Max-Age=0"), std::string::npos) << set_cookie;
  EXPECT_EQ(WithCookie("GET", "/api/v1/me", cookie).status, 401);
}

TEST_F(WebSessionTest, ALoginAsksOnlyForACookieSession) {
  for (const char* kind : {R"("bearer")", R"("")", "true"}) {
    HttpReply r = PostText("/api/v1/auth/login", "",
                           std::string(R"({"username":"sec.amina","password":")") + sec.password +
                               R"(","session":)" + kind + "}");
    EXPECT_EQ(r.status, 400) << kind << " " << r.body;
    ASSERT_NE(r.json().Get("fields"), nullptr) << r.body;
    EXPECT_EQ(r.json().Get("fields")->AsArray().at(0).AsString(), "session");
    EXPECT_TRUE(r.header("Set-Cookie").empty());
  }
}

TEST_F(WebSessionTest, CookieSecureAddsSecureToTheSessionCookie) {
  ServerOptions options;
  options.port = 0;
  options.api.pbkdf2_iterations = kTestPbkdf2Iterations;
  options.api.cookie_secure = true;
  HttpServer secure(runtime->engine(), options);
  ASSERT_TRUE(secure.Start().ok());
  Poco::Net::HTTPClientSession session("127.0.0.1", secure.port());
  Poco::Net::HTTPRequest req("POST", "/api/v1/auth/login", Poco::Net::HTTPMessage::HTTP_1_1);
  const std::string body =
      R"({"username":"sec.amina","password":")" + sec.password + R"(","session":"cookie"})";
  req.setContentType("application/json");
  req.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(req) << body;
  Poco::Net::HTTPResponse res;
  std::string ignored;
  Poco::StreamCopier::copyToString(session.receiveResponse(res), ignored);
  EXPECT_EQ(res.getStatus(), 200);
  EXPECT_NE(res.get("Set-Cookie", "").find("; Secure"), std::string::npos);
  secure.Stop();
}

// The web app, as served by the binary: the files built from web/.
std::string SourceFile(const std::string& rel) {
  std::ifstream in(std::string(RSOFLOW_SOURCE_DIR) + "/web/" + rel, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST_F(WebSessionTest, TheRootServesTheAppWithItsContentSecurityPolicy) {
  HttpReply r = Get("/", "");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.header("Content-Security-Policy"), kAppCsp);
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer");
  EXPECT_FALSE(r.header("X-Request-Id").empty());
  EXPECT_EQ(r.body, SourceFile("index.html")) << "the binary serves web/index.html as built";
  // Revalidated with its ETag: unchanged, it costs a 304 without a body.
  const std::string etag = r.header("ETag");
  ASSERT_FALSE(etag.empty());
  HttpCall again;
  again.path = "/";
  again.headers.push_back({"If-None-Match", etag});
  HttpReply cached = Send(again);
  EXPECT_EQ(cached.status, 304);
  EXPECT_TRUE(cached.body.empty());
}

TEST_F(WebSessionTest, EveryEmbeddedFileIsServedUnderAppWithItsMediaType) {
  size_t served = 0;
  for (const auto& file : api::EmbeddedWebFiles()) {
    const std::string rel = file.path;
    if (rel.rfind("app/", 0) != 0) continue;
    HttpReply r = Get("/" + rel, "");
    ASSERT_EQ(r.status, 200) << rel;
    EXPECT_EQ(r.body, SourceFile(rel)) << rel;
    if (rel.size() > 3 && rel.compare(rel.size() - 3, 3, ".js") == 0) {
      EXPECT_EQ(r.header("Content-Type"), "text/javascript; charset=utf-8") << rel;
    }
    EXPECT_EQ(r.header("Content-Security-Policy"), kAppCsp) << rel;
    ++served;
  }
  EXPECT_GT(served, 0u) << "web/app/ holds the app's modules";
}

TEST_F(WebSessionTest, NoPathOutsideTheAppsFilesIsServed) {
  for (const char* path : {"/app/", "/app/../CMakeLists.txt", "/app/%2e%2e/CMakeLists.txt",
                           "/app/no-such-file.js", "/app//main.js", "/app/.hidden"}) {
    HttpReply r = Get(path, "");
    EXPECT_EQ(r.status, 404) << path << " " << r.body;
    EXPECT_EQ(r.code(), "not_found") << path;
  }
  HttpCall post;
  post.method = "POST";
  post.path = "/";
  HttpReply r = Send(post);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("Allow"), "GET, HEAD");
}

TEST(WebAssets, AFolderServesItsFilesAndNothingAboveIt) {
  TempDir dir;
  const std::filesystem::path root = dir.File("web");
  std::filesystem::create_directories(root / "app" / "pages");
  std::ofstream(root / "index.html") << "<!doctype html><title>x</title>";
  std::ofstream(root / "app" / "pages" / "inbox.js") << "export const x = 1;";
  std::ofstream(root / "app" / "style.css") << "body{}";
  std::ofstream(dir.File("secret.txt")) << "secret";
  api::WebAssets web(root.string());
  ASSERT_TRUE(web.Find("/").has_value());
  EXPECT_TRUE(web.Find("/")->html);
  auto js = web.Find("/app/pages/inbox.js");
  ASSERT_TRUE(js.has_value());
  EXPECT_EQ(js->bytes, "export const x = 1;");
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(web.Find("/app/style.css")->content_type, "text/css; charset=utf-8");
  EXPECT_FALSE(web.Find("/app/../../secret.txt").has_value());
  EXPECT_FALSE(web.Find("/app/pages").has_value()) << "a folder is not a file";
  EXPECT_FALSE(web.Find("/index.html").has_value()) << "only / and /app/ belong to the app";
  EXPECT_FALSE(web.Find("/app/pages/missing.js").has_value());
}

}  // namespace
}  // namespace rsoflow::testing
