// HttpServer: rsoflow's HTTP front door on Poco::Net. This file set is the only place that
// knows Poco::Net. For now it serves the operations endpoints (/healthz, /readyz); every
// response carries X-Request-Id and the security headers, errors are RFC 9457 problem
// documents, and each request is logged once (method, path, status, ms, request id).
//
// Thread-safety: Start/Stop from one thread; requests are served on Poco's thread pool.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

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
};

class HttpServer {
 public:
  HttpServer(Runtime& runtime, ServerOptions options);
  ~HttpServer();
  Status Start();
  // Stops accepting, lets in-flight requests finish.
  void Stop();
  uint16_t port() const { return port_; }

 private:
  Runtime& runtime_;
  ServerOptions options_;
  std::unique_ptr<Poco::ThreadPool> pool_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  uint16_t port_ = 0;
};

}  // namespace rsoflow
