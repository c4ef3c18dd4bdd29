// One HTTP/1.1 connection of HttpServer (server.cpp) and the request and response objects the
// pipeline sees: Poco's HTTPServerRequest / HTTPServerResponse interfaces over our own
// socket code, so that reading a request head never holds a worker thread (issue 17,
// finding 4) and a head that is too long is answered by us (finding 6).
//
// A connection is owned by the server's event loop while it waits for bytes (the head, a
// login's body, the rest of a body nobody read, a lingering close), and by one worker while
// its request is served; the hand-over goes through the server's queues (a mutex), so at any
// moment one thread touches it.
//
// On the wire: the head is read into `in` and parsed by Poco's HTTPRequest::read; the body
// is read by the worker from the rest of `in`, then from the socket, until `deadline` (the
// whole request, head and body, must arrive by then: a slowloris cannot stretch it a byte at
// a time). Answers are written with send(MSG_NOSIGNAL), waiting for the socket at most
// kSendTimeout at a time, as Poco's 30 s socket timeout did.
#pragma once

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SocketAddress.h>

#include <chrono>
#include <cstdint>
#include <istream>
#include <memory>
#include <ostream>
#include <string>

namespace rsoflow::api {

using SteadyTime = std::chrono::steady_clock::time_point;

// Limits of a request head. Past them the answer is 414 (request line) or 431 (header
// fields), a problem document, and the connection is closed. They sit below Poco's own
// parser limits (field name 256, value 8192, 100 fields), so that parser never refuses first.
inline constexpr size_t kMaxRequestLine = 8192;
inline constexpr size_t kMaxHeaderBytes = 8192;  // all header field lines together
inline constexpr size_t kMaxHeaderFields = 100;
inline constexpr size_t kMaxHeaderNameBytes = 256;

enum class HeadScan { kIncomplete, kComplete, kUriTooLong, kHeaderTooLarge };
// Looks for the end of the head (the first empty line) at the start of `in`; `*end` is the
// offset just past it. Lines end with LF or CRLF.
HeadScan ScanHead(const std::string& in, size_t* end);

// Decodes a chunked body incrementally (RFC 9112 7.1): chunk sizes with extensions, data,
// trailers. Malformed input (a bad size, data not followed by CRLF) is kBad.
class ChunkedDecoder {
 public:
  enum class State { kMore, kDone, kBad };
  // Consumes bytes of `data` (all of them unless the body ends inside them), appending the
  // decoded data to `out` when it is not null; returns how many bytes it consumed.
  size_t Feed(const char* data, size_t n, std::string* out);
  State state() const { return state_; }
  uint64_t decoded() const { return decoded_; }

 private:
  enum class Phase { kSizeLine, kData, kDataEnd, kTrailer };
  Phase phase_ = Phase::kSizeLine;
  State state_ = State::kMore;
  std::string line_;
  uint64_t remaining_ = 0;
  uint64_t decoded_ = 0;
};

class ServerRequest;
class ServerResponse;

enum class BodyKind { kNone, kFixed, kChunked };

struct Connection {
  // Owns the socket. Without one (-1), the connection is in memory: the request is what is
  // put in `in`, its end is the end of the client's bytes, and the answer goes to `sent`
  // (AnswerRequestBytes, the HTTP fuzz target's way through the server's own code).
  explicit Connection(int socket);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  enum class Phase { kHead, kBody, kDiscard, kLinger, kWorker };

