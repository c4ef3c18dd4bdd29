#include "api/server.h"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <spdlog/spdlog.h>

#include "api/runtime.h"

namespace rsoflow {

HttpServer::HttpServer(Runtime& runtime, ServerOptions options)
    : runtime_(runtime),
      options_(std::move(options)),
      authenticator_(runtime.engine(), options_.api.session),
      throttle_(runtime.clock(), options_.api.throttle),
      web_(options_.api.web_dir),
      routes_(api::RoutesFor(runtime.registry())),
      context_{runtime_, authenticator_, throttle_, metrics_, options_.api, web_, routes_} {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  try {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(options_.bind, options_.port), 128);
    port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options_.max_threads);
    params->setMaxQueued(options_.max_queued);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);  // unlimited per connection
    params->setKeepAliveTimeout(Poco::Timespan(15, 0));
    params->setTimeout(Poco::Timespan(30, 0));
    params->setServerName("rsoflow");
    pool_ = std::make_unique<Poco::ThreadPool>(2, options_.max_threads + 4);
    server_ =
        std::make_unique<Poco::Net::HTTPServer>(new api::Router(context_), *pool_, socket, params);
    server_->start();
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("cannot listen on " + options_.bind + ":" +
                               std::to_string(options_.port) + ": " + e.displayText());
  }
  spdlog::info("listening on http://{}:{}", options_.bind, port_);
  return Status::Ok();
}

void HttpServer::Stop() {
  if (server_) {
    // abortCurrent = false: each connection finishes the request it is serving (its command
    // commits and is answered) before its socket is shut down; idle ones close at once.
    server_->stopAll(false);
    pool_->joinAll();
    server_.reset();
  }
  pool_.reset();
}

}  // namespace rsoflow
