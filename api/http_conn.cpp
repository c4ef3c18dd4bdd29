#include "api/http_conn.h"

#include <Poco/Exception.h>
#include <errno.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>

namespace rsoflow::api {
namespace {

// How long a write may wait for the client to take bytes (Poco's socket timeout was 30 s).
constexpr int kSendTimeoutMs = 30000;
constexpr size_t kMaxChunkLine = 4096;  // a chunk-size line or a trailer line

int MsUntil(SteadyTime deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<int64_t>(left.count() + 1, 60000));
}

bool ParseChunkSize(const std::string& line, uint64_t* size) {
  size_t i = 0;
  uint64_t v = 0;
  for (; i < line.size() && std::isxdigit(static_cast<unsigned char>(line[i])); ++i) {
    if (i >= 15) return false;  // 2^60: far beyond any body we take
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(line[i])));
    v = v * 16 + static_cast<uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  }
  if (i == 0) return false;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i < line.size() && line[i] != ';') return false;  // only extensions may follow
  *size = v;
  return true;
}

}  // namespace

HeadScan ScanHead(const std::string& in, size_t* end) {
  const size_t first = in.find('\n');
  if (first == std::string::npos) {
    return in.size() > kMaxRequestLine ? HeadScan::kUriTooLong : HeadScan::kIncomplete;
  }
  if (first > kMaxRequestLine) return HeadScan::kUriTooLong;
  size_t pos = first + 1, header_bytes = 0, fields = 0;
  for (;;) {
    const size_t nl = in.find('\n', pos);
    const size_t line_end = nl == std::string::npos ? in.size() : nl;
    size_t len = line_end - pos;
    if (nl != std::string::npos && len > 0 && in[nl - 1] == '\r') --len;
    if (nl != std::string::npos && len == 0) {
      *end = nl + 1;
      return HeadScan::kComplete;
    }
    header_bytes += line_end - pos + (nl == std::string::npos ? 0 : 1);
    if (header_bytes > kMaxHeaderBytes) return HeadScan::kHeaderTooLarge;
    const bool folded = in[pos] == ' ' || in[pos] == '\t';
    if (!folded && len > 0) {
      const size_t colon = in.find(':', pos);
      const size_t name = colon == std::string::npos || colon > pos + len ? len : colon - pos;
      if (name > kMaxHeaderNameBytes) return HeadScan::kHeaderTooLarge;
      if (nl != std::string::npos && ++fields > kMaxHeaderFields) {
        return HeadScan::kHeaderTooLarge;
      }
    }
    if (nl == std::string::npos) return HeadScan::kIncomplete;
    pos = nl + 1;
  }
}

size_t ChunkedDecoder::Feed(const char* data, size_t n, std::string* out) {
  size_t i = 0;
  while (i < n && state_ == State::kMore) {
    if (phase_ == Phase::kData) {
      const size_t take = static_cast<size_t>(std::min<uint64_t>(remaining_, n - i));
      if (out != nullptr) out->append(data + i, take);
      decoded_ += take;
      remaining_ -= take;
      i += take;
      if (remaining_ == 0) phase_ = Phase::kDataEnd;
      continue;
    }
    const void* nl = std::memchr(data + i, '\n', n - i);
    const size_t take =
        nl ? static_cast<size_t>(static_cast<const char*>(nl) - (data + i)) + 1 : n - i;
    line_.append(data + i, take);
    i += take;
    if (line_.size() > kMaxChunkLine) {
      state_ = State::kBad;
      break;
    }
    if (nl == nullptr) break;
    line_.pop_back();
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    if (phase_ == Phase::kSizeLine) {
      uint64_t size = 0;
      if (!ParseChunkSize(line_, &size)) {
        state_ = State::kBad;
      } else if (size == 0) {
        phase_ = Phase::kTrailer;
      } else {
        remaining_ = size;
        phase_ = Phase::kData;
      }
    } else if (phase_ == Phase::kDataEnd) {
      if (line_.empty()) {
        phase_ = Phase::kSizeLine;
      } else {
        state_ = State::kBad;
      }
    } else if (line_.empty()) {  // the empty line after the trailers
      state_ = State::kDone;
    }
    line_.clear();
  }
  return i;
}

Connection::Connection(int socket) : fd(socket) {}

