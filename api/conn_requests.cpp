// A request's way through ConnectionLoop (conn_loop.h): its head parsed and its framing
// worked out, a login's body awaited, a worker, and back to the event loop for the next
// request, the rest of an unread body, or a lingering close. The steps that need no event
// loop are free functions, so that AnswerRequestBytes takes a request given as bytes through
// exactly them (tests/fuzz/fuzz_http_pipeline.cpp).
#include <Poco/Exception.h>
#include <Poco/Net/HTTPMessage.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>
#include <Poco/URI.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <sstream>

#include "api/conn_loop.h"
#include "api/pipeline.h"
#include "api/problem.h"

namespace rsoflow::api {
namespace {

using Phase = Connection::Phase;

constexpr size_t kDrainLimit = 4 << 20;  // an unread body larger than this closes (pipeline.cpp)

// The client's bytes, shown in the problem document only when they are printable ASCII.
std::string QuotedVersion(const std::string& version) {
  const bool printable =
      version.size() <= 16 &&
      std::all_of(version.begin(), version.end(), [](char ch) { return ch > 0x20 && ch < 0x7f; });
  return printable ? "'" + version + "'" : "this one";
}

bool IsTransferEncoding(const std::string& name) {
  return Poco::icompare(name, "Transfer-Encoding") == 0;
}

}  // namespace

// Drops what is left of an unread body; true when the connection went on to its next
// request (or was closed by it).
bool ConnectionLoop::DropBody(Connection& c, SteadyTime now) {
  const size_t k = static_cast<size_t>(std::min<uint64_t>(c.body_left, c.in.size()));
  c.in.erase(0, k);
  c.body_left -= k;
  if (c.body_left > 0) return false;
  NextRequest(c, now);
  return true;
}

void ConnectionLoop::NextRequest(Connection& c, SteadyTime now) {
  c.phase = Phase::kHead;
  c.got_first_byte = false;
  c.timed_out = c.continue_sent = c.ops = false;
  c.body_kind = BodyKind::kNone;
  c.body_left = 0;
  c.deadline = now + Ms(options_.keep_alive_timeout_ms);
  Due(c.deadline);
  Watch(c, true);
  Progress(c, now, true);  // a pipelined request may be there already
}

void ConnectionLoop::Progress(Connection& c, SteadyTime now, bool open) {
  // Whether the step (the head's, then the body's) is done; else the request is refused, or
  // waits for more bytes (none will come on a half-closed connection: it closes).
  Reply refusal;
  auto done = [&](RequestStep step) {
    if (step == RequestStep::kRefused) Refuse(c, std::move(refusal), now);
    if (step == RequestStep::kMore && !open) Close(c);
    return step == RequestStep::kDone;
  };
  if (c.phase == Phase::kHead) {
    if (!c.got_first_byte && SkipBlankLines(c)) {
      c.got_first_byte = true;
      c.deadline = now + Ms(options_.request_timeout_ms);
      Due(c.deadline);
    }
    if (!done(TakeHead(c, *params_, &refusal))) return;
    if (c.phase == Phase::kBody && c.request->getExpectContinue()) {
      const std::string line = c.request->getVersion() + " 100 Continue\r\n\r\n";
      [[maybe_unused]] ssize_t n = ::send(c.fd, line.data(), line.size(), MSG_NOSIGNAL);
      c.continue_sent = true;
    }
    if (!open) c.must_close = true;  // the client sent all it will (a half-close)
  }
  if (c.phase == Phase::kBody && !done(TakeBody(c, &refusal))) return;
  Dispatch(c, now);
}

bool SkipBlankLines(Connection& c) {
  // Blank lines before a request line are ignored (RFC 9112 2.2).
  c.in.erase(0, c.in.find_first_not_of("\r\n"));
  return !c.in.empty();
}

RequestStep TakeHead(Connection& c, const Poco::Net::HTTPServerParams& params, Reply* refusal) {
  size_t end = 0;
  switch (ScanHead(c.in, &end)) {
    case HeadScan::kUriTooLong:
      *refusal = UriTooLong(kMaxRequestLine);
      return RequestStep::kRefused;
    case HeadScan::kHeaderTooLarge:
      *refusal = HeaderFieldsTooLarge(kMaxHeaderBytes);
      return RequestStep::kRefused;
    case HeadScan::kIncomplete:
      return RequestStep::kMore;
    case HeadScan::kComplete:
      break;
  }
  c.response = std::make_unique<ServerResponse>(c);
  c.request = std::make_unique<ServerRequest>(c, *c.response, params);
  try {
    std::istringstream head(c.in.substr(0, end));
    c.request->read(head);
  } catch (const Poco::Exception& e) {
    c.request.reset();
    *refusal = ProblemReply(Status::InvalidRequest("malformed request head: " + e.message()));
    return RequestStep::kRefused;
  }
  // The answer's status line repeats the request's version (HTTP/1.0 or 1.1 framing and
  // keep-alive rules follow it): any other, "HTTP/0.1" or "HTTP/9.9", would have been echoed
  // in an answer no client can read (found by fuzz_http_pipeline).
  const std::string& version = c.request->getVersion();
  if (version != Poco::Net::HTTPMessage::HTTP_1_1 && version != Poco::Net::HTTPMessage::HTTP_1_0) {
    *refusal = ProblemReply(Status::InvalidRequest(
        "the HTTP version is HTTP/1.1 or HTTP/1.0, not " + QuotedVersion(version)));
    return RequestStep::kRefused;
  }
  c.in.erase(0, end);
  int lengths = 0, codings = 0;
  std::string length, coding;
  for (const auto& [name, value] : *c.request) {
    if (Poco::icompare(name, "Content-Length") == 0) ++lengths, length = value;
    if (IsTransferEncoding(name)) ++codings, coding = value;
  }
  // Ambiguous framing is refused by the pipeline (400); the connection closes after it.
  c.body_kind = BodyKind::kNone;
  if (codings > 0 || lengths > 1) {
    const bool chunked = codings == 1 && lengths == 0 && Poco::icompare(coding, "chunked") == 0;
    if (chunked) c.body_kind = BodyKind::kChunked;
    c.must_close = !chunked;
  } else if (lengths == 1) {
    const bool digits = !length.empty() && length.size() <= 18 &&
                        length.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) {
      *refusal = ProblemReply(
          Status::InvalidRequest("Content-Length is not a number", {"Content-Length"}));
      return RequestStep::kRefused;
    }
    c.body_left = std::stoull(length);
    c.body_kind = c.body_left > 0 ? BodyKind::kFixed : BodyKind::kNone;
  }
  std::string path;
  try {
    path = Poco::URI(c.request->getURI()).getPath();
  } catch (const Poco::Exception&) {
    // the pipeline answers it
  }
  c.ops = path == "/healthz" || path == "/readyz";
  c.chunked = ChunkedDecoder();
  c.body_scan = 0;
  const RouteMatch match = MatchRoute(c.request->getMethod(), path);
  if (match.route != nullptr && match.route->is_public && c.body_kind != BodyKind::kNone &&
      !c.must_close) {
    // Login: its body is read by the event loop, so a slow one holds no worker.
    if (c.body_kind == BodyKind::kFixed && c.body_left > kMaxPublicBodyBytes) {
      *refusal = PayloadTooLarge("64 KiB on " + match.route->pattern);
      return RequestStep::kRefused;
    }
    c.phase = Phase::kBody;
  }
  return RequestStep::kDone;
}

