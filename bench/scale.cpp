// bench/scale (issue 21): every list at a million instances and ten million audit entries.
//
// 1. Builds (unless --reuse finds one) a database of --instances instances (default 1 000 000)
//    in a realistic mix, through the store's writer side in transactions of 20 000 instances
//    (bench/scale_build.cpp): one RSO recognition per RSO (instances / 200 RSOs, mostly
//    recognized), then Council ballots, partnership initiatives and momentum plans 4:3:3, all
//    closed but the most recent 0.3 %; a twentieth of the initiatives and plans belong to RSO 1
//    (the "large RSO"); about ten audit entries per instance, hash-chained.
// 2. Opens it as `rsoflow serve` does (Runtime::Open: the start-up time), serves it on
//    127.0.0.1 (ephemeral port), and times --requests GETs of each list over HTTP, walking
//    next_cursor (deep cursors), plus /reports/summary and the full /audit/verify --slow times
//    and /audit/verify?from=checkpoint after it; RSS after. The database is built in a child
//    process, so the serving process holds only what serving takes; an empty database served
//    the same requests in another child gives the RSS it is compared with (issue 21: within
//    1.5x).
//
//   build/bench/scale [--instances N] [--dir DIR] [--reuse] [--cold] [--requests 200]
//                     [--slow 3]
//
// Before serving, the database file is read once into the system's page cache (--cold skips
// that), so that the figures are those of a server whose pages are in memory, as they are once
// it has run a while, whatever the system evicted since an earlier --reuse run.
//
// Prints one line per endpoint: requests, p50, p99, max (ms). Exits non-zero on any answer other
// than 200.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "accounts/accounts.h"
#include "api/server.h"
#include "app/runtime.h"
#include "bench/scale_build.h"
#include "engine/clock.h"
#include "workflows/rso_records.h"

namespace rsoflow::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr int kPbkdf2Iterations = 1000;

struct Options {
  ScaleOptions scale;
  std::string dir;
  bool reuse = false;
  bool cold = false;  // leave the database's pages wherever the system has them
  int requests = 200;
  int slow = 3;  // requests of the whole-database endpoints (summary, verify)
};

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

long RssKib(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::strlen(field));
  }
  return 0;
}

struct User {
  std::string id, token;
};

User MustUser(Engine& engine, const std::string& name, const std::string& role,
              const std::string& rso_id = "") {
  accounts::NewUser u;
  u.username = name;
  u.display_name = name;
  u.role = role;
  u.rso_id = rso_id;
  u.password = "scale-password-" + name;
  auto user = accounts::AddUser(engine, u, kPbkdf2Iterations, accounts::Acting{});
  if (!user.ok()) {
    std::cerr << "cannot add " << name << ": " << user.status().ToString() << "\n";
    std::exit(2);
  }
  accounts::Acting self;
  self.actor = Actor{user->id, user->username, user->role, user->rso_id, {}};
  auto token = accounts::IssueToken(engine, user->id, "scale", "api", std::nullopt, self);
  if (!token.ok()) {
    std::cerr << "cannot issue a token: " << token.status().ToString() << "\n";
    std::exit(2);
  }
  return User{user->id, token->token};
}

class Client {
 public:
  explicit Client(uint16_t port) : session_("127.0.0.1", port) {
    session_.setKeepAlive(true);
    session_.setTimeout(Poco::Timespan(600, 0));
  }
  int Get(const std::string& path, const std::string& token, std::string* body) {
    Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, path,
                               Poco::Net::HTTPMessage::HTTP_1_1);
    req.set("Authorization", "Bearer " + token);
    req.setKeepAlive(true);
    session_.sendRequest(req);
    Poco::Net::HTTPResponse res;
    std::istream& in = session_.receiveResponse(res);
    body->clear();
    Poco::StreamCopier::copyToString(in, *body);
    return static_cast<int>(res.getStatus());
  }

 private:
  Poco::Net::HTTPClientSession session_;
};

// The next_cursor of a list's answer, "" at the end.
std::string NextCursor(const std::string& body) {
  auto parsed = ParseJson(body);
  if (!parsed) return "";
  return parsed->GetString("next_cursor");
}

int failures = 0;
FILE* table = stdout;  // where Measure prints its line