  const int fd;
  Poco::Net::SocketAddress client, server;
  std::string client_ip;
  Phase phase = Phase::kHead;
  std::string in;       // bytes read and not yet used; the head first
  size_t head_end = 0;  // where the head ends in `in` once it is complete
  SteadyTime deadline;  // of the current phase
  // When it was accepted or its last request was taken up, before that request's answer
  // went out: a client that read the answer and then connected again is always later.
  SteadyTime last_used;
  bool got_first_byte = false;  // of the current request
  bool must_close = false;      // framing in doubt, a timeout, a broken write
  bool continue_sent = false;   // 100 Continue already written
  bool timed_out = false;       // the request did not arrive by its deadline
  bool write_failed = false;    // the client took no more bytes
  bool registered = false;      // in the event loop's epoll set
  BodyKind body_kind = BodyKind::kNone;
  uint64_t body_left = 0;  // kFixed: bytes of the body not yet read (nor discarded)
  ChunkedDecoder chunked;  // kChunked: the event loop's check of a login's body, then
                           // the worker's decoding
  size_t body_scan = 0;    // how much of `in` the event loop's check has fed to `chunked`
  bool ops = false;        // /healthz or /readyz: served on their own threads
  std::unique_ptr<ServerResponse> response;
  std::unique_ptr<ServerRequest> request;
  std::string sent;  // without a socket: every byte written

  // Reads what is available into `in` (at most `max` bytes); false when the peer closed or
  // the socket failed. Never blocks (the socket is non-blocking).
  bool ReadAvailable(size_t max);
  // Writes all of `bytes`, waiting for the socket at most `timeout` at a time; false (and
  // must_close) when that fails.
  bool WriteAll(const char* data, size_t n);
  // Up to `n` bytes of the body's raw stream: what is left in `in`, then the socket, waiting
  // until `deadline`. 0: the peer closed; -1: the deadline passed or the socket failed.
  long ReadRaw(char* out, size_t n);
};

// The request of a connection whose head has been parsed (Poco's HTTPRequest::read), with
// the body stream. Thread-safety: used by one thread at a time, as its connection.
class ServerRequest final : public Poco::Net::HTTPServerRequest {
 public:
  ServerRequest(Connection& conn, ServerResponse& response,
                const Poco::Net::HTTPServerParams& params);
  ~ServerRequest() override;
  std::istream& stream() override;
  const Poco::Net::SocketAddress& clientAddress() const override { return conn_.client; }
  const Poco::Net::SocketAddress& serverAddress() const override { return conn_.server; }
  const Poco::Net::HTTPServerParams& serverParams() const override { return params_; }
  Poco::Net::HTTPServerResponse& response() const override;
  bool secure() const override { return false; }

  Connection& connection() { return conn_; }
  // The body did not arrive whole by the request's deadline.
  bool timed_out() const { return conn_.timed_out; }

 private:
  class BodyBuf;
  Connection& conn_;
  ServerResponse& response_;
  const Poco::Net::HTTPServerParams& params_;
  std::unique_ptr<BodyBuf> body_;
  std::unique_ptr<std::istream> stream_;
};

class ServerResponse final : public Poco::Net::HTTPServerResponse {
 public:
  explicit ServerResponse(Connection& conn);
  ~ServerResponse() override;
  void sendContinue() override;
  std::ostream& send() override;
  void sendFile(const std::string& path, const std::string& media_type) override;
  void sendBuffer(const void* buffer, std::size_t length) override;
  void redirect(const std::string& uri, HTTPStatus status) override;
  void requireAuthentication(const std::string& realm) override;
  bool sent() const override { return sent_; }

  // The header block and `body` in one write (no body for HEAD, 1xx, 204, 304).
  void SendWhole(const std::string& body);
  // Ends what send() began (the last chunk of a chunked body); false when the answer could
  // not be written whole.
  bool Finish();
  // Cuts the answer short: the client must see it incomplete (a stream that failed).
  void Abort();
  void set_head_request(bool head) { head_request_ = head; }

 private:
  class OutBuf;
  Connection& conn_;
  bool sent_ = false;
  bool head_request_ = false;
  bool aborted_ = false;
  std::unique_ptr<OutBuf> out_;
  std::unique_ptr<std::ostream> stream_;
};

// The status line and header block of `res` as Poco's HTTPResponse::write puts them.
std::string HeaderBlock(const Poco::Net::HTTPResponse& res);

}  // namespace rsoflow::api