RequestStep TakeBody(Connection& c, Reply* refusal) {
  if (c.body_kind == BodyKind::kFixed) {
    return c.in.size() >= c.body_left ? RequestStep::kDone : RequestStep::kMore;
  }
  c.body_scan += c.chunked.Feed(c.in.data() + c.body_scan, c.in.size() - c.body_scan, nullptr);
  if (c.chunked.decoded() > kMaxPublicBodyBytes || c.in.size() >= 2 * kMaxPublicBodyBytes) {
    *refusal = PayloadTooLarge("64 KiB on " + c.request->getURI());
    return RequestStep::kRefused;
  }
  if (c.chunked.state() == ChunkedDecoder::State::kMore) return RequestStep::kMore;
  c.chunked = ChunkedDecoder();  // the worker decodes it again, from the start
  c.body_scan = 0;
  return RequestStep::kDone;
}

std::string RefusalBytes(ApiContext& ctx, const Connection& c, Reply reply) {
  const std::string method = c.request ? c.request->getMethod() : "-";
  const std::string path = c.request ? c.request->getURI() : "-";
  return EarlyAnswer(ctx, std::move(reply), method, path);
}

void ConnectionLoop::Dispatch(Connection& c, SteadyTime now) {
  Watch(c, false);
  c.last_used = now;
  c.phase = Phase::kWorker;
  (c.ops ? ops_ : app_).Push(&c);
}

