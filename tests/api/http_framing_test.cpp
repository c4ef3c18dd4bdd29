// Strict HTTP/1.1 framing over a raw socket (issue 17, findings 6 and 8): a request whose
// framing a proxy could read differently is refused with a 400 problem document and the
// connection is closed, so the bytes after it never run as a second request; a reflected path
// with bytes that are not UTF-8 is escaped, so the problem document stays valid UTF-8.
#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "engine/json.h"
#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

class HttpFramingTest : public ApiTest {
 protected:
  // Sends `bytes` and reads until the server closes the connection (or 5 s pass).
  std::string Exchange(const std::string& bytes, bool* closed) {
    Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", server->port()));
    s.setReceiveTimeout(Poco::Timespan(5, 0));
    s.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    std::string got;
    char buf[4096];
    *closed = false;
    try {
      for (;;) {
        const int n = s.receiveBytes(buf, sizeof buf);
        if (n <= 0) {
          *closed = true;
          break;
        }
        got.append(buf, static_cast<size_t>(n));
      }
    } catch (const Poco::TimeoutException&) {
      // still open
    } catch (const Poco::Net::ConnectionResetException&) {
      *closed = true;
    }
    return got;
  }
  static int Count(const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  }
};

// Each request carries a body "{}" and is followed by a second request in the same bytes,
// which must never be answered.
TEST_F(HttpFramingTest, AmbiguousFramingIsRefusedAndTheConnectionClosed) {
  const int64_t before = AuditCount();  // the fixture's users and their tokens
  const std::string smuggled = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string start =
      "POST /api/v1/ballots HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";
  const std::pair<const char*, std::string> cases[] = {
      {"two different Content-Length", "Content-Length: 2\r\nContent-Length: 37\r\n\r\n{}"},
      {"two equal Content-Length", "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}"},
      // Found by fuzz_http_pipeline: answered with nothing at all, the connection just closed.
      {"two Content-Length, the first not a number",
       "Content-Length: x\r\nContent-Length: 2\r\n\r\n{}"},
      {"Transfer-Encoding and Content-Length",
       "Transfer-Encoding: chunked\r\nContent-Length: 7\r\n\r\n2\r\n{}\r\n0\r\n\r\n"},
      {"a transfer coding other than chunked", "Transfer-Encoding: gzip\r\n\r\n"},
      {"a transfer coding list", "Transfer-Encoding: gzip, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"},
      {"whitespace before a colon", "Transfer-Encoding : chunked\r\nContent-Length: 2\r\n\r\n{}"},
  };
  for (const auto& [what, framing] : cases) {
    bool closed = false;
    const std::string got = Exchange(start + framing + smuggled, &closed);
    EXPECT_EQ(got.rfind("HTTP/1.1 400", 0), 0u) << what << ":\n" << got;
    EXPECT_NE(got.find("application/problem+json"), std::string::npos) << what;
    EXPECT_NE(got.find("\"code\":\"invalid_request\""), std::string::npos) << what;
    EXPECT_NE(got.find("X-Request-Id: "), std::string::npos) << what;
    EXPECT_EQ(Count(got, "HTTP/1.1 "), 1) << what << ": the bytes after it ran:\n" << got;
    EXPECT_TRUE(closed) << what;
  }
  EXPECT_EQ(AuditCount(), before);  // nothing was created by any of them
  // Plain framing still keeps the connection open for the next request.
  bool closed = true;
  const std::string two =
      Exchange(smuggled + "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", &closed);
  EXPECT_EQ(Count(two, "HTTP/1.1 200"), 2) << two;
}

// Found by fuzz_http_pipeline (tests/fuzz/corpus/http_pipeline/version_http_0_1): the answer
// repeated whatever version the request line named, "HTTP/0.1 403 Forbidden".
TEST_F(HttpFramingTest, AVersionOtherThanHttp10Or11IsRefusedInAnHttp11Answer) {
  for (const std::string version : {"HTTP/0.1", "HTTP/2.0", "HTTP/1.2", "http/1.1"}) {
    bool closed = false;
    const std::string got =
        Exchange("GET /api/v1/me " + version + "\r\nHost: x\r\nAuthorization: Bearer " + sec.token +
                     "\r\n\r\n",
                 &closed);
    EXPECT_EQ(got.rfind("HTTP/1.1 400 ", 0), 0u) << version << ":\n" << got;
    EXPECT_NE(got.find("application/problem+json"), std::string::npos) << version;
    EXPECT_NE(got.find("the HTTP version is HTTP/1.1 or HTTP/1.0"), std::string::npos) << got;
    EXPECT_TRUE(closed) << version;
  }
  bool closed = false;
  const std::string old = Exchange("GET /healthz HTTP/1.0\r\n\r\n", &closed);
  EXPECT_EQ(old.rfind("HTTP/1.0 200 ", 0), 0u) << old;
}

TEST_F(HttpFramingTest, AReflectedPathThatIsNotUtf8IsEscaped) {
  bool closed = false;
  const std::string got = Exchange(
      "GET /nothing/%FF%C3%28ok HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", &closed);
  ASSERT_EQ(got.rfind("HTTP/1.1 404", 0), 0u) << got;
  const std::string body = got.substr(got.find("\r\n\r\n") + 4);
  EXPECT_TRUE(IsValidUtf8(body)) << body;
  EXPECT_NE(body.find(R"(no route for /nothing/\\xFF\\xC3(ok)"), std::string::npos) << body;
}

// Every other place a client's bytes come back in a problem document: the method (405), a
// query key (400, in `detail` and `fields`), the Content-Type (415).
TEST_F(HttpFramingTest, ReflectedMethodQueryKeyAndContentTypeThatAreNotUtf8AreEscaped) {
  const std::string auth = "Authorization: Bearer " + sec.token + "\r\n";
  const std::pair<std::string, std::string> cases[] = {
      {"G\xFFT /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
       R"(G\\xFFT is not allowed on /healthz)"},
      {"GET /api/v1/me?%FF=1&%FF=2 HTTP/1.1\r\nHost: x\r\n" + auth + "Connection: close\r\n\r\n",
       R"("fields":["\\xFF"])"},
      {"POST /api/v1/ballots HTTP/1.1\r\nHost: x\r\n" + auth +
           "Content-Type: text/\xFE\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}",
       R"(not 'text/\\xFE')"},
  };
  for (const auto& [request, escaped] : cases) {
    bool closed = false;
    const std::string got = Exchange(request, &closed);
    ASSERT_NE(got.find("\r\n\r\n"), std::string::npos) << got;
    const std::string body = got.substr(got.find("\r\n\r\n") + 4);
    EXPECT_TRUE(IsValidUtf8(body)) << body;
    EXPECT_NE(body.find(escaped), std::string::npos) << escaped << " in " << body;
  }
}

}  // namespace
}  // namespace rsoflow::testing
