// A request's way through ConnectionLoop (conn_loop.h): its head parsed and its framing
// worked out, a login's body awaited, a worker, and back to the event loop for the next
// request, the rest of an unread body, or a lingering close.
#include <Poco/Exception.h>
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
  c.idle_since = now;
  Due(c.deadline);
  Watch(c, true);
  Progress(c, now, true);  // a pipelined request may be there already
}

void ConnectionLoop::Progress(Connection& c, SteadyTime now, bool open) {
  if (c.phase == Phase::kHead) {
    if (!c.got_first_byte) {
      // Blank lines before a request line are ignored (RFC 9112 2.2).
      c.in.erase(0, c.in.find_first_not_of("\r\n"));
      if (!c.in.empty()) {
        c.got_first_byte = true;
        c.deadline = now + Ms(options_.request_timeout_ms);
        Due(c.deadline);
      }
    }
    size_t end = 0;
    switch (ScanHead(c.in, &end)) {
      case HeadScan::kUriTooLong:
        return Refuse(c, UriTooLong(kMaxRequestLine), now);
      case HeadScan::kHeaderTooLarge:
        return Refuse(c, HeaderFieldsTooLarge(kMaxHeaderBytes), now);
      case HeadScan::kIncomplete:
        if (!open) Close(c);
        return;
      case HeadScan::kComplete:
        break;
    }
    if (!TakeHead(c, end, now)) return;
    if (!open) c.must_close = true;  // the client sent all it will (a half-close)
  }
  if (c.phase == Phase::kBody && !BodyArrived(c, now)) {
    if (!open && c.phase == Phase::kBody) Close(c);
    return;
  }
  Dispatch(c);
}

// Parses the head, works out where the body ends; false when the connection was refused.
bool ConnectionLoop::TakeHead(Connection& c, size_t end, SteadyTime now) {
  c.response = std::make_unique<ServerResponse>(c);
  c.request = std::make_unique<ServerRequest>(c, *c.response, *params_);
  try {
    std::istringstream head(c.in.substr(0, end));
    c.request->read(head);
  } catch (const Poco::Exception& e) {
    c.request.reset();
    Refuse(c, ProblemReply(Status::InvalidRequest("malformed request head: " + e.message())), now);
    return false;
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
      Refuse(c,
             ProblemReply(
                 Status::InvalidRequest("Content-Length is not a number", {"Content-Length"})),
             now);
      return false;
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
    // Login: its body is read here, so a slow one holds no worker.
    if (c.body_kind == BodyKind::kFixed && c.body_left > kMaxPublicBodyBytes) {
      Refuse(c, PayloadTooLarge("64 KiB on " + match.route->pattern), now);
      return false;
    }
    c.phase = Phase::kBody;
    if (c.request->getExpectContinue()) {
      const std::string line = c.request->getVersion() + " 100 Continue\r\n\r\n";
      [[maybe_unused]] ssize_t n = ::send(c.fd, line.data(), line.size(), MSG_NOSIGNAL);
      c.continue_sent = true;
    }
  }
  return true;
}

// Whether a public route's body is all in; false also when the connection was refused.
bool ConnectionLoop::BodyArrived(Connection& c, SteadyTime now) {
  if (c.body_kind == BodyKind::kFixed) return c.in.size() >= c.body_left;
  c.body_scan += c.chunked.Feed(c.in.data() + c.body_scan, c.in.size() - c.body_scan, nullptr);
  if (c.chunked.decoded() > kMaxPublicBodyBytes || c.in.size() >= 2 * kMaxPublicBodyBytes) {
    Refuse(c, PayloadTooLarge("64 KiB on " + c.request->getURI()), now);
    return false;
  }
  if (c.chunked.state() == ChunkedDecoder::State::kMore) return false;
  c.chunked = ChunkedDecoder();  // the worker decodes it again, from the start
  c.body_scan = 0;
  return true;
}

void ConnectionLoop::Dispatch(Connection& c) {
  Watch(c, false);
  c.phase = Phase::kWorker;
  (c.ops ? ops_ : app_).Push(&c);
}

// On a worker: one request, then back to the event loop.
void ConnectionLoop::Serve(Connection* conn) {
  Connection& c = *conn;
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
    RequestPipeline pipeline(ctx_);
    pipeline.handleRequest(req, res);  // lets no exception out
    if (!res.Finish() || !res.getKeepAlive()) c.must_close = true;
  } catch (const std::exception& e) {
    spdlog::error("serving a request failed: {}", e.what());
    c.must_close = true;
  }
  if (c.body_kind == BodyKind::kChunked && c.chunked.state() != ChunkedDecoder::State::kDone) {
    c.must_close = true;
  }
  if (c.body_kind == BodyKind::kFixed && c.body_left > kDrainLimit) c.must_close = true;
  c.request.reset();
  c.response.reset();
  {
    std::lock_guard<std::mutex> lock(returned_mu_);
    returned_.push_back(conn);
  }
  Wake();
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