// What Measure found of one endpoint, for the targets at the end.
struct Measured {
  std::string name;
  double p50 = 0, p99 = 0;
  std::string last_body;
};
std::vector<Measured> measured;

// Times `n` GETs of `path`, each following the previous answer's next_cursor (back to the
// first page at the end of the list); `paths` instead cycles through fixed paths.
void Measure(Client& client, const std::string& name, const std::vector<std::string>& paths,
             const std::string& token, int n, bool follow) {
  std::vector<double> ms;
  std::string cursor, body;
  size_t items = 0;
  for (int i = 0; i < n; ++i) {
    std::string path = paths[static_cast<size_t>(i) % paths.size()];
    if (follow && !cursor.empty()) {
      path += (path.find('?') == std::string::npos ? "?" : "&") + std::string("cursor=") + cursor;
    }
    const auto t0 = Clock::now();
    const int status = client.Get(path, token, &body);
    ms.push_back(Ms(Clock::now() - t0));
    if (status != 200) {
      ++failures;
      std::fprintf(stderr, "%s: %d %s\n", path.c_str(), status, body.substr(0, 300).c_str());
      break;
    }
    if (follow) cursor = NextCursor(body);
    items += body.size();
  }
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) {
    return ms.empty() ? 0.0 : ms[std::min(ms.size() - 1, static_cast<size_t>(p * ms.size()))];
  };
  std::fprintf(table, "| %-44s | %5zu | %8.2f | %8.2f | %8.2f | %7zu | %6.1f |\n", name.c_str(),
               ms.size(), pct(0.5), pct(0.99), ms.empty() ? 0.0 : ms.back(),
               items / std::max<size_t>(1, ms.size()), RssKib("VmRSS:") / 1024.0);
  std::fflush(table);
  measured.push_back(Measured{name, pct(0.5), pct(0.99), body});
}

bool Parse(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    if (a == "--instances") {
      const char* v = next();
      if (!v) return false;
      o->scale.instances = std::atoll(v);
    } else if (a == "--dir") {
      const char* v = next();
      if (!v) return false;
      o->dir = v;
    } else if (a == "--requests") {
      const char* v = next();
      if (!v) return false;
      o->requests = std::atoi(v);
    } else if (a == "--slow") {
      const char* v = next();
      if (!v) return false;
      o->slow = std::atoi(v);
    } else if (a == "--reuse") {
      o->reuse = true;
    } else if (a == "--cold") {
      o->cold = true;
    } else {
      return false;
    }
  }
  return o->scale.instances >= 100 && o->requests >= 1 && o->slow >= 0;
}

// Reads the file at `path` to its end, so that its pages are in the system's page cache (as a
// server's are once it has run a while; not in this process's memory), and returns its bytes.
// A database reused from an earlier run may have been partly evicted since: the lists read
// pages all over it, and a page from disk costs what a whole page of a list should.
double ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> chunk(4 << 20);
  double bytes = 0;
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    bytes += static_cast<double>(in.gcount());
  }
  return bytes;
}

