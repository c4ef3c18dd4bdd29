// The HTTP server from raw request bytes to the answer: api/conn_requests AnswerRequestBytes
// takes the bytes through the steps a server's connection takes (head limits, Poco's head
// parser, framing, the login body's read, then RequestPipeline: routing, authentication,
// roles, the body's media type, size and JSON, the handler) on an in-memory connection,
// against the real engine and workflows on a test database. What a client relies on, for
// any bytes:
// - no crash, no undefined behaviour;
// - every answer is HTTP/1.x with a status in 200-599 (after any 100 Continue), framed by
//   Content-Length or chunks (a request whose head never completes gets none);
// - a 4xx or 5xx with a body is a problem document: application/problem+json, a JSON object
//   with a string `type` and `title` and a `status` equal to the HTTP status;
// - never a 500: whatever the client sends is its mistake (4xx) or served. (A worker that
//   fails to answer sends a 500 rather than closing silently, so that is caught too.)
//
// An input is the bytes of one request, in which $SEC, $COUNCIL, $AUDITOR, $ADMIN and
// $LIAISON stand for an API token of a user of that role (so the fuzzer gets past
// authentication), and $RSO for the id of a registered RSO. The world (the users, the RSO)
// is made once per process, on a database in a folder of its own under TMPDIR.
#include <Poco/Net/HTTPResponse.h>
#include <spdlog/spdlog.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "accounts/accounts.h"
#include "api/conn_loop.h"
#include "app/runtime.h"
#include "engine/clock.h"
#include "engine/json.h"
#include "tests/fuzz/fuzz_check.h"

