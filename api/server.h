// HttpServer: rsoflow's HTTP API v1 (API.md) on Poco::Net. The routing table and the request
// pipeline live in routes.* and pipeline.*, the handlers in one file per resource; this class
// owns the listening socket, the thread pool and the API's shared state (token cache, login
// throttle, metrics).
//
// Poco serves one keep-alive connection per thread, so the pool is sized for max_threads
// concurrent clients plus a queue of max_queued accepted connections.
//
// Thread-safety: Start/Stop from one thread; requests are served on Poco's thread pool.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "api/auth.h"
#include "api/authenticator.h"
#include "api/login_throttle.h"
#include "api/metrics.h"
#include "api/routes.h"
#include "engine/status.h"

namespace Poco::Net {
class HTTPServer;
}
namespace Poco {
class ThreadPool;
}

namespace rsoflow {

class Runtime;

struct ServerOptions {
  std::string bind = "127.0.0.1";
  uint16_t port = 8080;  // 0 picks an ephemeral port
  int max_threads = 64;  // one per keep-alive connection (Poco serves a connection per thread)
  int max_queued = 256;
  api::ApiOptions api;  // PBKDF2 cost, session expiry, login throttling
};

class HttpServer {
 public:
  HttpServer(Runtime& runtime, ServerOptions options);
  ~HttpServer();
  Status Start();
  // Stops accepting, closes idle keep-alive connections and waits for the requests in
  // flight to be answered (their commands commit: the engine is still running). Idempotent.
  void Stop();
  uint16_t port() const { return port_; }

 private:
  Runtime& runtime_;
  ServerOptions options_;
  api::Authenticator authenticator_;
  api::LoginThrottle throttle_;
  api::Metrics metrics_;
  api::WebAssets web_;
  api::RoutingTable routes_;
  api::ApiContext context_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  uint16_t port_ = 0;
};

}  // namespace rsoflow
