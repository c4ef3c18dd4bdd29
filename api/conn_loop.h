// ConnectionLoop: HttpServer's connections (design at the top of conn_loop.cpp). One
// event-loop thread owns every connection while it waits for bytes and hands a request to a
// worker only once its head is complete; /healthz and /readyz have workers of their own.
//
// conn_loop.cpp: the event loop (accept, read, deadlines, limits, closing);
// conn_requests.cpp: a request's way from its head to a worker and back.
//
// Thread-safety: made and destroyed by HttpServer (one thread); a connection is touched by
// the event loop, or by the one worker serving it, handed over through the queues below.
#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/http_conn.h"
#include "api/http_util.h"
#include "api/server.h"

namespace rsoflow::api {

// A body sent to a public route (login) is read by the event loop, so it is kept small.
inline constexpr size_t kMaxPublicBodyBytes = 64 * 1024;

// Threads taking connections from a queue, each to serve one request.
class Workers {
 public:
  Workers(int threads, const char* name, std::function<void(Connection*)> serve);
  ~Workers() { Stop(); }
  void Push(Connection* c);
  void Stop();  // serves what is queued, then joins

 private:
  void Run();
  std::function<void(Connection*)> serve_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Connection*> queue_;
  bool stop_ = false;
  std::vector<std::thread> threads_;
};

// conn_requests.cpp: the steps of a request that need no event loop. ConnectionLoop takes
// every request through them, and so does AnswerRequestBytes (the HTTP fuzz target's way in).
enum class RequestStep { kMore, kRefused, kDone };
// Drops the blank lines before a request line (RFC 9112 2.2); true when a byte of the
// request is in.
bool SkipBlankLines(Connection& c);
// Takes a request's head from the start of c.in: kMore until it is complete; kRefused with
// the answer in *refusal (414, 431, 400, 413), after which the connection closes; kDone with
// c.request parsed and the body's framing worked out, and c.phase kBody when the body is a
// public route's (login), which the event loop reads (TakeBody) before a worker serves it.
RequestStep TakeHead(Connection& c, const Poco::Net::HTTPServerParams& params, Reply* refusal);
// Whether a public route's body is all in c.in: kMore, kRefused (413), kDone.
RequestStep TakeBody(Connection& c, Reply* refusal);
// A worker's part: the request through the pipeline and the answer written; c.must_close
// when the connection cannot carry another request.
void ServeRequest(ApiContext& ctx, Connection& c);
// The answer to a request refused before the pipeline, as the event loop sends it.
std::string RefusalBytes(ApiContext& ctx, const Connection& c, Reply reply);
// One request as raw bytes (request line, header fields, body) from a client that then
// closes its side: the same steps as on a server's connection, in memory, and every byte
// the server would send back (a 100 Continue first, perhaps); empty when the head never
// completed (the server closes without an answer).
std::string AnswerRequestBytes(ApiContext& ctx, const std::string& bytes);

class ConnectionLoop {
 public:
  // Starts the threads; `socket` listens already.
  ConnectionLoop(ApiContext& ctx, const ServerOptions& options, Poco::Net::ServerSocket socket);
  // Closes the listening socket and the connections waiting for bytes, lets the workers
  // answer the requests they hold, closes those connections, joins every thread.
  ~ConnectionLoop();

 private:
  using Clock = std::chrono::steady_clock;

  // conn_loop.cpp
  void Run();
  void Accept(SteadyTime now);
  void RefuseNew(Connection& c, Reply reply);
  bool EvictIdle();
  void Close(Connection& c);
  void Refuse(Connection& c, Reply reply, SteadyTime now);
  void Linger(Connection& c, SteadyTime now);
  void OnReadable(Connection& c, SteadyTime now);
  void Sweep(SteadyTime now);
  void Watch(int fd, bool on);
  void Watch(Connection& c, bool on);
  void Wake();
  void Due(SteadyTime t) { next_due_ = std::min(next_due_, t); }
  Clock::duration Ms(int ms) const { return std::chrono::milliseconds(ms); }

  // conn_requests.cpp
  bool DropBody(Connection& c, SteadyTime now);
  void NextRequest(Connection& c, SteadyTime now);
  void Progress(Connection& c, SteadyTime now, bool open);
  void Dispatch(Connection& c, SteadyTime now);
  void Serve(Connection* conn);
  void TakeReturned(SteadyTime now);

  ApiContext& ctx_;
  const ServerOptions& options_;
  Poco::Net::ServerSocket listener_;
  Poco::AutoPtr<Poco::Net::HTTPServerParams> params_;
  int epoll_ = -1, wake_ = -1, listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  // The event loop's own: every connection open, and how many from each address.
  std::unordered_map<int, std::unique_ptr<Connection>> conns_;
  std::unordered_map<std::string, int> per_address_;
  SteadyTime next_due_ = Clock::now();
  bool accept_paused_ = false;
  SteadyTime resume_accept_;
  std::mutex returned_mu_;
  std::vector<Connection*> returned_;  // served, back from the workers
  Workers app_, ops_;
  std::thread thread_;
};

}  // namespace rsoflow::api