// Serves the database at `db_path` as `rsoflow serve` does and times every list over HTTP
// (printing the table when `print`), `instances` instances' history and audit among them.
// Returns the process's RSS after serving (KiB), or -1.
long Serve(const Options& opt, const std::string& db_path, const std::vector<User>& council,
           int64_t instances, bool print) {
  SystemClock clock;
  FILE* out = print ? stdout : std::fopen("/dev/null", "w");
  const auto open0 = Clock::now();
  auto rt = Runtime::Open(db_path, clock, true);
  if (!rt.ok()) return std::cerr << rt.status().ToString() << "\n", -1;
  ServerOptions server_options;
  server_options.port = 0;
  server_options.api.pbkdf2_iterations = kPbkdf2Iterations;
  HttpServer server((*rt)->engine(), server_options);
  if (Status st = server.Start(); !st.ok()) return std::cerr << st.ToString() << "\n", -1;
  std::fprintf(out, "start-up (open, migrate, writer, timers, server): %.1f ms\n",
               Ms(Clock::now() - open0));

  const std::string tag = std::to_string(::getpid());
  Engine& engine = (*rt)->engine();
  const User sec = MustUser(engine, "scale.sec." + tag, "secretariat");
  const User auditor = MustUser(engine, "scale.auditor." + tag, "auditor");
  const User admin = MustUser(engine, "scale.admin." + tag, "admin");
  const User liaison = MustUser(engine, "scale.liaison." + tag, "rso_liaison", "1");
  const std::string large = "1";

  Client c(server.port());
  const int n = opt.requests;
  table = out;
  std::fprintf(out, "\n| %-44s | %5s | %8s | %8s | %8s | %7s | %6s |\n", "GET /api/v1/...", "n",
               "p50 ms", "p99 ms", "max ms", "bytes", "RSS MB");
  std::fprintf(out, "|%s|------:|---------:|---------:|---------:|--------:|-------:|\n",
               std::string(46, '-').c_str());
  Measure(c, "instances?limit=50 (walking cursors)", {"/api/v1/instances?limit=50"}, sec.token, n,
          true);
  Measure(c, "instances?workflow=momentum_plan", {"/api/v1/instances?workflow=momentum_plan"},
          sec.token, n, true);
  Measure(c, "instances?state=open", {"/api/v1/instances?state=open"}, sec.token, n, true);
  Measure(c, "instances?workflow=council_ballot&state=approved",
          {"/api/v1/instances?workflow=council_ballot&state=approved"}, sec.token, n, true);
  Measure(c, "instances?rso_id=1 (large RSO)", {"/api/v1/instances?rso_id=" + large}, sec.token, n,
          true);
  Measure(c, "instances?active=true", {"/api/v1/instances?active=true"}, sec.token, n, true);
  Measure(c, "instances?active=false", {"/api/v1/instances?active=false"}, sec.token, n, true);
  Measure(c, "instances?workflow=partnership_initiative&active=true",
          {"/api/v1/instances?workflow=partnership_initiative&active=true"}, sec.token, n, true);
  Measure(c, "instances (liaison of the large RSO)", {"/api/v1/instances"}, liaison.token, n, true);
  Measure(c, "inbox (secretariat)", {"/api/v1/inbox"}, sec.token, n, true);
  Measure(c, "inbox (council)", {"/api/v1/inbox"}, council[0].token, n, true);
  Measure(c, "inbox (liaison of the large RSO)", {"/api/v1/inbox"}, liaison.token, n, true);
  Measure(c, "rsos", {"/api/v1/rsos"}, sec.token, n, true);
  Measure(c, "rsos?region=Africa", {"/api/v1/rsos?region=Africa"}, sec.token, n, true);
  Measure(c, "rsos?kind=sub_regional", {"/api/v1/rsos?kind=sub_regional"}, sec.token, n, true);
  Measure(c, "rsos?status=suspended", {"/api/v1/rsos?status=suspended"}, sec.token, n, true);
  if (instances > 0) {
    std::vector<std::string> history, audit;
    for (int i = 0; i < 50; ++i) {
      const int64_t id = 1 + (static_cast<int64_t>(i) * 7919 * 127) % instances;
      history.push_back("/api/v1/instances/" + std::to_string(id) + "/history");
      audit.push_back("/api/v1/audit?instance_id=" + std::to_string(id));
    }
    Measure(c, "instances/{id}/history", history, sec.token, n, false);
    Measure(c, "audit?instance_id=", audit, auditor.token, n, false);
  }
  Measure(c, "audit?limit=50 (walking cursors)", {"/api/v1/audit?limit=50"}, auditor.token, n,
          true);
  Measure(c, "users", {"/api/v1/users?limit=2"}, admin.token, n, true);
  if (opt.slow > 0) {
    Measure(c, "reports/summary", {"/api/v1/reports/summary"}, sec.token, opt.slow, false);
    Measure(c, "audit/verify", {"/api/v1/audit/verify"}, auditor.token, opt.slow, false);
    // The full walk recorded its head: a routine check reads only the entries since.
    Measure(c, "audit/verify?from=checkpoint", {"/api/v1/audit/verify?from=checkpoint"},
            auditor.token, n, false);
  }
  // What stays resident once the server is idle: jemalloc returns the pages freed by the
  // requests within about a second (app/malloc_conf.cpp).
  const long busy = RssKib("VmRSS:");
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  const long rss = RssKib("VmRSS:");
  std::fprintf(out, "\nRSS after serving %.1f MB, %.1f MB once idle for 2.5 s (peak %.1f MB)\n",
               busy / 1024.0, rss / 1024.0, RssKib("VmHWM:") / 1024.0);
  server.Stop();
  if (!print) std::fclose(out);
  return rss;
}

