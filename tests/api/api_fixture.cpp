#include "tests/api/api_fixture.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "accounts/accounts.h"
#include "api/openapi.h"
#include "engine/clock.h"
#include "tests/support/openapi_contract.h"

namespace rsoflow::testing {

const Json& HttpReply::json() const {
  if (!parsed_) {
    JsonParseError error;
    auto parsed = ParseJson(body, &error, 256);
    EXPECT_TRUE(parsed.has_value()) << "not JSON (" << error.message << "): " << body;
    parsed_ = parsed ? *parsed : Json();
  }
  return *parsed_;
}

std::string HttpReply::code() const {
  auto parsed = ParseJson(body, nullptr, 256);
  return parsed ? parsed->GetString("code") : "";
}

LogCapture::LogCapture() : previous_(spdlog::default_logger()) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
  capture_ = std::make_shared<spdlog::logger>("capture", sink);
  capture_->set_pattern("%v");
  capture_->set_level(spdlog::level::info);
  spdlog::set_default_logger(capture_);
}

LogCapture::~LogCapture() { spdlog::set_default_logger(previous_); }

std::vector<std::string> LogCapture::Lines() {
  capture_->flush();
  std::istringstream in(out_.str());
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> LogCapture::LinesWith(const std::string& text) {
  std::vector<std::string> out;
  for (std::string& line : Lines()) {
    if (line.find(text) != std::string::npos) out.push_back(std::move(line));
  }
  return out;
}

void ApiTest::StartServer() {
  auto rt = Runtime::Open(db_path, clock, false, EngineOptions(), workflow_settings);
  ASSERT_TRUE(rt.ok()) << rt.status().ToString();
  runtime = std::move(rt).value();
  ServerOptions options;
  options.port = 0;
  options.api.pbkdf2_iterations = kTestPbkdf2Iterations;
  options.api.webhook_allow_private = webhook_allow_private;
  server = std::make_unique<HttpServer>(runtime->engine(), options);
  ASSERT_TRUE(server->Start().ok());
}

void ApiTest::SetUp() {
  db_path = dir.File("api.db");
  StartServer();
  if (HasFatalFailure()) return;
  sec = AddUser("sec.amina", "secretariat");
  council = AddUser("council.lena", "council");
  auditor = AddUser("audit.omar", "auditor");
  admin = AddUser("admin.root", "admin");
}

void ApiTest::TearDown() {
  if (server) server->Stop();
  server.reset();
  runtime.reset();
}

HttpReply ApiTest::Send(const HttpCall& call) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress::IPv4);
  if (!call.source_address.empty()) {
    socket.impl()->bind(Poco::Net::SocketAddress(call.source_address, 0));
    socket.connect(Poco::Net::SocketAddress("127.0.0.1", server->port()));
  }
  auto owned = call.source_address.empty()
                   ? std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", server->port())
                   : std::make_unique<Poco::Net::HTTPClientSession>(socket);
  Poco::Net::HTTPClientSession& session = *owned;
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest req(call.method, call.path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!call.source_address.empty()) req.setHost("127.0.0.1", server->port());
  if (!call.token.empty()) req.set("Authorization", "Bearer " + call.token);
  for (const auto& [name, value] : call.headers) req.set(name, value);
  if (call.has_body) {
    req.setContentType(call.content_type);
    if (call.chunked) {
      req.setChunkedTransferEncoding(true);
    } else {
      req.setContentLength64(static_cast<Poco::UInt64>(call.body.size()));
    }
  }
  std::ostream& out = session.sendRequest(req);
  if (call.has_body) out << call.body;
  HttpReply r;
  std::istream& in = session.receiveResponse(r.headers);
  Poco::StreamCopier::copyToString(in, r.body);
  r.status = r.headers.getStatus();
  if (workflow_settings.more && !own_contract_) {
    own_contract_ =
        std::make_shared<const OpenApiContract>(api::OpenApiText(runtime->engine().registry()));
  }
  const OpenApiContract& contract = own_contract_ ? *own_contract_ : OpenApiContract::Served();
  for (const std::string& problem :
       contract.Check(call.method, call.path, r.status, r.headers.getContentType(), r.body)) {
    ADD_FAILURE() << "the answer to " << call.method << " " << call.path
                  << " breaks api/openapi.yaml: " << problem;
  }
  if (r.status == 422 && r.code() == "guard_failed") {
    // The problem's reasons and reason_codes, back into a Status to check them.
    std::vector<Reason> reasons;
    const Json* texts = r.json().Get("reasons");
    const Json* codes = r.json().Get("reason_codes");
    EXPECT_TRUE(texts != nullptr && codes != nullptr && codes->is_array()) << r.body;
    if (texts != nullptr && codes != nullptr && codes->is_array()) {
      EXPECT_EQ(codes->size(), texts->size()) << r.body;
      for (size_t i = 0; i < codes->size() && i < texts->size(); ++i) {
        reasons.push_back({codes->AsArray()[i].AsString(), texts->AsArray()[i].AsString()});
      }
    }
    ExpectCodedReasons(runtime->engine().registry(), Status::GuardFailed(reasons));
  }
  return r;
}

HttpReply ApiTest::Get(const std::string& path, const std::string& token) {
  HttpCall c;
  c.path = path;
  c.token = token;
  return Send(c);
}

HttpReply ApiTest::Post(const std::string& path, const std::string& token, const Json& body,
                        std::vector<std::pair<std::string, std::string>> headers) {
  HttpCall c;
  c.method = "POST";
  c.path = path;
  c.token = token;
  c.body = body.Dump();
  c.has_body = true;
  c.headers = std::move(headers);
  return Send(c);
}

