// What a careless or hostile client cannot do: malformed bodies, oversized bodies, wrong media
// types, deep nesting, invalid UTF-8, mass assignment of server-owned fields; each gets its
// 4xx problem document, changes nothing, and the server keeps serving. Also: tokens never
// reach the database file in clear, 64 keep-alive clients are served at once, and a stop
// waits for requests in flight.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/StreamCopier.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

class HostileInputTest : public ApiTest {
 protected:
  void ExpectProblem(const HttpReply& r, int status, const std::string& code,
                     const std::string& what) {
    EXPECT_EQ(r.status, status) << what << ": " << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/problem+json") << what;
    EXPECT_EQ(r.code(), code) << what;
    EXPECT_EQ(Get("/healthz", "").status, 200) << "the server stopped serving after " << what;
  }
  std::vector<std::string> Fields(const HttpReply& r) {
    std::vector<std::string> out;
    const Json body = r.json();
    if (const Json* f = body.Get("fields"); f != nullptr && f->is_array()) {
      for (const Json& v : f->AsArray()) out.push_back(v.AsString());
    }
    return out;
  }
};

TEST_F(HostileInputTest, MalformedBodiesAreInvalidRequests) {
  const std::string rec = RecognitionOf(CreateRso("ARSO"));
  const std::string events = "/api/v1/instances/" + rec + "/events";
  const int64_t before = AuditCount();
  ExpectProblem(PostText(events, sec.token, R"({"event":"sub)"), 400, "invalid_request",
                "truncated JSON");
  ExpectProblem(PostText(events, sec.token, R"({"event":42})"), 400, "invalid_request",
                "a number for a string");
  ExpectProblem(PostText(events, sec.token, R"(["submit"])"), 400, "invalid_request",
                "an array for an object");
  ExpectProblem(PostText(events, sec.token, R"({"event":"submit"} trailing)"), 400,
                "invalid_request", "trailing garbage");
  ExpectProblem(PostText(events, sec.token, R"({"event":"submit","event":"withdraw"})"), 400,
                "invalid_request", "a duplicate key");
  ExpectProblem(PostText(events, sec.token, std::string(10000, '[') + std::string(10000, ']')), 400,
                "invalid_request", "10 000-deep nesting");
  ExpectProblem(PostText(events, sec.token, "{\"event\":\"sub\xff\xfemit\"}"), 400,
                "invalid_request", "invalid UTF-8");
  ExpectProblem(PostText(events, sec.token, "{\"event\":\"\xc0\xaf\"}"), 400, "invalid_request",
                "an overlong UTF-8 sequence");
  ExpectProblem(PostText("/api/v1/rsos", sec.token, R"({"acronym":"X","member_bodies":"KE"})"), 400,
                "invalid_request", "wrong types in an RSO");
  ExpectProblem(Fire(rec, sec.token, "teleport"), 400, "invalid_request", "an unknown event");
  ExpectProblem(Get("/api/v1/instances?cursor=AAAA", sec.token), 400, "invalid_request",
                "a bad cursor");
  ExpectProblem(Get("/api/v1/instances?limit=%zz", sec.token), 400, "invalid_request",
                "bad percent-encoding");
  EXPECT_EQ(AuditCount(), before);
}

TEST_F(HostileInputTest, NestingUpTo32LevelsIsAcceptedAndDeeperIsNot) {
  auto nested = [](int depth) {
    std::string s = R"({"event":"submit","data":{"x":)";
    for (int i = 0; i < depth; ++i) s += "[";
    for (int i = 0; i < depth; ++i) s += "]";
    return s + "}}";
  };
  const std::string events = "/api/v1/instances/" + CreateBallot() + "/events";
  // 2 levels of objects + 30 arrays = 32: parsed (then refused by the workflow, not the parser).
  HttpReply ok_depth = PostText(events, sec.token, nested(30));
  EXPECT_EQ(ok_depth.json().GetString("detail").find("malformed JSON"), std::string::npos);
  HttpReply too_deep = PostText(events, sec.token, nested(31));
  EXPECT_EQ(too_deep.status, 400);
  EXPECT_NE(too_deep.json().GetString("detail").find("malformed JSON"), std::string::npos);
}

