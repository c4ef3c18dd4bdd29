// Connection exhaustion without logging in (issue 17, finding 4) and over-long heads
// (finding 6), over raw loopback sockets. Client sockets bind to other addresses of
// 127.0.0.0/8 (all loopback on Linux) to stand for other clients.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "engine/json.h"
#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

// A client socket from `from` (an address of 127.0.0.0/8) to the server; -1 on failure.
class Client {
 public:
  Client(uint16_t port, const std::string& from = "127.0.0.1") {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in self{};
    self.sin_family = AF_INET;
    ::inet_pton(AF_INET, from.c_str(), &self.sin_addr);
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&self), sizeof self) != 0 ||
        ::connect(fd_, reinterpret_cast<sockaddr*>(&server), sizeof server) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  Client(Client&& o) noexcept : fd_(o.fd_), got_(std::move(o.got_)) { o.fd_ = -1; }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool ok() const { return fd_ >= 0; }
  bool Write(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  // Reads until the server closes the connection or `deadline` passes; true when it closed.
  bool ReadUntilClosed(SteadyClock::time_point deadline) {
    for (;;) {
      if (!Wait(deadline)) return false;
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return true;  // closed (or reset)
      got_.append(buf, static_cast<size_t>(n));
    }
  }
  // Reads one answer with a Content-Length body; false when none came by `deadline`.
  bool ReadAnswer(SteadyClock::time_point deadline) {
    for (;;) {
      const size_t end = got_.find("\r\n\r\n");
      if (end != std::string::npos) {
        const size_t at = got_.find("Content-Length: ");
        const size_t length = at < end ? std::stoul(got_.substr(at + 16)) : 0;
        if (got_.size() >= end + 4 + length) return true;
      }
      if (!Wait(deadline)) return false;
      char buf[4096];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) return false;
      got_.append(buf, static_cast<size_t>(n));
    }
  }
  // True when the server sent nothing and has not closed (the socket is merely quiet).
  bool QuietAndOpen() {
    char byte;
    const ssize_t n = ::recv(fd_, &byte, 1, MSG_DONTWAIT);
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
  const std::string& got() const { return got_; }
  std::string body() const { return got_.substr(got_.find("\r\n\r\n") + 4); }
  int fd() const { return fd_; }

 private:
  bool Wait(SteadyClock::time_point deadline) {
    const auto left =
        std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now()).count();
    if (left <= 0) return false;
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, static_cast<int>(left)) > 0;
  }
  int fd_ = -1;
  std::string got_;
};

SteadyClock::time_point In(milliseconds ms) { return SteadyClock::now() + ms; }