HttpReply ApiTest::PostText(const std::string& path, const std::string& token,
                            const std::string& body) {
  HttpCall c;
  c.method = "POST";
  c.path = path;
  c.token = token;
  c.body = body;
  c.has_body = true;
  return Send(c);
}

HttpReply ApiTest::Patch(const std::string& path, const std::string& token, const Json& body) {
  HttpCall c;
  c.method = "PATCH";
  c.path = path;
  c.token = token;
  c.body = body.Dump();
  c.has_body = true;
  return Send(c);
}

HttpReply ApiTest::Delete(const std::string& path, const std::string& token) {
  HttpCall c;
  c.method = "DELETE";
  c.path = path;
  c.token = token;
  return Send(c);
}

Persona ApiTest::AddUser(const std::string& username, const std::string& role,
                         const std::string& rso_id, std::vector<std::string> affiliated) {
  accounts::NewUser u;
  u.username = username;
  u.display_name = username;
  u.role = role;
  u.rso_id = rso_id;
  u.affiliated_rso_ids = std::move(affiliated);
  u.password = "password-of-" + username;
  auto user = accounts::AddUser(runtime->engine(), u, kTestPbkdf2Iterations, accounts::Acting{});
  EXPECT_TRUE(user.ok()) << user.status().ToString();
  Persona p;
  if (!user.ok()) return p;
  p.user_id = user->id;
  p.username = username;
  p.role = role;
  p.password = u.password;
  p.token = IssueToken(p, &p.token_id);
  return p;
}

std::string ApiTest::IssueToken(const Persona& who, std::string* token_id) {
  accounts::Acting self;
  self.actor = Actor{who.user_id, who.username, who.role, "", {}};
  auto issued =
      accounts::IssueToken(runtime->engine(), who.user_id, "test", "api", std::nullopt, self);
  EXPECT_TRUE(issued.ok()) << issued.status().ToString();
  if (!issued.ok()) return "";
  if (token_id != nullptr) *token_id = issued->id;
  return issued->token;
}

std::string ApiTest::CreateRso(const std::string& acronym, const std::string& region) {
  Json body = J(R"({"name":"Standards Organization","kind":"regional",
                    "member_bodies":["KE","TZ","UG"],"statutes_ref":"Statutes of 2020"})");
  body.Set("acronym", acronym);
  body.Set("region", region);
  HttpReply r = Post("/api/v1/rsos", sec.token, body);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json().GetString("id");
}

std::string ApiTest::RecognitionOf(const std::string& rso_id) {
  HttpReply r = Get("/api/v1/rsos/" + rso_id, sec.token);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.json().GetString("recognition_instance_id");
}

HttpReply ApiTest::Fire(const std::string& instance_id, const std::string& token,
                        const std::string& event, Json data, const std::string& comment) {
  Json body = Json::MakeObject();
  body.Set("event", event);
  body.Set("data", std::move(data));
  if (!comment.empty()) body.Set("comment", comment);
  return Post("/api/v1/instances/" + instance_id + "/events", token, body);
}

void ApiTest::Recognize(const std::string& rso_id) {
  const std::string rec = RecognitionOf(rso_id);
  ASSERT_EQ(Fire(rec, sec.token, "submit").status, 200);
  ASSERT_EQ(Fire(rec, sec.token, "start_review").status, 200);
  ASSERT_EQ(Fire(rec, sec.token, "refer_to_council").status, 200);
  HttpReply ballots =
      Get("/api/v1/instances?workflow=council_ballot&active=true&rso_id=" + rso_id, sec.token);
  ASSERT_EQ(ballots.status, 200);
  const Json items = *ballots.json().Get("items");
  ASSERT_EQ(items.size(), 1u);
  const std::string ballot = items.AsArray()[0].GetString("id");
  HttpReply vote = Fire(ballot, council.token, "vote", J(R"({"choice":"approve"})"));
  ASSERT_EQ(vote.status, 200) << vote.body;
  ASSERT_EQ(Get("/api/v1/rsos/" + rso_id, sec.token).json().GetString("status"), "recognized");
}

std::string ApiTest::CreateIsoEvent(const std::vector<std::string>& rso_ids,
                                    const std::string& title) {
  Json body = J(R"({"type":"regional_workshop","region":"Africa",
                    "starts_on":"2026-02-02","ends_on":"2026-02-04","location":"Nairobi"})");
  body.Set("title", title);
  Json ids = Json::MakeArray();
  for (const auto& id : rso_ids) ids.Push(id);
  body.Set("rso_ids", ids);
  HttpReply r = Post("/api/v1/iso-events", sec.token, body);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json().GetString("id");
}

std::string ApiTest::UploadText(const std::string& instance_id, const std::string& filename,
                                const std::string& text) {
  HttpCall call;
  call.method = "POST";
  call.path = "/api/v1/instances/" + instance_id + "/documents?filename=" + filename;
  call.token = sec.token;
  call.body = text;
  call.has_body = true;
  call.content_type = "text/plain";
  HttpReply r = Send(call);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json().GetString("id");
}

std::string ApiTest::CreateBallot(const std::string& title) {
  Json body = J(R"({"question":"Shall the budget be approved?"})");
  body.Set("title", title);
  body.Set("deadline", FormatTime(clock.NowMs() + 7 * kMsPerDay));
  HttpReply r = Post("/api/v1/ballots", sec.token, body);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json().GetString("id");
}

int64_t ApiTest::AuditCount() {
  int64_t n = 0;
  runtime->store().ForEachAudit(0, [&](const AuditEntry&) { return ++n, true; });
  return n;
}

}  // namespace rsoflow::testing