TEST_F(HostileInputTest, BodiesOverOneMebibyteAreRefused) {
  const std::string big = R"({"title":")" + std::string(2 << 20, 'x') + R"("})";
  HttpCall fixed;
  fixed.method = "POST";
  fixed.path = "/api/v1/ballots";
  fixed.token = sec.token;
  fixed.body = big;
  fixed.has_body = true;
  ExpectProblem(Send(fixed), 413, "payload_too_large", "a 2 MiB body");
  HttpCall chunked = fixed;
  chunked.chunked = true;
  ExpectProblem(Send(chunked), 413, "payload_too_large", "a 2 MiB chunked body");
  // Exactly at the limit is not "too large" (it is refused for what it contains).
  HttpCall at_limit = fixed;
  at_limit.body = R"({"title":")" + std::string((1 << 20) - 12, 'x') + R"("})";
  ASSERT_EQ(at_limit.body.size(), size_t{1} << 20);
  EXPECT_EQ(Send(at_limit).status, 400);
}

TEST_F(HostileInputTest, TooLargeIsDecidedFromContentLengthBeforeReading) {
  Poco::Net::HTTPClientSession session("127.0.0.1", server->port());
  Poco::Net::HTTPRequest req("POST", "/api/v1/ballots", Poco::Net::HTTPMessage::HTTP_1_1);
  req.set("Authorization", "Bearer " + sec.token);
  req.setContentType("application/json");
  req.setContentLength64(64 << 20);
  session.sendRequest(req);  // headers only: the 64 MiB never come
  Poco::Net::HTTPResponse res;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(res), body);
  EXPECT_EQ(res.getStatus(), 413);
  EXPECT_EQ(J(body).GetString("code"), "payload_too_large");
}

// Nor can it tell a real route from an unknown one by a 413 or a 400 that came before the
// token was looked at: a too-large body and a repeated query parameter answer 401 first (a
// query string on a write already did).
TEST_F(HostileInputTest, WithoutATokenARealRouteAnswers401BeforeItsSizeAndQueryChecks) {
  {
    Poco::Net::HTTPClientSession session("127.0.0.1", server->port());
    Poco::Net::HTTPRequest req("POST", "/api/v1/ballots", Poco::Net::HTTPMessage::HTTP_1_1);
    req.setContentType("application/json");
    req.setContentLength64(64 << 20);
    session.sendRequest(req);  // headers only
    Poco::Net::HTTPResponse res;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(res), body);
    EXPECT_EQ(res.getStatus(), 401);
    EXPECT_EQ(J(body).GetString("code"), "unauthenticated");
  }
  EXPECT_EQ(Get("/api/v1/instances?state=open&state=draft", "").status, 401);
  EXPECT_EQ(Get("/api/v1/instances?state=open&state=draft", sec.token).status, 400);
  HttpCall write;
  write.method = "DELETE";
  write.path = "/api/v1/tokens/1?force=1";
  EXPECT_EQ(Send(write).status, 401);
  write.token = admin.token;
  EXPECT_EQ(Send(write).status, 400);
}

TEST_F(HostileInputTest, NonJsonBodiesAreUnsupportedMediaTypes) {
  for (const char* type : {"text/plain", "application/x-www-form-urlencoded",
                           "application/json; charset=latin1", "multipart/form-data"}) {
    HttpCall c;
    c.method = "POST";
    c.path = "/api/v1/ballots";
    c.token = sec.token;
    c.body = R"({"title":"T"})";
    c.has_body = true;
    c.content_type = type;
    ExpectProblem(Send(c), 415, "unsupported_media_type", type);
  }
  HttpCall ok;
  ok.method = "POST";
  ok.path = "/api/v1/ballots";
  ok.token = sec.token;
  ok.body = R"({"title":"T"})";
  ok.has_body = true;
  ok.content_type = "application/json; charset=UTF-8";
  EXPECT_EQ(Send(ok).status, 400);  // accepted as JSON, refused for the missing fields
}