Connection::~Connection() {
  if (fd >= 0) ::close(fd);
}

bool Connection::ReadAvailable(size_t max) {
  char buf[16384];
  while (in.size() < max) {
    const ssize_t n = ::recv(fd, buf, std::min(sizeof buf, max - in.size()), 0);
    if (n > 0) {
      in.append(buf, static_cast<size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
  }
  return true;
}

bool Connection::WriteAll(const char* data, size_t n) {
  if (fd < 0) {
    if (!write_failed) sent.append(data, n);
    return !write_failed;
  }
  while (n > 0 && !write_failed) {
    const ssize_t w = ::send(fd, data, n, MSG_NOSIGNAL);
    if (w > 0) {
      data += w;
      n -= static_cast<size_t>(w);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      pollfd p{fd, POLLOUT, 0};
      if (::poll(&p, 1, kSendTimeoutMs) > 0) continue;
    }
    write_failed = true;
  }
  if (write_failed) must_close = true;
  return !write_failed;
}

long Connection::ReadRaw(char* out, size_t n) {
  if (!in.empty()) {
    const size_t k = std::min(n, in.size());
    std::memcpy(out, in.data(), k);
    in.erase(0, k);
    return static_cast<long>(k);
  }
  if (fd < 0) {  // in memory: the client has sent all it will
    must_close = true;
    return 0;
  }
  for (;;) {
    const ssize_t r = ::recv(fd, out, n, 0);
    if (r >= 0) {
      if (r == 0) must_close = true;
      return static_cast<long>(r);
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) break;
    const int wait = MsUntil(deadline);
    if (wait == 0) {
      timed_out = true;
      break;
    }
    pollfd p{fd, POLLIN, 0};
    ::poll(&p, 1, wait);
  }
  must_close = true;
  return -1;
}

// The body as the pipeline reads it: nothing, Content-Length bytes, or chunked data decoded.
class ServerRequest::BodyBuf final : public std::streambuf {
 public:
  explicit BodyBuf(Connection& conn) : conn_(conn) {}

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
    if (conn_.body_kind == BodyKind::kFixed) {
      if (conn_.body_left == 0) return traits_type::eof();
      const long n = conn_.ReadRaw(raw_, std::min<uint64_t>(sizeof raw_, conn_.body_left));
      if (n <= 0) return traits_type::eof();
      conn_.body_left -= static_cast<uint64_t>(n);
      setg(raw_, raw_, raw_ + n);
      return traits_type::to_int_type(*gptr());
    }
    if (conn_.body_kind != BodyKind::kChunked) return traits_type::eof();
    decoded_.clear();
    while (decoded_.empty()) {
      if (conn_.chunked.state() != ChunkedDecoder::State::kMore) {
        if (conn_.chunked.state() == ChunkedDecoder::State::kBad) conn_.must_close = true;
        return traits_type::eof();
      }
      const long n = conn_.ReadRaw(raw_, sizeof raw_);
      if (n <= 0) return traits_type::eof();
      const size_t used = conn_.chunked.Feed(raw_, static_cast<size_t>(n), &decoded_);
      // What follows the body is the next request's: back to the connection.
      conn_.in.insert(0, raw_ + used, static_cast<size_t>(n) - used);
    }
    setg(decoded_.data(), decoded_.data(), decoded_.data() + decoded_.size());
    return traits_type::to_int_type(*gptr());
  }

 private:
  Connection& conn_;
  char raw_[16384];
  std::string decoded_;
};

ServerRequest::ServerRequest(Connection& conn, ServerResponse& response,
                             const Poco::Net::HTTPServerParams& params)
    : conn_(conn), response_(response), params_(params) {}

ServerRequest::~ServerRequest() = default;

std::istream& ServerRequest::stream() {
  if (!stream_) {
    body_ = std::make_unique<BodyBuf>(conn_);
    stream_ = std::make_unique<std::istream>(body_.get());
  }
  return *stream_;
}

Poco::Net::HTTPServerResponse& ServerRequest::response() const { return response_; }

// A body as send() streams it: as it is, or in chunks; dropped for a HEAD answer.
class ServerResponse::OutBuf final : public std::streambuf {
 public:
  OutBuf(Connection& conn, bool chunked, bool discard)
      : conn_(conn), chunked_(chunked), discard_(discard) {
    setp(buf_, buf_ + sizeof buf_);
  }
  bool Close() { return Flush() && (!chunked_ || discard_ || conn_.WriteAll("0\r\n\r\n", 5)); }

 protected:
  int_type overflow(int_type c) override {
    if (!Flush()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }
  int sync() override { return Flush() ? 0 : -1; }

 private:
  bool Flush() {
    const size_t n = static_cast<size_t>(pptr() - pbase());
    setp(buf_, buf_ + sizeof buf_);
    if (n == 0 || discard_) return !conn_.write_failed;
    if (!chunked_) return conn_.WriteAll(buf_, n);
    char size[32];
    const int k = std::snprintf(size, sizeof size, "%zx\r\n", n);
    std::string chunk(size, static_cast<size_t>(k));
    chunk.append(buf_, n);
    chunk += "\r\n";
    return conn_.WriteAll(chunk.data(), chunk.size());
  }
  Connection& conn_;
  const bool chunked_, discard_;
  char buf_[8192];
};

ServerResponse::ServerResponse(Connection& conn) : conn_(conn) {}

ServerResponse::~ServerResponse() = default;

void ServerResponse::sendContinue() {
  const std::string line = getVersion() + " 100 Continue\r\n\r\n";
  conn_.WriteAll(line.data(), line.size());
  conn_.continue_sent = true;
}

std::ostream& ServerResponse::send() {
  sent_ = true;
  const int status = static_cast<int>(getStatus());
  const bool bodiless = head_request_ || status < 200 || status == 204 || status == 304;
  // Without a length or chunks, only the end of the connection ends the body.
  if (!bodiless && !getChunkedTransferEncoding() && !hasContentLength()) setKeepAlive(false);
  const std::string head = HeaderBlock(*this);
  if (!conn_.WriteAll(head.data(), head.size())) {
    throw Poco::IOException("the connection took no more bytes");
  }
  out_ = std::make_unique<OutBuf>(conn_, getChunkedTransferEncoding(), bodiless);
  stream_ = std::make_unique<std::ostream>(out_.get());
  return *stream_;
}

void ServerResponse::SendWhole(const std::string& body) {
  sent_ = true;
  std::string bytes = HeaderBlock(*this);
  const int status = static_cast<int>(getStatus());
  const bool with_body = !(head_request_ || status < 200 || status == 204 || status == 304);
  // A small body goes in the same write as the head; a large one (a report of megabytes) is
  // written from where it is, rather than copied after the head first.
  constexpr size_t kCopiedBody = 64 * 1024;
  if (with_body && body.size() <= kCopiedBody) bytes += body;
  bool written = conn_.WriteAll(bytes.data(), bytes.size());
  if (written && with_body && body.size() > kCopiedBody) {
    written = conn_.WriteAll(body.data(), body.size());
  }
  if (!written) throw Poco::IOException("the connection took no more bytes");
}

void ServerResponse::sendBuffer(const void* buffer, std::size_t length) {
  setContentLength64(static_cast<Poco::UInt64>(length));
  SendWhole(std::string(static_cast<const char*>(buffer), length));
}

void ServerResponse::sendFile(const std::string&, const std::string&) {
  throw Poco::NotImplementedException("sendFile");
}
void ServerResponse::redirect(const std::string&, HTTPStatus) {
  throw Poco::NotImplementedException("redirect");
}
void ServerResponse::requireAuthentication(const std::string&) {
  throw Poco::NotImplementedException("requireAuthentication");
}

bool ServerResponse::Finish() {
  if (!aborted_ && out_) {
    stream_->flush();
    out_->Close();
  }
  return !aborted_ && !conn_.write_failed;
}

void ServerResponse::Abort() {
  aborted_ = true;
  conn_.must_close = true;
  if (conn_.fd >= 0) ::shutdown(conn_.fd, SHUT_RDWR);
}

std::string HeaderBlock(const Poco::Net::HTTPResponse& res) {
  std::string out;
  out.reserve(512);
  out += res.getVersion();
  out += ' ';
  out += std::to_string(static_cast<int>(res.getStatus()));
  out += ' ';
  out += res.getReason();
  out += "\r\n";
  for (const auto& [name, value] : res) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  out += "\r\n";
  return out;
}

}  // namespace rsoflow::api
