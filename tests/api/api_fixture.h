// ApiTest: the real HttpServer on 127.0.0.1 (ephemeral port) over a Runtime on a temporary
// database with a FakeClock, and a small HTTP client (Poco::Net::HTTPClientSession) to talk
// to it. Users are created with a low PBKDF2 cost; each gets an API token.
#pragma once

#include <Poco/Net/HTTPResponse.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "api/server.h"
#include "app/runtime.h"
#include "tests/support/harness.h"
#include "tests/support/openapi_contract.h"

namespace spdlog {
class logger;
}

namespace rsoflow::testing {

inline constexpr int kTestPbkdf2Iterations = 1000;

struct HttpReply {
  int status = 0;
  Poco::Net::HTTPResponse headers;
  std::string body;
  // The parsed body (parsed once, owned by this reply); null and a test failure when it is
  // not JSON.
  const Json& json() const;
  std::string header(const std::string& name) const { return headers.get(name, ""); }
  // The problem document's code, "" when the body is not a problem document.
  std::string code() const;

 private:
  mutable std::optional<Json> parsed_;
};

// Captures what spdlog's default logger writes while this object lives, one message per line
// (no timestamp or level). Read Lines() once nothing logs any more (e.g. after the server has
// stopped: HttpServer::Stop waits for every request, and its access log line, to finish).
class LogCapture {
 public:
  LogCapture();
  ~LogCapture();
  std::vector<std::string> Lines();
  // The lines that contain `text`.
  std::vector<std::string> LinesWith(const std::string& text);

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
  std::shared_ptr<spdlog::logger> capture_;
};

struct HttpCall {
  std::string method = "GET";
  std::string path;
  std::string token;  // Authorization: Bearer <token> when not empty
  std::string body;
  bool has_body = false;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  bool chunked = false;
  // The client's own address (any of 127/8 is loopback), to be another client than 127.0.0.1
  // to the server; empty: the system's choice.
  std::string source_address;
};

struct Persona {
  std::string user_id;
  std::string username;
  std::string role;
  std::string password;
  std::string token;
  std::string token_id;
};

class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  // Opens the runtime on db_path and starts the server on an ephemeral port.
  void StartServer();
  void TearDown() override;

  // Every answer is checked against the document the server serves (api/openapi.yaml and its
  // workflows' creation routes; tests/support/openapi_contract.h): its
  // status listed for the operation, its media type, its JSON body against the schema (no
  // field the document does not list); a breach fails the test, naming path, field and reason.
  HttpReply Send(const HttpCall& call);
  HttpReply Get(const std::string& path, const std::string& token);
  HttpReply Post(const std::string& path, const std::string& token, const Json& body,
                 std::vector<std::pair<std::string, std::string>> headers = {});
  HttpReply PostText(const std::string& path, const std::string& token, const std::string& body);
  HttpReply Patch(const std::string& path, const std::string& token, const Json& body);
  HttpReply Delete(const std::string& path, const std::string& token);

  Persona AddUser(const std::string& username, const std::string& role,
                  const std::string& rso_id = "", std::vector<std::string> affiliated = {});
  // A fresh API token for an existing user, obtained by the user itself (as a login would: a
  // Council member may vote with it).
  std::string IssueToken(const Persona& who, std::string* token_id = nullptr);

  // Registers an RSO (complete dossier) as the secretariat; returns its id.
  std::string CreateRso(const std::string& acronym, const std::string& region = "Africa");
  std::string RecognitionOf(const std::string& rso_id);
  // Fires an event as `token` and returns the reply.
  HttpReply Fire(const std::string& instance_id, const std::string& token, const std::string& event,
                 Json data = Json::MakeObject(), const std::string& comment = "");
  // Takes the RSO through review and a unanimous Council ballot to `recognized`.
  void Recognize(const std::string& rso_id);
  // Registers an ISO event that ended before kT0.
  std::string CreateIsoEvent(const std::vector<std::string>& rso_ids,
                             const std::string& title = "Regional workshop");
  // A ballot not tied to an RSO.
  std::string CreateBallot(const std::string& title = "Budget 2027");

  // Attaches a text/plain document to the instance as the secretariat; returns its id.
  std::string UploadText(const std::string& instance_id, const std::string& filename,
                         const std::string& text = "Evidence.");

  int64_t AuditCount();

  FakeClock clock{kT0};
  TempDir dir;
  std::string db_path;
  WorkflowSettings workflow_settings;  // set before SetUp to add workflows (settings.more)
  // The test's webhook receivers listen on 127.0.0.1 (webhook_allow_private; set before SetUp).
  bool webhook_allow_private = true;
  std::unique_ptr<Runtime> runtime;
  std::unique_ptr<HttpServer> server;
  Persona sec, council, auditor, admin;

 private:
  // The document this server serves, when its workflows are not the build's (settings.more).
  std::shared_ptr<const OpenApiContract> own_contract_;
};

}  // namespace rsoflow::testing
