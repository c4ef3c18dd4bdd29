// HttpServer: rsoflow's HTTP API v1 (API.md) on Poco::Net. The routing table and the request
// pipeline live in routes.* and pipeline.*, the handlers in one file per resource; this class
// owns the listening socket, the threads and the API's shared state (token cache, login
// throttle, metrics).
//
// Connections (issue 17, finding 4; design at the top of conn_loop.cpp): one event-loop thread
// holds every connection while it waits for bytes; a connection takes a worker thread only
// once its request head is complete (and, for the one public route with a body, login, its
// body too). So idle or slowly-sending sockets cost a file descriptor and a buffer, never a
// thread, and /healthz and /readyz are served by threads of their own.
//
// Thread-safety: Start/Stop from one thread; requests are served on the worker threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "accounts/auth.h"
#include "accounts/authenticator.h"
#include "accounts/login_throttle.h"
#include "api/metrics.h"
#include "api/routes.h"
#include "engine/status.h"

namespace rsoflow {

class Engine;
namespace api {
class ConnectionLoop;
}

struct ServerOptions {
  std::string bind = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks an ephemeral port
  int max_threads = 64;  // workers serving complete requests (not connections)
  // How long a connection may wait for the first byte of its next request (a new one too).
  int keep_alive_timeout_ms = 5000;
  // From a request's first byte, its whole head and body must arrive within this (slowloris).
  int request_timeout_ms = 10000;
  int max_connections = 1024;  // open at once, in all; an idle one is closed for a new one
  int max_connections_per_address = 64;  // open at once from one client address; 0: no cap
  api::ApiOptions api;                   // PBKDF2 cost, session expiry, login throttling
};

class HttpServer {
 public:
  // Serves `engine`'s workflows over its store; the engine must outlive the server.
  HttpServer(Engine& engine, ServerOptions options);
  ~HttpServer();
  Status Start();
  // Stops accepting, closes the connections that wait for a request and waits for the
  // requests taken in to be answered (their commands commit: the engine is still running),
  // then closes their connections. Idempotent.
  void Stop();
  uint16_t port() const { return port_; }

 private:
  ServerOptions options_;
  accounts::Authenticator authenticator_;
  accounts::LoginThrottle throttle_;
  api::Metrics metrics_;
  api::WebAssets web_;
  api::RoutingTable routes_;
  api::ApiContext context_;
  std::unique_ptr<api::ConnectionLoop> loop_;
  uint16_t port_ = 0;
};

}  // namespace rsoflow