namespace rsoflow::api {
namespace {

constexpr int64_t kT0 = 1772442000000;  // 2026-03-02T09:00:00Z, as the tests' harness
constexpr int kIterations = 1000;       // PBKDF2 cost of the users, and of a login's decoy

std::string& Replace(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

// A user of the world, whose token stands for its placeholder in an input.
struct Persona {
  Persona(std::string placeholder, std::string username, std::string role, std::string rso_id = "")
      : placeholder(std::move(placeholder)),
        username(std::move(username)),
        role(std::move(role)),
        rso_id(std::move(rso_id)) {}
  std::string placeholder, username, role, rso_id, token;
  int generation = 0;
};

struct World {
  std::string dir;
  FakeClock clock{kT0};
  std::unique_ptr<Runtime> runtime;
  ApiOptions options;
  std::unique_ptr<accounts::Authenticator> authenticator;
  std::unique_ptr<accounts::LoginThrottle> throttle;
  Metrics metrics;
  WebAssets web;
  std::unique_ptr<RoutingTable> routes;
  std::unique_ptr<ApiContext> ctx;
  std::vector<Persona> personas;
  std::string rso;

  World() {
    std::string pattern = std::filesystem::temp_directory_path().string() + "/fuzz_http.XXXXXX";
    FUZZ_CHECK(::mkdtemp(pattern.data()) != nullptr);
    dir = pattern;
    auto rt = Runtime::Open(dir + "/fuzz.db", clock, false);
    FUZZ_CHECK(rt.ok());
    runtime = std::move(rt).value();
    options.pbkdf2_iterations = kIterations;
    authenticator = std::make_unique<accounts::Authenticator>(runtime->engine(), options.session);
    throttle = std::make_unique<accounts::LoginThrottle>(runtime->clock(), options.throttle);
    routes = std::make_unique<RoutingTable>(RoutesFor(runtime->registry()));
    ctx = std::make_unique<ApiContext>(
        ApiContext{runtime->engine(), *authenticator, *throttle, metrics, options, web, *routes});
    personas.emplace_back("$SEC", "sec.amina", "secretariat");
    personas.emplace_back("$COUNCIL", "council.lena", "council");
    personas.emplace_back("$AUDITOR", "audit.omar", "auditor");
    personas.emplace_back("$ADMIN", "admin.root", "admin");
    for (Persona& p : personas) p.token = NewToken(p);
    const std::string body =
        R"({"name":"East African Standards Committee","acronym":"EASC","kind":"regional",)"
        R"("region":"Africa","member_bodies":["KE","TZ","UG"],"statutes_ref":"Statutes 2020"})";
    const std::string request =
        "POST /api/v1/rsos HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer $SEC\r\n"
        "Content-Type: application/json\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body;
    const std::string answer = AnswerRequestBytes(*ctx, Substitute(request));
    const size_t start = answer.find("\r\n\r\n");
    FUZZ_CHECK(answer.rfind("HTTP/1.1 201", 0) == 0 && start != std::string::npos);
    auto created = ParseJson(answer.substr(start + 4));
    FUZZ_CHECK(created && !created->GetString("id").empty());
    rso = created->GetString("id");
    personas.emplace_back("$LIAISON", "liaison.easc", "rso_liaison", rso);
    personas.back().token = NewToken(personas.back());
  }

  // A new user of the persona's role (another name each time) and an API token of its own.
  std::string NewToken(Persona& p) {
    accounts::NewUser u;
    u.username = p.username + (p.generation == 0 ? "" : "." + std::to_string(p.generation));
    ++p.generation;
    u.display_name = u.username;
    u.role = p.role;
    u.rso_id = p.rso_id;
    u.password = "password-of-" + u.username;
    auto user = accounts::AddUser(runtime->engine(), u, kIterations, accounts::Acting{});
    FUZZ_CHECK(user.ok());
    accounts::Acting self;
    self.actor = Actor{user->id, u.username, p.role, "", {}};
    auto issued =
        accounts::IssueToken(runtime->engine(), user->id, "fuzz", "api", std::nullopt, self);
    FUZZ_CHECK(issued.ok());
    return issued->token;
  }

  // An input may log a persona out, revoke its token, disable it or change its role: the
  // next input finds a persona of the role again (a lookup in the token cache when nothing
  // changed).
  void KeepPersonas() {
    for (Persona& p : personas) {
      auto principal = authenticator->Authenticate(p.token);
      if (!principal.ok() || principal->actor.role != p.role) p.token = NewToken(p);
    }
  }

  std::string Substitute(std::string s) const {
    if (s.find('$') == std::string::npos) return s;
    for (const Persona& p : personas) Replace(s, p.placeholder, p.token);
    return Replace(s, "$RSO", rso);
  }
};

World* TheWorld() {
  static World* world = [] {
    spdlog::set_level(spdlog::level::err);  // an access-log line per input would drown the run
    auto* w = new World();                  // never destroyed: libFuzzer exits without unwinding
    // The database's folder goes with the process (libFuzzer and the replay both exit()).
    static const std::string dir = w->dir;
    std::atexit([] { std::filesystem::remove_all(dir); });
    return w;
  }();
  return world;
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// One answer of `out` from `at`: checks it and moves `at` past it. False when none starts
// there (the end of what was sent).
bool CheckAnswer(const std::string& out, size_t* at) {
  if (*at >= out.size()) return false;
  const size_t head_end = out.find("\r\n\r\n", *at);
  FUZZ_CHECK(head_end != std::string::npos);
  const std::string head = out.substr(*at, head_end + 4 - *at);
  *at = head_end + 4;
  FUZZ_CHECK(StartsWith(head, "HTTP/1.1 ") || StartsWith(head, "HTTP/1.0 "));
  Poco::Net::HTTPResponse parsed;
  std::istringstream in(head);
  parsed.read(in);
  const int status = static_cast<int>(parsed.getStatus());
  if (status == 100) return true;  // the interim answer to Expect: 100-continue
  FUZZ_CHECK(status >= 200 && status <= 599);
  FUZZ_CHECK(status != 500);
  std::string body;
  if (parsed.getChunkedTransferEncoding()) {
    ChunkedDecoder chunks;
    *at += chunks.Feed(out.data() + *at, out.size() - *at, &body);
    // A streamed answer is cut short only when its source failed after it started: never on
    // an error status, which is never streamed.
    FUZZ_CHECK(chunks.state() == ChunkedDecoder::State::kDone || status < 400);
  } else if (parsed.hasContentLength()) {
    const auto length = static_cast<size_t>(parsed.getContentLength64());
    // No body at all: the answer to a HEAD, which keeps the GET's Content-Length.
    if (*at < out.size()) {
      FUZZ_CHECK(out.size() - *at >= length);
      body = out.substr(*at, length);
      *at += length;
    }
  } else {
    FUZZ_CHECK(status == 204 || status == 304);
  }
  if (status >= 400 && !body.empty()) {
    FUZZ_CHECK(StartsWith(parsed.getContentType(), "application/problem+json"));
    auto problem = ParseJson(body);
    FUZZ_CHECK(problem && problem->is_object());
    FUZZ_CHECK(!problem->GetString("type").empty());
    FUZZ_CHECK(!problem->GetString("title").empty());
    FUZZ_CHECK(problem->GetInt("status", 0) == status);
  }
  return true;
}

}  // namespace
}  // namespace rsoflow::api

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace rsoflow::api;
  World* world = TheWorld();
  world->KeepPersonas();
  const std::string request =
      world->Substitute(std::string(reinterpret_cast<const char*>(data), size));
  const std::string out = AnswerRequestBytes(*world->ctx, request);
  // RSOFLOW_FUZZ_SHOW=1: each answer's head and body, to see what a seed reaches.
  static const bool show = std::getenv("RSOFLOW_FUZZ_SHOW") != nullptr;
  if (show) std::fprintf(stderr, "----\n%s\n", out.substr(0, 600).c_str());
  size_t at = 0;
  int answers = 0;
  while (CheckAnswer(out, &at)) ++answers;
  // The client closes its side after the request: one answer at most, besides 100 Continue.
  FUZZ_CHECK(answers <= 2);
  return 0;
}
