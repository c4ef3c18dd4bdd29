#include "api/server.h"

#include <Poco/Exception.h>
#include <Poco/Net/ServerSocket.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include "api/conn_loop.h"
#include "engine/engine.h"

namespace rsoflow {

HttpServer::HttpServer(Engine& engine, ServerOptions options)
    : options_(std::move(options)),
      authenticator_(engine, options_.api.session),
      throttle_(engine.clock(), options_.api.throttle),
      web_(options_.api.web_dir),
      routes_(api::RoutesFor(engine.registry())),
      context_{engine, authenticator_, throttle_, metrics_, options_.api, web_, routes_} {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  try {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(options_.bind, options_.port), 128);
    port_ = socket.address().port();
    loop_ = std::make_unique<api::ConnectionLoop>(context_, options_, std::move(socket));
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("cannot listen on " + options_.bind + ":" +
                               std::to_string(options_.port) + ": " + e.displayText());
  }
  spdlog::info(
      "listening on http://{}:{} (keep-alive {} ms, request {} ms, at most {} connections, {} "
      "from one address)",
      options_.bind, port_, options_.keep_alive_timeout_ms, options_.request_timeout_ms,
      options_.max_connections, options_.max_connections_per_address);
  rlimit files{};
  if (::getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY &&
      static_cast<rlim_t>(options_.max_connections) + 64 > files.rlim_cur) {
    // Past the limit, accept() fails: the server then closes idle connections to make room.
    spdlog::warn(
        "max_connections {} is near or above the open-file limit ({}): raise it "
        "(ulimit -n, LimitNOFILE=) or lower max_connections",
        options_.max_connections, static_cast<uint64_t>(files.rlim_cur));
  }
  return Status::Ok();
}

void HttpServer::Stop() { loop_.reset(); }

}  // namespace rsoflow