// The Council (every ballot's electorate) of a new database at `db_path`, its ids and tokens
// written to `council_file`.
std::vector<User> NewCouncil(const std::string& db_path, const std::string& council_file) {
  SystemClock clock;
  auto rt = Runtime::Open(db_path, clock, false);
  if (!rt.ok()) {
    std::cerr << rt.status().ToString() << "\n";
    std::exit(2);
  }
  std::vector<User> council;
  std::ofstream out(council_file);
  for (int i = 0; i < 5; ++i) {
    council.push_back(MustUser((*rt)->engine(), "scale.council" + std::to_string(i), "council"));
    out << council.back().id << " " << council.back().token << "\n";
  }
  return council;
}

// The record of RSO 1 alone (the liaison's RSO), in a database with none.
Status OneRso(const std::string& db_path) {
  auto store = db::SqliteStore::Open(db_path);
  if (!store.ok()) return store.status();
  Record r;
  r.kind = rso::kRsoKind;
  r.key = "RSO1";
  r.data = Json::MakeObject();
  r.data.Set("acronym", "RSO1");
  r.data.Set("region", "Africa");
  r.data.Set("kind", "regional");
  RSOFLOW_RETURN_IF_ERROR((*store)->Begin());
  auto id = (*store)->InsertRecord(r);
  if (!id.ok()) return id.status();
  return (*store)->Commit();
}

// Runs `work` in a child process (forked while this one has a single thread) and returns what
// it returned, so what it allocates never counts in this process's RSS.
long InChild(const std::function<long()>& work) {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  std::fflush(stdout);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    const long value = work();
    std::fflush(stdout);
    const ssize_t w = ::write(fds[1], &value, sizeof value);
    ::_exit(w == sizeof value ? 0 : 1);
  }
  ::close(fds[1]);
  long value = -1;
  if (::read(fds[0], &value, sizeof value) != sizeof value) value = -1;
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? value : -1;
}

// Issue 21's targets against what this run measured of the big database.
void PrintTargets(double rss_ratio, double run_seconds) {
  auto met = [](bool ok) { return ok ? "met" : "NOT met"; };
  std::printf("\n| target (issue 21) | this run | |\n|---|---|---|\n");
  const Measured* worst = nullptr;
  for (const Measured& m : measured) {
    if (m.name.rfind("reports/", 0) == 0 || m.name.rfind("audit/verify", 0) == 0) continue;
    if (worst == nullptr || m.p99 > worst->p99) worst = &m;
  }
  if (worst != nullptr) {
    std::printf("| every list and the inbox: p99 <= 10 ms | slowest p99 %.2f ms (%s) | %s |\n",
                worst->p99, worst->name.c_str(), met(worst->p99 <= 10));
  }
  for (const Measured& m : measured) {
    if (m.name == "reports/summary") {
      std::printf("| /reports/summary <= 50 ms | p50 %.2f ms, p99 %.2f ms | %s |\n", m.p50, m.p99,
                  met(m.p99 <= 50));
    } else if (m.name == "audit/verify") {
      const auto body = ParseJson(m.last_body);
      const double entries = body ? static_cast<double>(body->GetInt("entries")) : 0;
      const double rate = m.p50 > 0 ? entries / (m.p50 / 1000) : 0;
      std::printf(
          "| full /audit/verify >= 500 000 entries/s | %.0f entries in %.2f s: %.0f/s | %s |\n",
          entries, m.p50 / 1000, rate, met(rate >= 500000));
    } else if (m.name == "audit/verify?from=checkpoint") {
      std::printf(
          "| routine /audit/verify?from=checkpoint reads only the new entries | p99 %.2f "
          "ms | %s |\n",
          m.p99, met(m.p99 <= 10));
    }
  }
  std::printf("| RSS once idle <= 1.5x an empty database's | %.2fx | %s |\n", rss_ratio,
              met(rss_ratio <= 1.5));
  std::printf("| the whole run < 15 minutes | %.0f s | %s |\n", run_seconds,
              met(run_seconds < 15 * 60));
}

