// HttpServer's connections (conn_loop.h). Issue 17, finding 4: 64-70 idle or slowly-sending
// sockets made Poco's HTTPServer, a thread per connection with a 30 s timeout per read,
// answer nothing.
//
// Design: one event-loop thread (epoll) owns every connection while it waits for bytes.
// It reads request heads into a per-connection buffer and checks their limits (414, 431),
// parses a complete head (Poco's HTTPRequest::read), and only then hands the request to a
// worker. So a connection holds a thread only while its request is being served: idle and
// slow sockets cost a descriptor and a few KiB each.
// - Deadlines, not per-read timeouts: a connection waits keep_alive_timeout for the first
//   byte of a request (then it is closed, silently); from that byte the whole request, head
//   and body, must arrive within request_timeout, or it is answered 408 and closed.
// - Bodies: the pipeline authenticates before it reads a body, so a body is read by the
//   worker (from the buffer, then the socket, up to the same deadline) only for a caller
//   that holds a valid token. The one public route with a body, login, has its body read by
//   the event loop before a worker takes it. What the pipeline leaves unread (an early
//   answer) is dropped by the event loop, not the worker.
// - Limits: at most max_connections_per_address connections from one client address (the
//   next is answered 429 and closed), at most max_connections in all (an idle connection,
//   the longest idle first, is closed to make room; if none, 503 and close).
// - /healthz and /readyz have their own two threads: they never queue behind application
//   requests, however busy the workers are.
// - Answers that close a connection are followed by a lingering close (stop sending, read
//   and drop for up to kLinger), so the client reads the answer rather than a reset.
// - Stop: close the listening socket and every connection that waits; the requests already
//   handed to workers are answered, then their connections closed.
#include "api/conn_loop.h"

#include <Poco/Exception.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "api/pipeline.h"
#include "api/problem.h"

namespace rsoflow::api {
namespace {

using Phase = Connection::Phase;

constexpr auto kLinger = std::chrono::seconds(2);
// Read ahead in the event loop: a whole head at its limits, or a public route's body.
constexpr size_t kHeadReadLimit = kMaxRequestLine + kMaxHeaderBytes + 4096;

}  // namespace

Workers::Workers(int threads, const char* name, std::function<void(Connection*)> serve)
    : serve_(std::move(serve)) {
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this, name] {
      pthread_setname_np(pthread_self(), name);  // for top -H (OPERATIONS, "Threads")
      Run();
    });
  }
}

void Workers::Push(Connection* c) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(c);
  cv_.notify_one();
}

void Workers::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    cv_.notify_all();
  }
  for (auto& t : threads_) t.join();
  threads_.clear();
}

void Workers::Run() {
  for (;;) {
    Connection* c;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;
      c = queue_.front();
      queue_.pop_front();
    }
    serve_(c);
  }
}

ConnectionLoop::ConnectionLoop(ApiContext& ctx, const ServerOptions& options,
                               Poco::Net::ServerSocket socket)
    : ctx_(ctx),
      options_(options),
      listener_(std::move(socket)),
      params_(new Poco::Net::HTTPServerParams),
      app_(std::max(1, options.max_threads), "rsoflow-worker", [this](Connection* c) { Serve(c); }),
      ops_(2, "rsoflow-ops", [this](Connection* c) { Serve(c); }) {
  epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
  wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  listener_.setBlocking(false);
  listen_fd_ = listener_.impl()->sockfd();
  Watch(listen_fd_, true);
  Watch(wake_, true);
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "rsoflow-http");
    Run();
  });
}

ConnectionLoop::~ConnectionLoop() {
  stopping_ = true;
  Wake();
  thread_.join();
  app_.Stop();
  ops_.Stop();
  ::close(wake_);
  ::close(epoll_);
}

void ConnectionLoop::Watch(int fd, bool on) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = fd;
  ::epoll_ctl(epoll_, on ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, fd, &ev);
}

void ConnectionLoop::Watch(Connection& c, bool on) {
  if (c.registered != on) Watch(c.fd, on);
  c.registered = on;
}

void ConnectionLoop::Wake() {
  const uint64_t one = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_, &one, sizeof one);
}

void ConnectionLoop::Run() {
  epoll_event events[128];
  bool closed_down = false;
  for (;;) {
    const auto wait =
        std::chrono::duration_cast<std::chrono::milliseconds>(next_due_ - Clock::now());
    const int timeout = static_cast<int>(std::clamp<int64_t>(wait.count() + 1, 0, 1000));
    const int n = ::epoll_wait(epoll_, events, 128, timeout);
    const SteadyTime now = Clock::now();
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == listen_fd_) {
        Accept(now);
      } else if (fd == wake_) {
        uint64_t v;
        [[maybe_unused]] ssize_t r = ::read(wake_, &v, sizeof v);
      } else if (auto it = conns_.find(fd); it != conns_.end()) {
        OnReadable(*it->second, now);
      }
    }
    TakeReturned(now);
    if (stopping_ && !closed_down) {
      closed_down = true;
      Watch(listen_fd_, false);
      listener_.close();
      std::vector<Connection*> waiting;
      for (auto& [fd, c] : conns_) {
        if (c->phase != Phase::kWorker) waiting.push_back(c.get());
      }
      for (Connection* c : waiting) Close(*c);
    }
    if (closed_down && conns_.empty()) return;
    if (now >= next_due_ || accept_paused_) Sweep(now);
  }
}