// On a worker: one request, then back to the event loop.
void ConnectionLoop::Serve(Connection* conn) {
  ServeRequest(ctx_, *conn);
  {
    std::lock_guard<std::mutex> lock(returned_mu_);
    returned_.push_back(conn);
  }
  Wake();
}

void ServeRequest(ApiContext& ctx, Connection& c) {
  ServerRequest& req = *c.request;
  ServerResponse& res = *c.response;
  res.setVersion(req.getVersion());
  res.setKeepAlive(req.getKeepAlive() && !c.must_close);
  res.setDate(Poco::Timestamp());
  res.set_head_request(req.getMethod() == "HEAD");
  // As Poco's server: the interim answer before the pipeline, which may then refuse the
  // request without reading its body (dropped afterwards by the event loop).
  if (req.getExpectContinue() && !c.continue_sent && !c.must_close) res.sendContinue();
  try {
    RequestPipeline pipeline(ctx);
    pipeline.handleRequest(req, res);  // lets no exception out
    if (!res.Finish() || !res.getKeepAlive()) c.must_close = true;
  } catch (const std::exception& e) {
    spdlog::error("serving a request failed: {}", e.what());
    c.must_close = true;
    // Not a silent close: the client (and fuzz_http_pipeline) sees the failure.
    if (!res.sent()) {
      const std::string bytes = RefusalBytes(ctx, c, InternalError());
      c.WriteAll(bytes.data(), bytes.size());
    }
  }
  if (c.body_kind == BodyKind::kChunked && c.chunked.state() != ChunkedDecoder::State::kDone) {
    c.must_close = true;
  }
  if (c.body_kind == BodyKind::kFixed && c.body_left > kDrainLimit) c.must_close = true;
  c.request.reset();
  c.response.reset();
}

std::string AnswerRequestBytes(ApiContext& ctx, const std::string& bytes) {
  Connection c(-1);
  c.client = c.server = Poco::Net::SocketAddress("127.0.0.1", 0);
  c.client_ip = "127.0.0.1";
  c.in = bytes;
  Poco::AutoPtr<Poco::Net::HTTPServerParams> params(new Poco::Net::HTTPServerParams);
  // As ConnectionLoop::Progress with every byte in and the client's side closed after them.
  SkipBlankLines(c);
  Reply refusal;
  RequestStep step = TakeHead(c, *params, &refusal);
  if (step == RequestStep::kDone && c.phase == Phase::kBody) step = TakeBody(c, &refusal);
  if (step == RequestStep::kRefused) return RefusalBytes(ctx, c, std::move(refusal));
  if (step == RequestStep::kMore) return "";  // closed without an answer: the request never arrived
  c.must_close = true;
  ServeRequest(ctx, c);
  return c.sent;
}

void ConnectionLoop::TakeReturned(SteadyTime now) {
  std::vector<Connection*> back;
  {
    std::lock_guard<std::mutex> lock(returned_mu_);
    back.swap(returned_);
  }
  for (Connection* c : back) {
    if (stopping_) {
      Close(*c);
    } else if (c->must_close) {
      Linger(*c, now);
    } else if (c->body_kind == BodyKind::kFixed && c->body_left > 0) {
      // An early answer left the body unread: drop it here, then go on.
      c->phase = Phase::kDiscard;
      c->deadline = std::max(c->deadline, now + Ms(options_.keep_alive_timeout_ms));
      Due(c->deadline);
      Watch(*c, true);
      DropBody(*c, now);
    } else {
      NextRequest(*c, now);
    }
  }
}

}  // namespace rsoflow::api