TEST_F(HostileInputTest, WrongMethodIs405WithAllow) {
  HttpReply r = Delete("/api/v1/rsos", sec.token);
  ExpectProblem(r, 405, "method_not_allowed", "DELETE on a collection");
  EXPECT_EQ(r.header("Allow"), "POST, GET, HEAD");
  HttpReply other = Delete("/api/v1/instances/1", council.token);
  EXPECT_EQ(other.status, 405);
  EXPECT_EQ(other.header("Allow"), "GET, HEAD");
}

// Every /api/v1 path asks for a token (API.md), those it does not serve too: without one, a
// wrong method or an unknown path answers 401 like a real route, so an anonymous caller cannot
// map the API by its 404s and 405s. Outside /api/v1 (health checks) an unknown path is 404.
TEST_F(HostileInputTest, WithoutATokenEveryApiPathIs401EvenOneThatDoesNotExist) {
  for (const auto& [method, path] :
       std::vector<std::pair<std::string, std::string>>{{"DELETE", "/api/v1/instances/1"},
                                                        {"GET", "/api/v1/no-such-thing"},
                                                        {"GET", "/api/v1"}}) {
    HttpCall call;
    call.method = method;
    call.path = path;
    HttpReply anon = Send(call);
    EXPECT_EQ(anon.status, 401) << method << " " << path;
    EXPECT_EQ(anon.code(), "unauthenticated") << method << " " << path;
    EXPECT_EQ(anon.header("WWW-Authenticate"), "Bearer") << path;
    EXPECT_EQ(anon.header("Allow"), "") << path;
    call.token = "not-a-token";
    EXPECT_EQ(Send(call).status, 401) << method << " " << path;
  }
  EXPECT_EQ(Get("/api/v1/no-such-thing", sec.token).status, 404);
  HttpReply login = Get("/api/v1/auth/login", "");  // public: its wrong method is told at once
  EXPECT_EQ(login.status, 405);
  EXPECT_EQ(login.header("Allow"), "POST");
  EXPECT_EQ(Get("/no-such-thing", "").status, 404);
}

TEST_F(HostileInputTest, ServerOwnedFieldsCannotBeAssigned) {
  const std::string a = CreateRso("ARSO");
  const std::string rec = RecognitionOf(a);
  const int64_t before = AuditCount();
  const std::string inst_before = Get("/api/v1/instances/" + rec, sec.token).body;
  for (const char* field : {"state", "version", "id", "created_by"}) {
    Json body = J(R"({"event":"submit"})");
    body.Set(field, "x");
    HttpReply r = Post("/api/v1/instances/" + rec + "/events", sec.token, body);
    EXPECT_EQ(r.status, 400) << field;
    EXPECT_EQ(Fields(r), (std::vector<std::string>{field}));
    Json ballot = J(R"({"title":"T","question":"Q","deadline":"2026-03-09T09:00:00Z"})");
    ballot.Set(field, "x");
    HttpReply b = Post("/api/v1/ballots", sec.token, ballot);
    EXPECT_EQ(b.status, 400) << field;
    EXPECT_EQ(Fields(b), (std::vector<std::string>{field}));
  }
  for (const char* field : {"status", "recognition_instance_id", "resolution", "id"}) {
    Json patch = Json::MakeObject();
    patch.Set(field, "x");
    HttpReply r = Patch("/api/v1/rsos/" + a, sec.token, patch);
    EXPECT_EQ(r.status, 400) << field;
    EXPECT_EQ(Fields(r), (std::vector<std::string>{field}));
  }
  EXPECT_EQ(Get("/api/v1/instances/" + rec, sec.token).body, inst_before);
  EXPECT_EQ(AuditCount(), before);

  // Nobody raises their own role or plants a hash through the API.
  Json login = Json::MakeObject();
  login.Set("username", auditor.username);
  login.Set("password", auditor.password);
  login.Set("role", "admin");
  HttpReply escalate = Post("/api/v1/auth/login", "", login);
  EXPECT_EQ(escalate.status, 400);
  EXPECT_EQ(Fields(escalate), (std::vector<std::string>{"role"}));
  HttpReply planted = Post("/api/v1/users", admin.token,
                           J(R"({"username":"eve.x","display_name":"Eve","role":"auditor",
                                "password":"a long password 1","password_hash":"$pbkdf2$x"})"));
  EXPECT_EQ(planted.status, 400);
  EXPECT_EQ(Fields(planted), (std::vector<std::string>{"password_hash"}));
  HttpReply with_id =
      Post("/api/v1/users", admin.token, J(R"({"id":"1","username":"eve.y","display_name":"Eve",
                                "role":"auditor","password":"a long password 1"})"));
  EXPECT_EQ(Fields(with_id), (std::vector<std::string>{"id"}));
  EXPECT_EQ(Get("/api/v1/me", auditor.token).json().GetString("role"), "auditor");
  EXPECT_EQ(Get("/api/v1/users", admin.token).json().Get("items")->size(), 4u);
}