void ConnectionLoop::Accept(SteadyTime now) {
  for (int i = 0; i < 64 && !stopping_; ++i) {
    sockaddr_storage peer{};
    socklen_t len = sizeof peer;
    const int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &len,
                             SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Out of descriptors: stop accepting for a moment (the listener would stay
        // readable and spin the loop), and make room by closing an idle connection.
        spdlog::warn("cannot accept a connection: {}", std::strerror(errno));
        Watch(listen_fd_, false);
        accept_paused_ = true;
        resume_accept_ = now + std::chrono::milliseconds(100);
        Due(resume_accept_);
        EvictIdle();
      }
      return;
    }
    auto c = std::make_unique<Connection>(fd);
    c->client = Poco::Net::SocketAddress(reinterpret_cast<sockaddr*>(&peer), len);
    c->client_ip = c->client.host().toString();
    sockaddr_storage self{};
    socklen_t self_len = sizeof self;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&self), &self_len) == 0) {
      c->server = Poco::Net::SocketAddress(reinterpret_cast<sockaddr*>(&self), self_len);
    }
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    const int cap = options_.max_connections_per_address;
    if (auto n = per_address_.find(c->client_ip);
        cap > 0 && n != per_address_.end() && n->second >= cap) {
      RefuseNew(*c, TooManyConnectionsFromAddress(cap));
      continue;
    }
    if (static_cast<int>(conns_.size()) >= options_.max_connections && !EvictIdle()) {
      RefuseNew(*c, TooManyConnections());
      continue;
    }
    ++per_address_[c->client_ip];
    Connection& conn = *c;
    conns_.emplace(fd, std::move(c));
    Watch(conn, true);
    conn.deadline = now + Ms(options_.keep_alive_timeout_ms);
    conn.last_used = now;
    Due(conn.deadline);
  }
}

// Answers a connection that is not taken in and closes it at once.
void ConnectionLoop::RefuseNew(Connection& c, Reply reply) {
  const std::string bytes = EarlyAnswer(ctx_, std::move(reply), "-", "-");
  [[maybe_unused]] ssize_t n = ::send(c.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  ::shutdown(c.fd, SHUT_WR);
}  // the caller's unique_ptr closes it

// Closes the connection used the least recently of those waiting for a request with nothing
// of it received.
bool ConnectionLoop::EvictIdle() {
  Connection* oldest = nullptr;
  for (auto& [fd, c] : conns_) {
    if (c->phase == Phase::kHead && !c->got_first_byte &&
        (oldest == nullptr || c->last_used < oldest->last_used)) {
      oldest = c.get();
    }
  }
  if (oldest != nullptr) Close(*oldest);
  return oldest != nullptr;
}

void ConnectionLoop::Close(Connection& c) {
  Watch(c, false);
  ::shutdown(c.fd, SHUT_WR);
  auto count = per_address_.find(c.client_ip);
  if (count != per_address_.end() && --count->second <= 0) per_address_.erase(count);
  conns_.erase(c.fd);  // closes the socket
}

// Answers with a problem document, then closes with a linger.
void ConnectionLoop::Refuse(Connection& c, Reply reply, SteadyTime now) {
  const std::string bytes = RefusalBytes(ctx_, c, std::move(reply));
  [[maybe_unused]] ssize_t n = ::send(c.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  Linger(c, now);
}

void ConnectionLoop::Linger(Connection& c, SteadyTime now) {
  c.request.reset();
  c.response.reset();
  c.in.clear();
  ::shutdown(c.fd, SHUT_WR);
  c.phase = Phase::kLinger;
  c.deadline = now + kLinger;
  Due(c.deadline);
  Watch(c, true);
}

void ConnectionLoop::OnReadable(Connection& c, SteadyTime now) {
  switch (c.phase) {
    case Phase::kHead:
    case Phase::kBody: {
      // A public body (at most 64 KiB of data) may come in chunks: room for their framing.
      const bool open =
          c.ReadAvailable(c.phase == Phase::kHead ? kHeadReadLimit : 2 * kMaxPublicBodyBytes);
      Progress(c, now, open);
      return;
    }
    case Phase::kDiscard:
    case Phase::kLinger: {
      const bool open = c.ReadAvailable(c.in.size() + 65536);
      if (c.phase == Phase::kLinger) {
        c.in.clear();
        if (!open) Close(c);
        return;
      }
      if (!DropBody(c, now) && !open) Close(c);
      return;
    }
    case Phase::kWorker:
      return;
  }
}

void ConnectionLoop::Sweep(SteadyTime now) {
  if (accept_paused_ && now >= resume_accept_ && !stopping_) {
    accept_paused_ = false;
    Watch(listen_fd_, true);
  }
  next_due_ = now + std::chrono::seconds(1);
  std::vector<Connection*> expired;
  for (auto& [fd, c] : conns_) {
    if (c->phase == Phase::kWorker) continue;
    if (c->deadline <= now) {
      expired.push_back(c.get());
    } else {
      next_due_ = std::min(next_due_, c->deadline);
    }
  }
  for (Connection* c : expired) {
    const bool partial =
        (c->phase == Phase::kHead && c->got_first_byte) || c->phase == Phase::kBody;
    if (partial) {
      c->timed_out = true;
      Refuse(*c, RequestTimeout(), now);  // a slowloris: 408, then close
    } else {
      Close(*c);  // idle too long, a body nobody waited for, a linger over
    }
  }
}

}  // namespace rsoflow::api
