// The HTTP server on an ephemeral loopback port: operations endpoints, problem documents and
// the headers every response carries.
#include "api/server.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include "api/runtime.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

struct Reply {
  int status;
  Poco::Net::HTTPResponse headers;
  std::string body;
};

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto rt = Runtime::Open(dir.File("s.db"), clock, false);
    ASSERT_TRUE(rt.ok()) << rt.status().ToString();
    runtime = std::move(rt).value();
    ServerOptions options;
    options.port = 0;
    server = std::make_unique<HttpServer>(*runtime, options);
    ASSERT_TRUE(server->Start().ok());
  }
  Reply Send(const std::string& method, const std::string& path,
             const std::string& request_id = "") {
    Poco::Net::HTTPClientSession session("127.0.0.1", server->port());
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!request_id.empty()) req.set("X-Request-Id", request_id);
    session.sendRequest(req);
    Reply r;
    std::istream& in = session.receiveResponse(r.headers);
    Poco::StreamCopier::copyToString(in, r.body);
    r.status = r.headers.getStatus();
    return r;
  }
  FakeClock clock{kT0};
  TempDir dir;
  std::unique_ptr<Runtime> runtime;
  std::unique_ptr<HttpServer> server;
};

TEST_F(ServerTest, HealthzAnswersOk) {
  Reply r = Send("GET", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, R"({"status":"ok"})");
  EXPECT_EQ(r.headers.getContentType(), "application/json");
}

TEST_F(ServerTest, ReadyzAnswersOkWhenTheDatabaseAnswers) {
  EXPECT_EQ(Send("GET", "/readyz").status, 200);
}

TEST_F(ServerTest, EveryResponseCarriesSecurityHeadersAndARequestId) {
  for (const char* path : {"/healthz", "/nope"}) {
    Reply r = Send("GET", path);
    EXPECT_EQ(r.headers.get("Cache-Control", ""), "no-store");
    EXPECT_EQ(r.headers.get("X-Content-Type-Options", ""), "nosniff");
    EXPECT_EQ(r.headers.get("X-Frame-Options", ""), "DENY");
    EXPECT_EQ(r.headers.get("Content-Security-Policy", ""),
              "default-src 'none'; frame-ancestors 'none'");
    EXPECT_FALSE(r.headers.get("X-Request-Id", "").empty());
  }
}

TEST_F(ServerTest, ClientRequestIdIsEchoed) {
  EXPECT_EQ(Send("GET", "/healthz", "trace-42").headers.get("X-Request-Id", ""), "trace-42");
}

TEST_F(ServerTest, UnknownPathIsAProblemDocument) {
  Reply r = Send("GET", "/nope");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.getContentType(), "application/problem+json");
  Json p = J(r.body);
  EXPECT_EQ(p.GetString("code"), "not_found");
  EXPECT_EQ(p.GetInt("status"), 404);
  EXPECT_EQ(p.GetString("type"), "/problems/not_found");
  EXPECT_EQ(p.GetString("request_id"), r.headers.get("X-Request-Id", ""));
}

TEST_F(ServerTest, WrongMethodIs405WithAllow) {
  Reply r = Send("POST", "/healthz");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.headers.get("Allow", ""), "GET, HEAD");
  EXPECT_EQ(J(r.body).GetString("code"), "method_not_allowed");
}

}  // namespace
}  // namespace rsoflow::testing
