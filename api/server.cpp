#include "api/server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>

#include "api/auth.h"
#include "api/runtime.h"
#include "engine/json.h"

namespace rsoflow {
namespace {

using Poco::Net::HTTPRequestHandler;
using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

std::string NewRequestId() { return auth::NewToken().substr(0, 16); }

void SetCommonHeaders(HTTPServerResponse& res, const std::string& request_id) {
  res.set("X-Request-Id", request_id);
  res.set("Cache-Control", "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  res.set("X-Frame-Options", "DENY");
  res.set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
}

void SendJson(HTTPServerResponse& res, int status, const Json& body,
              const char* content_type = "application/json") {
  const std::string text = body.Dump();
  res.setStatus(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  res.setContentType(content_type);
  res.setContentLength(static_cast<std::streamsize>(text.size()));
  res.send() << text;
}

void SendProblem(HTTPServerResponse& res, int status, const std::string& code,
                 const std::string& title, const std::string& detail,
                 const std::string& request_id) {
  Json p = Json::MakeObject();
  p.Set("type", "/problems/" + code);
  p.Set("title", title);
  p.Set("status", status);
  p.Set("code", code);
  p.Set("detail", detail);
  p.Set("request_id", request_id);
  SendJson(res, status, p, "application/problem+json");
}

class OpsHandler final : public HTTPRequestHandler {
 public:
  explicit OpsHandler(Runtime& runtime) : runtime_(runtime) {}

  void handleRequest(HTTPServerRequest& req, HTTPServerResponse& res) override {
    const auto started = std::chrono::steady_clock::now();
    std::string request_id = req.get("X-Request-Id", "");
    if (request_id.empty() || request_id.size() > 128) request_id = NewRequestId();
    SetCommonHeaders(res, request_id);
    const std::string path = req.getURI().substr(0, req.getURI().find('?'));
    int status = 200;
    if (path == "/healthz" || path == "/readyz") {
      if (req.getMethod() != "GET" && req.getMethod() != "HEAD") {
        status = 405;
        res.set("Allow", "GET, HEAD");
        SendProblem(res, status, "method_not_allowed", "Method not allowed",
                    req.getMethod() + " is not allowed on " + path, request_id);
      } else if (path == "/healthz") {
        Json body = Json::MakeObject();
        body.Set("status", "ok");
        SendJson(res, status, body);
      } else {
        const bool ready = runtime_.store().Ping();
        status = ready ? 200 : 503;
        Json body = Json::MakeObject();
        body.Set("status", ready ? "ready" : "unavailable");
        SendJson(res, status, body);
      }
    } else {
      status = 404;
      SendProblem(res, status, "not_found", "Not found", "no route for " + path, request_id);
    }
    const auto ms = std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - started)
                        .count();
    spdlog::info("{} {} {} {:.2f}ms request_id={} user=-", req.getMethod(), path, status, ms,
                 request_id);
  }

 private:
  Runtime& runtime_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(Runtime& runtime) : runtime_(runtime) {}
  HTTPRequestHandler* createRequestHandler(const HTTPServerRequest&) override {
    return new OpsHandler(runtime_);
  }

 private:
  Runtime& runtime_;
};

}  // namespace

HttpServer::HttpServer(Runtime& runtime, ServerOptions options)
    : runtime_(runtime), options_(std::move(options)) {}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start() {
  try {
    Poco::Net::ServerSocket socket(Poco::Net::SocketAddress(options_.bind, options_.port),
                                   128);
    port_ = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options_.max_threads);
    params->setMaxQueued(options_.max_queued);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);  // unlimited per connection
    params->setKeepAliveTimeout(Poco::Timespan(15, 0));
    params->setTimeout(Poco::Timespan(30, 0));
    pool_ = std::make_unique<Poco::ThreadPool>(2, options_.max_threads + 4);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(runtime_), *pool_, socket,
                                                      params);
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
    // Stop accepting and close idle keep-alive connections; commands already queued in the
    // engine still commit (Engine::Stop drains the queue).
    server_->stopAll(true);
    pool_->joinAll();
    server_.reset();
  }
  pool_.reset();
}

}  // namespace rsoflow