class ConnectionLimitsTest : public ApiTest {
 protected:
  void Restart(const ServerOptions& changes) {
    server->Stop();
    ServerOptions options = changes;
    options.port = 0;
    options.api.pbkdf2_iterations = kTestPbkdf2Iterations;
    server = std::make_unique<HttpServer>(runtime->engine(), options);
    ASSERT_TRUE(server->Start().ok());
  }
  // A problem document that closes the connection, with a request id and the security
  // headers, whatever the code that sent it.
  static void ExpectClosingProblem(const Client& c, int status, const std::string& code) {
    const std::string& got = c.got();
    EXPECT_EQ(got.rfind("HTTP/1.1 " + std::to_string(status) + " ", 0), 0u) << got;
    EXPECT_NE(got.find("\r\nContent-Type: application/problem+json\r\n"), std::string::npos) << got;
    EXPECT_NE(got.find("\r\nConnection: Close\r\n"), std::string::npos) << got;
    EXPECT_NE(got.find("\r\nX-Content-Type-Options: nosniff\r\n"), std::string::npos) << got;
    EXPECT_NE(got.find("\r\nContent-Security-Policy: "), std::string::npos) << got;
    const size_t id_at = got.find("\r\nX-Request-Id: ");
    ASSERT_NE(id_at, std::string::npos) << got;
    const std::string id = got.substr(id_at + 16, got.find("\r\n", id_at + 2) - id_at - 16);
    const Json problem = J(c.body());
    EXPECT_EQ(problem.GetString("code"), code) << got;
    EXPECT_EQ(problem.GetString("request_id"), id) << got;
  }
  // GET /healthz from `from`; the time it took, or a failure when no answer came in 5 s.
  milliseconds TimedHealthz(const std::string& from = "127.0.0.1") {
    const auto started = SteadyClock::now();
    Client c(server->port(), from);
    EXPECT_TRUE(c.ok());
    EXPECT_TRUE(c.Write("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_TRUE(c.ReadAnswer(In(milliseconds(5000)))) << c.got();
    EXPECT_EQ(c.got().rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << c.got();
    return std::chrono::duration_cast<milliseconds>(SteadyClock::now() - started);
  }
};

// 200 sockets that send nothing and 100 that send a request head a byte at a time, from ten
// other addresses (30 each, under the default cap of 64), stay open while /healthz and a
// login are each answered within a second. (Poco's server, a thread per connection, answered
// neither while 64 such sockets were open.)
TEST_F(ConnectionLimitsTest, IdleAndSlowSocketsDoNotStopHealthzOrALogin) {
  std::vector<Client> idle, slow;
  for (int i = 0; i < 300; ++i) {
    const std::string from = "127.0.0." + std::to_string(2 + i % 10);
    (i < 200 ? idle : slow).emplace_back(server->port(), from);
    ASSERT_TRUE((i < 200 ? idle : slow).back().ok()) << i;
  }
  const std::string head = "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Pad: slow\r\n";
  size_t sent = 0;
  auto trickle = [&] {
    for (Client& c : slow) EXPECT_TRUE(c.Write(head.substr(sent % head.size(), 1)));
    ++sent;
  };
  trickle();
  EXPECT_LT(TimedHealthz().count(), 1000);
  trickle();
  const auto started = SteadyClock::now();
  Json body = Json::MakeObject();
  body.Set("username", sec.username);
  body.Set("password", sec.password);
  HttpReply login = Post("/api/v1/auth/login", "", body);
  EXPECT_LT(std::chrono::duration_cast<milliseconds>(SteadyClock::now() - started).count(), 1000);
  EXPECT_EQ(login.status, 200) << login.body;
  trickle();
  EXPECT_LT(TimedHealthz().count(), 1000);
  // Not vacuous: every one of the 300 was taken in and is still open, unanswered.
  for (Client& c : idle) EXPECT_TRUE(c.QuietAndOpen());
  for (Client& c : slow) EXPECT_TRUE(c.QuietAndOpen());
}

// One address gets max_connections_per_address connections; the next is answered 429 and
// closed, while another address still gets through.
TEST_F(ConnectionLimitsTest, TheConnectionsOfOneAddressAreCappedAndAnotherStillGetsThrough) {
  ServerOptions options;
  options.max_connections_per_address = 4;
  Restart(options);
  std::vector<Client> four;
  for (int i = 0; i < 4; ++i) {
    four.emplace_back(server->port(), "127.0.0.2");
    ASSERT_TRUE(four.back().ok());
  }
  Client fifth(server->port(), "127.0.0.2");
  ASSERT_TRUE(fifth.ok());
  EXPECT_TRUE(fifth.ReadUntilClosed(In(milliseconds(5000))));
  ExpectClosingProblem(fifth, 429, "rate_limited");
  EXPECT_NE(fifth.got().find("\r\nRetry-After: 1\r\n"), std::string::npos) << fifth.got();
  EXPECT_LT(TimedHealthz("127.0.0.3").count(), 1000);
  // The four were taken in: each is served.
  for (Client& c : four) {
    ASSERT_TRUE(c.Write("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
    EXPECT_TRUE(c.ReadAnswer(In(milliseconds(5000)))) << c.got();
    EXPECT_EQ(c.got().rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << c.got();
  }
}

// At max_connections in all, a new connection closes the one idle the longest.
TEST_F(ConnectionLimitsTest, AFullServerClosesItsLongestIdleConnectionForANewOne) {
  ServerOptions options;
  options.max_connections = 8;
  options.keep_alive_timeout_ms = 60000;  // only the eviction can close one within the test
  Restart(options);
  std::vector<Client> idle;
  for (int i = 0; i < 8; ++i) {
    idle.emplace_back(server->port(), "127.0.0." + std::to_string(2 + i));
    ASSERT_TRUE(idle.back().ok());
    // Taken in before the next one (so the first is the longest idle): its answer shows it.
    ASSERT_TRUE(idle.back().Write("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
    ASSERT_TRUE(idle.back().ReadAnswer(In(milliseconds(5000)))) << i;
  }
  EXPECT_LT(TimedHealthz("127.0.0.20").count(), 1000);
  EXPECT_TRUE(idle.front().ReadUntilClosed(In(milliseconds(5000))));
  EXPECT_TRUE(idle.back().QuietAndOpen());
}

// A kept-alive connection with no next request is closed once keep_alive_timeout passes,
// and not before.
TEST_F(ConnectionLimitsTest, AnIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  ServerOptions options;
  options.keep_alive_timeout_ms = 300;
  Restart(options);
  Client c(server->port());
  ASSERT_TRUE(c.Write("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(c.ReadAnswer(In(milliseconds(5000))));
  const auto answered = SteadyClock::now();
  EXPECT_NE(c.got().find("\r\nConnection: Keep-Alive\r\n"), std::string::npos) << c.got();
  EXPECT_TRUE(c.ReadUntilClosed(In(milliseconds(5000))));
  EXPECT_GE(std::chrono::duration_cast<milliseconds>(SteadyClock::now() - answered).count(), 250);
  EXPECT_EQ(c.got().find("HTTP/1.1", 1), std::string::npos) << "nothing more was sent";
}

// A head (or a login's body) still arriving a byte at a time when request_timeout has passed
// since its first byte is answered 408 and the connection closed.
TEST_F(ConnectionLimitsTest, ASlowlorisIsCutAtTheRequestDeadlineWith408) {
  ServerOptions options;
  options.request_timeout_ms = 400;
  Restart(options);
  // What goes out at once, then what follows a byte at a time: a head; a login's body.
  const std::pair<std::string, std::string> cases[] = {
      {"", "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},
      {"POST /api/v1/auth/login HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
       "Content-Length: 80\r\n\r\n",
       "{\"username\":\"sec.amina\",\"password\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}"}};
  for (const auto& [prefix, slowly] : cases) {
    Client c(server->port());
    const auto started = SteadyClock::now();
    if (!prefix.empty()) {
      ASSERT_TRUE(c.Write(prefix));
    }
    // A byte each time 50 ms pass with no answer, until the server answers or all is sent.
    size_t sent = 0;
    pollfd p{c.fd(), POLLIN, 0};
    while (sent < slowly.size() && ::poll(&p, 1, 50) == 0) {
      ASSERT_TRUE(c.Write(slowly.substr(sent++, 1)));
    }
    EXPECT_LT(sent, slowly.size()) << "all of it went out unanswered";
    EXPECT_TRUE(c.ReadUntilClosed(In(milliseconds(5000))));
    EXPECT_GE(std::chrono::duration_cast<milliseconds>(SteadyClock::now() - started).count(), 350);
    ExpectClosingProblem(c, 408, "request_timeout");
  }
}

// Over-long request lines and header fields (finding 6): problem documents, then a close.
TEST_F(ConnectionLimitsTest, AnOverlongUriIsAnswered414WithAProblemDocument) {
  Client c(server->port());
  ASSERT_TRUE(
      c.Write("GET /healthz?pad=" + std::string(9000, 'a') + " HTTP/1.1\r\nHost: t\r\n\r\n"));
  EXPECT_TRUE(c.ReadUntilClosed(In(milliseconds(5000))));
  ExpectClosingProblem(c, 414, "uri_too_long");
}

TEST_F(ConnectionLimitsTest, OverlongHeaderFieldsAreAnswered431WithAProblemDocument) {
  std::string many;
  for (int i = 0; i < 101; ++i) many += "X-F" + std::to_string(i) + ": v\r\n";
  std::string several;  // each field small, together over 8 KiB
  for (int i = 0; i < 20; ++i)
    several += "X-S" + std::to_string(i) + ": " + std::string(500, 'b') + "\r\n";
  const std::string cases[] = {"X-Long: " + std::string(9000, 'a') + "\r\n", many, several,
                               std::string(300, 'N') + ": v\r\n"};
  for (const std::string& fields : cases) {
    Client c(server->port());
    ASSERT_TRUE(c.Write("GET /healthz HTTP/1.1\r\nHost: t\r\n" + fields + "\r\n"));
    EXPECT_TRUE(c.ReadUntilClosed(In(milliseconds(5000))));
    ExpectClosingProblem(c, 431, "header_fields_too_large");
  }
}

TEST_F(ConnectionLimitsTest, AMalformedHeadIsAnswered400WithAProblemDocument) {
  Client c(server->port());
  ASSERT_TRUE(c.Write("GET /healthz\r\n\r\n"));  // no HTTP version
  EXPECT_TRUE(c.ReadUntilClosed(In(milliseconds(5000))));
  ExpectClosingProblem(c, 400, "invalid_request");
}

}  // namespace
}  // namespace rsoflow::testing
