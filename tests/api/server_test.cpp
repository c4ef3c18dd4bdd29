// The HTTP server on an ephemeral loopback port: operations endpoints, problem documents,
// the headers every response carries, and a graceful stop.
#include "api/server.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "accounts/accounts.h"
#include "app/runtime.h"
#include "engine/clock.h"
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
    server = std::make_unique<HttpServer>(runtime->engine(), options);
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

// Not ready is an error like any other 503: a problem document, code unavailable.
TEST_F(ServerTest, ReadyzAnswersAProblemDocumentWhenTheDatabaseFileIsGone) {
  ASSERT_EQ(std::rename(dir.File("s.db").c_str(), dir.File("moved.db").c_str()), 0);
  Reply r = Send("GET", "/readyz");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.headers.getContentType(), "application/problem+json");
  EXPECT_NE(r.body.find(R"("code":"unavailable")"), std::string::npos) << r.body;
  ASSERT_EQ(std::rename(dir.File("moved.db").c_str(), dir.File("s.db").c_str()), 0);
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

// What a client reads on the wire: the answers are written by our code, not by Poco's
// response stream, so their framing is checked byte for byte on a raw socket.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port) : socket_(Poco::Net::SocketAddress("127.0.0.1", port)) {
    socket_.setReceiveTimeout(Poco::Timespan(60, 0));
  }
  void Write(const std::string& bytes) { socket_.sendBytes(bytes.data(), bytes.size()); }
  void SetTimeout(int seconds) { socket_.setReceiveTimeout(Poco::Timespan(seconds, 0)); }
  // One whole answer: the header block, then exactly Content-Length bytes of body.
  std::string ReadAnswer(bool head = false) {
    size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return "(closed) " + buffer_;
    }
    const std::string block = buffer_.substr(0, end + 4);
    size_t length = 0;
    if (const size_t at = block.find("\r\nContent-Length: "); at != std::string::npos) {
      length = std::stoul(block.substr(at + 18));
    }
    if (head) length = 0;
    while (buffer_.size() < block.size() + length) {
      if (!Fill()) return "(closed) " + buffer_;
    }
    std::string answer = buffer_.substr(0, block.size() + length);
    buffer_.erase(0, answer.size());
    return answer;
  }
  // True when the server closed the connection with nothing more to read.
  bool ClosedByServer() { return buffer_.empty() && !Fill(); }
  const std::string& unread() const { return buffer_; }

 private:
  bool Fill() {
    char chunk[4096];
    const int n = socket_.receiveBytes(chunk, sizeof chunk);
    if (n <= 0) return false;
    buffer_.append(chunk, static_cast<size_t>(n));
    return true;
  }
  Poco::Net::StreamSocket socket_;
  std::string buffer_;
};

std::string BodyOf(const std::string& answer) { return answer.substr(answer.find("\r\n\r\n") + 4); }