int Main(int argc, char** argv) {
  Options opt;
  if (!Parse(argc, argv, &opt)) {
    std::cerr << "usage: scale [--instances N>=100] [--dir DIR] [--reuse] [--cold] "
                 "[--requests 200] [--slow 3]\n";
    return 2;
  }
  if (opt.dir.empty()) {
    opt.dir = (std::filesystem::temp_directory_path() /
               ("rsoflow-scale-" + std::to_string(opt.scale.instances)))
                  .string();
  }
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("rsoflow", std::make_shared<spdlog::sinks::null_sink_mt>()));
  const auto run0 = Clock::now();
  const std::string db_path = opt.dir + "/scale.db";
  const std::string council_file = opt.dir + "/council.tokens";
  const bool build = !(opt.reuse && std::filesystem::exists(db_path));
  if (build) {
    std::filesystem::remove_all(opt.dir);
    std::filesystem::create_directories(opt.dir);
    const long built = InChild([&]() -> long {
      const std::vector<User> council = NewCouncil(db_path, council_file);
      const auto t0 = Clock::now();
      auto store = db::SqliteStore::Open(db_path);
      if (!store.ok()) return std::cerr << store.status().ToString() << "\n", -1;
      std::vector<std::string> ids;
      for (const User& u : council) ids.push_back(u.id);
      ScaleCounts counts;
      if (Status st = BuildScaleDatabase(**store, opt.scale, ids, &counts); !st.ok()) {
        return std::cerr << st.ToString() << "\n", -1;
      }
      std::printf("built %lld instances (%lld RSOs, %lld open), %lld audit entries in %.1f s\n",
                  static_cast<long long>(opt.scale.instances), static_cast<long long>(counts.rsos),
                  static_cast<long long>(counts.open), static_cast<long long>(counts.audit_entries),
                  Ms(Clock::now() - t0) / 1000);
      return 0;
    });
    if (built != 0) return std::cerr << "building the database failed\n", 2;
  }
  std::vector<User> council;
  {
    std::ifstream in(council_file);
    User u;
    while (in >> u.id >> u.token) council.push_back(u);
  }
  std::error_code ec;
  const auto db_bytes = std::filesystem::file_size(db_path, ec);
  std::printf("database %s: %.1f MB\n", db_path.c_str(), static_cast<double>(db_bytes) / 1e6);
  if (!opt.cold) {
    const auto t0 = Clock::now();
    const double mb = ReadWhole(db_path) / 1e6;
    std::printf("read into the page cache: %.1f MB in %.1f s\n", mb, Ms(Clock::now() - t0) / 1000);
  }

  // The same requests against an empty database (its Council alone), in a fresh process: the
  // memory the big one is held against.
  const std::string empty_dir = opt.dir + "/empty";
  std::filesystem::remove_all(empty_dir);
  std::filesystem::create_directories(empty_dir);
  const long empty_rss = InChild([&]() -> long {
    const std::string empty_db = empty_dir + "/empty.db";
    const std::vector<User> empty_council = NewCouncil(empty_db, empty_dir + "/council.tokens");
    if (Status st = OneRso(empty_db); !st.ok()) return std::cerr << st.ToString() << "\n", -1;
    return Serve(opt, empty_db, empty_council, 0, false);
  });
  if (empty_rss < 0) return std::cerr << "serving the empty database failed\n", 2;

  const long rss = Serve(opt, db_path, council, opt.scale.instances, true);
  if (rss < 0) return 2;
  const double rss_ratio = static_cast<double>(rss) / static_cast<double>(empty_rss);
  std::printf(
      "RSS of an empty database served the same requests in its own process, once "
      "idle: %.1f MB; this one %.2fx that\n",
      empty_rss / 1024.0, rss_ratio);
  PrintTargets(rss_ratio, Ms(Clock::now() - run0) / 1000);
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace rsoflow::bench

int main(int argc, char** argv) { return rsoflow::bench::Main(argc, argv); }