TEST_F(HostileInputTest, DatabaseNeverHoldsAnIssuedTokenInClear) {
  std::vector<std::string> tokens = {sec.token, council.token, auditor.token, admin.token};
  Json login = Json::MakeObject();
  login.Set("username", sec.username);
  login.Set("password", sec.password);
  tokens.push_back(Post("/api/v1/auth/login", "", login).json().GetString("token"));
  tokens.push_back(
      Post("/api/v1/users/" + council.user_id + "/tokens", admin.token, J(R"({"name":"ci"})"))
          .json()
          .GetString("token"));
  const std::string rec = RecognitionOf(CreateRso("ARSO"));
  ASSERT_EQ(Fire(rec, tokens.back(), "submit").status / 100, 4);  // council may not; still used
  ASSERT_EQ(Fire(rec, tokens[4], "submit").status, 200);
  server->Stop();
  server.reset();
  runtime.reset();  // flush and close
  std::string bytes;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::ifstream in(db_path + suffix, std::ios::binary);
    bytes.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  ASSERT_GT(bytes.size(), 4096u);
  for (const std::string& token : tokens) {
    ASSERT_EQ(token.size(), 43u);
    EXPECT_EQ(bytes.find(token), std::string::npos) << "a token is stored in clear";
    EXPECT_EQ(bytes.find(token.substr(0, 20)), std::string::npos);
  }
  EXPECT_EQ(bytes.find(sec.password), std::string::npos);
}

TEST_F(HostileInputTest, SixtyFourKeepAliveClientsAreServedAtOnce) {
  std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> sessions;
  for (int i = 0; i < 64; ++i) {
    sessions.push_back(std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", server->port()));
    sessions.back()->setKeepAlive(true);
    sessions.back()->setTimeout(Poco::Timespan(30, 0));
  }
  // Round-robin: every connection stays open (and holds a server thread) while the others
  // are served, so this only completes if all 64 are served concurrently.
  for (int round = 0; round < 3; ++round) {
    for (auto& s : sessions) {
      Poco::Net::HTTPRequest req("GET", "/api/v1/me", Poco::Net::HTTPMessage::HTTP_1_1);
      req.setKeepAlive(true);
      req.set("Authorization", "Bearer " + council.token);
      s->sendRequest(req);
      Poco::Net::HTTPResponse res;
      std::string body;
      Poco::StreamCopier::copyToString(s->receiveResponse(res), body);
      ASSERT_EQ(res.getStatus(), 200) << body;
      ASSERT_TRUE(res.getKeepAlive());
    }
  }
  // Stop closes the idle keep-alive connections instead of waiting for their timeout.
  server->Stop();
}

TEST_F(HostileInputTest, RequestIdIsEchoedAndNeverLeaksIntoAnotherRequest) {
  HttpCall c;
  c.path = "/api/v1/me";
  c.token = sec.token;
  c.headers = {{"X-Request-Id", "trace-7"}};
  HttpReply r = Send(c);
  EXPECT_EQ(r.header("X-Request-Id"), "trace-7");
  c.headers = {{"X-Request-Id", "bad id with spaces"}};
  HttpReply generated = Send(c);
  EXPECT_NE(generated.header("X-Request-Id"), "bad id with spaces");
  EXPECT_FALSE(generated.header("X-Request-Id").empty());
  HttpReply problem = Get("/api/v1/nothing-here", sec.token);
  EXPECT_EQ(problem.json().GetString("request_id"), problem.header("X-Request-Id"));
  EXPECT_EQ(problem.header("Content-Security-Policy"),
            "default-src 'none'; frame-ancestors 'none'");
}

}  // namespace
}  // namespace rsoflow::testing