// The connection is still good after an answer: it serves GET /healthz, and nothing beyond
// what that answer's Content-Length announced follows.
void ExpectItServesTheNextRequest(RawConnection& c) {
  c.Write("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
  const std::string next = c.ReadAnswer();
  EXPECT_EQ(next.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << next;
  EXPECT_EQ(BodyOf(next), R"({"status":"ok"})");
  EXPECT_EQ(c.unread(), "");
}

TEST_F(ServerTest, AnswersAreFramedExactlyAndAKeptAliveConnectionServesTheNext) {
  RawConnection c(server->port());
  c.Write("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Request-Id: one\r\n\r\n");
  const std::string first = c.ReadAnswer();
  EXPECT_EQ(first.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << first;
  EXPECT_NE(first.find("\r\nContent-Length: 15\r\n"), std::string::npos) << first;
  EXPECT_NE(first.find("\r\nContent-Type: application/json\r\n"), std::string::npos) << first;
  EXPECT_NE(first.find("\r\nConnection: Keep-Alive\r\n"), std::string::npos) << first;
  EXPECT_NE(first.find("\r\nX-Request-Id: one\r\n"), std::string::npos) << first;
  EXPECT_NE(first.find("\r\nDate: "), std::string::npos) << first;
  EXPECT_EQ(BodyOf(first), R"({"status":"ok"})");
  // Each header once: the block is not written twice.
  EXPECT_EQ(first.find("Content-Length"), first.rfind("Content-Length")) << first;

  c.Write("GET /nope HTTP/1.1\r\nHost: t\r\n\r\n");
  const std::string second = c.ReadAnswer();
  EXPECT_EQ(second.rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u) << second;
  EXPECT_EQ(J(BodyOf(second)).GetString("code"), "not_found");
  EXPECT_EQ(c.unread(), "");  // nothing beyond what Content-Length announced
}

TEST_F(ServerTest, HeadAnswersTheGetsHeadersWithNoBody) {
  RawConnection c(server->port());
  c.Write("HEAD /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
  const std::string head = c.ReadAnswer(/*head=*/true);
  EXPECT_EQ(head.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << head;
  EXPECT_NE(head.find("\r\nContent-Length: 15\r\n"), std::string::npos) << head;
  EXPECT_EQ(BodyOf(head), "");
  // Had a body followed, the next answer on the connection would start with it.
  ExpectItServesTheNextRequest(c);
}

// A 204 goes out before the unread body of its request is drained (a client may wait for the
// answer before it sends the body), with Content-Length 0 and nothing after its header block,
// and the connection then serves the next request.
TEST_F(ServerTest, A204ToARequestWithAnUnreadBodyIsFramedAndTheConnectionGoesOn) {
  accounts::NewUser u;
  u.username = "admin.one";
  u.role = "admin";
  u.password = "password-of-admin.one";
  ASSERT_TRUE(accounts::AddUser(runtime->engine(), u, 1000, accounts::Acting{}).ok());
  auto admin = runtime->store().ListUsers(0, 1);
  ASSERT_TRUE(admin.ok());
  auto mine = accounts::IssueToken(runtime->engine(), admin->front().id, "t", "api", std::nullopt,
                                   accounts::Acting{});
  auto doomed = accounts::IssueToken(runtime->engine(), admin->front().id, "d", "api", std::nullopt,
                                     accounts::Acting{});
  ASSERT_TRUE(mine.ok() && doomed.ok());
  RawConnection c(server->port());
  // The body follows only once the answer is in: an answer held back until the body is
  // drained would never come (the read below gives up after 10 s).
  c.Write("DELETE /api/v1/tokens/" + doomed->id + " HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer " +
          mine->token + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n");
  c.SetTimeout(10);
  const std::string deleted = c.ReadAnswer();
  EXPECT_EQ(deleted.rfind("HTTP/1.1 204 No Content\r\n", 0), 0u) << deleted;
  EXPECT_NE(deleted.find("\r\nContent-Length: 0\r\n"), std::string::npos) << deleted;
  EXPECT_EQ(BodyOf(deleted), "");
  c.Write("{}");  // the body, which the server drops
  ExpectItServesTheNextRequest(c);
}

// Expect: 100-continue: the client sends the body after Poco's interim answer; the request is
// refused before its body is read (no token), the body is drained, and the connection goes on.
TEST_F(ServerTest, AnExpectContinueRequestRefusedEarlyLeavesTheConnectionUsable) {
  RawConnection c(server->port());
  c.SetTimeout(10);
  const std::string body = R"({"title":"T","question":"Q?"})";
  c.Write(
      "POST /api/v1/ballots HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
      "Expect: 100-continue\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n");
  EXPECT_EQ(c.ReadAnswer(), "HTTP/1.1 100 Continue\r\n\r\n");
  c.Write(body);
  const std::string refused = c.ReadAnswer();
  EXPECT_EQ(refused.rfind("HTTP/1.1 401 Unauthorized\r\n", 0), 0u) << refused;
  EXPECT_EQ(J(BodyOf(refused)).GetString("code"), "unauthenticated");
  ExpectItServesTheNextRequest(c);
}

TEST_F(ServerTest, AnHttp10ClientGetsItsAnswerAndTheConnectionCloses) {
  RawConnection c(server->port());
  c.Write("GET /healthz HTTP/1.0\r\n\r\n");
  const std::string answer = c.ReadAnswer();
  EXPECT_EQ(answer.rfind("HTTP/1.0 200 OK\r\n", 0), 0u) << answer;
  EXPECT_NE(answer.find("\r\nConnection: Close\r\n"), std::string::npos) << answer;
  EXPECT_EQ(BodyOf(answer), R"({"status":"ok"})");
  EXPECT_TRUE(c.ClosedByServer());
}

// A fixed clock that can hold the first NowMs() call made from one chosen thread until the
// test releases it: the test knows that thread is inside that call, with no sleep.
class GateClock final : public Clock {
 public:
  int64_t NowMs() const override {
    std::unique_lock<std::mutex> lock(mu_);
    if (armed_ && std::this_thread::get_id() == gated_) {
      armed_ = false;
      held_ = true;
      cv_.notify_all();
      cv_.wait(lock, [this] { return released_; });
    }
    return kT0;
  }
  std::optional<std::chrono::milliseconds> RealWaitUntil(int64_t) const override {
    return std::nullopt;
  }
  void HoldNextCallFrom(std::thread::id thread) {
    std::lock_guard<std::mutex> lock(mu_);
    gated_ = thread;
    armed_ = true;
  }
  // False if no call was held within the timeout (a broken test, not a slow machine).
  bool WaitUntilHeld() {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(60), [this] { return held_; });
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu_);
    released_ = true;
    cv_.notify_all();
  }

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  mutable bool armed_ = false, held_ = false;
  bool released_ = false;
  std::thread::id gated_;
};

TEST(GracefulStop, CommandInFlightWhenTheServerStopsIsCommittedAndAnswered) {
  GateClock clock;
  TempDir dir;
  auto rt = Runtime::Open(dir.File("stop.db"), clock, false);
  ASSERT_TRUE(rt.ok()) << rt.status().ToString();
  std::unique_ptr<Runtime> runtime = std::move(rt).value();
  for (const char* role : {"secretariat", "council"}) {
    accounts::NewUser u;
    u.username = std::string(role) + ".one";
    u.role = role;
    u.password = "password-of-" + u.username;
    ASSERT_TRUE(accounts::AddUser(runtime->engine(), u, 1000, accounts::Acting{}).ok());
  }
  auto sec = runtime->store().ListUsers(0, 1);
  ASSERT_TRUE(sec.ok());
  auto token = accounts::IssueToken(runtime->engine(), sec->front().id, "t", "api", std::nullopt,
                                    accounts::Acting{});
  ASSERT_TRUE(token.ok());
  ServerOptions options;
  options.port = 0;
  HttpServer server(runtime->engine(), options);
  ASSERT_TRUE(server.Start().ok());
  const uint16_t port = server.port();

  // An idle keep-alive connection: the server closes it when it stops, which tells the test
  // that the stop has begun.
  Poco::Net::HTTPClientSession idle("127.0.0.1", port);
  idle.setTimeout(Poco::Timespan(60, 0));
  Poco::Net::HTTPRequest ping("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
  idle.sendRequest(ping);
  Poco::Net::HTTPResponse pong;
  std::string ignored;
  Poco::StreamCopier::copyToString(idle.receiveResponse(pong), ignored);
  ASSERT_EQ(pong.getStatus(), 200);

  // Hold the engine's writer inside the next command it runs.
  std::thread::id writer;
  ASSERT_TRUE(runtime->engine()
                  .SubmitJob([&writer](Store&) -> Result<Json> {
                    writer = std::this_thread::get_id();
                    return Json();
                  })
                  .get()
                  .ok());
  clock.HoldNextCallFrom(writer);

  int status = 0;
  std::string body;
  std::thread client([&] {
    Poco::Net::HTTPClientSession session("127.0.0.1", port);
    session.setTimeout(Poco::Timespan(60, 0));
    Poco::Net::HTTPRequest req("POST", "/api/v1/ballots", Poco::Net::HTTPMessage::HTTP_1_1);
    req.set("Authorization", "Bearer " + token->token);
    req.setContentType("application/json");
    const std::string json = R"({"title":"In flight","question":"Q?","deadline":")" +
                             FormatTime(kT0 + 7 * kMsPerDay) + R"("})";
    req.setContentLength64(json.size());
    session.sendRequest(req) << json;
    Poco::Net::HTTPResponse res;
    Poco::StreamCopier::copyToString(session.receiveResponse(res), body);
    status = res.getStatus();
  });
  ASSERT_TRUE(clock.WaitUntilHeld());  // the command is in the writer, uncommitted

  std::thread stopper([&] { server.Stop(); });
  char byte;
  EXPECT_EQ(idle.socket().receiveBytes(&byte, 1), 0);  // the stop has begun
  clock.Release();
  client.join();
  stopper.join();

  EXPECT_EQ(status, 201) << body;
  const Json answered = J(body);
  auto stored = runtime->store().GetInstance(std::stoll(answered.GetString("id")));
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->state, "open");
  EXPECT_EQ(stored->title, "In flight");
  // Stopped for good: nothing listens any more.
  Poco::Net::HTTPClientSession late("127.0.0.1", port);
  Poco::Net::HTTPRequest again("GET", "/healthz", Poco::Net::HTTPMessage::HTTP_1_1);
  EXPECT_ANY_THROW(late.sendRequest(again));
}

}  // namespace
}  // namespace rsoflow::testing
