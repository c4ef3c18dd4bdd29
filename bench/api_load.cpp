// API load driver (issue 4): complete Council ballots over HTTP against an in-process server.
// (Over 400 lines on purpose: one program, its setup, driver threads and report, read top to
// bottom; split, each part would be used once.)
//
// It opens a fresh database in a temporary directory (journal_mode=WAL, synchronous=FULL, as
// in production), starts the real HttpServer on 127.0.0.1 (ephemeral port) with the timer
// scheduler running, and creates one secretariat user and five Council users, each with an
// API token. Then --connections client threads, each on its own keep-alive connection, run
// whole ballots one after the other for --seconds:
//
//   POST /api/v1/ballots                  {title, question, deadline}       as secretariat
//   POST /api/v1/instances/{id}/events    {"event":"vote","data":{...}}     x 5, one per
//                                                                            Council member
//
// The fifth vote closes the ballot in the same transaction; every 32nd ballot's last answer is
// parsed and must show the instance in state "approved". Every request is timed from sending
// its request line to reading the last byte of its answer. The server's access log is written
// to a file in the temporary directory (one line per request, as `rsoflow serve` logs).
//
//   build-perf/bench/api_load [--seconds 10] [--connections 16] [--warmup 1] [--keep] [--me]
//
// --me replaces the ballots by GET /api/v1/me (authenticated, no command): the rate of the
// HTTP layer alone, for comparison.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <pthread.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "accounts/accounts.h"
#include "api/server.h"
#include "app/runtime.h"
#include "db/wal_vfs.h"
#include "engine/clock.h"

namespace rsoflow {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kCouncil = 5;
constexpr int kPbkdf2Iterations = 1000;  // setup only; no login happens during the run
constexpr int kSampleEvery = 32;         // ballots whose final answer is fully checked

struct Options {
  double seconds = 10;
  double warmup = 1;
  int connections = 16;
  bool keep = false;
  bool me_only = false;
};

void Usage() {
  std::cerr << "usage: api_load [--seconds N] [--connections N] [--warmup N] [--keep] [--me]\n"
               "  --seconds N       measured duration (default 10)\n"
               "  --connections N   keep-alive connections, one client thread each (default 16)\n"
               "  --warmup N        seconds run before measuring, not counted (default 1)\n"
               "  --keep            keep the temporary database and access log\n"
               "  --me              GET /api/v1/me instead of ballots (the HTTP layer alone)\n";
}

bool ParseArgs(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](double* out) {
      if (i + 1 >= argc) return false;
      char* end = nullptr;
      *out = std::strtod(argv[++i], &end);
      return end != nullptr && *end == '\0' && *out >= 0;
    };
    double v = 0;
    if (a == "--seconds" && value(&v) && v > 0) {
      o->seconds = v;
    } else if (a == "--warmup" && value(&v)) {
      o->warmup = v;
    } else if (a == "--connections" && value(&v) && v >= 1 && v <= 1024) {
      o->connections = static_cast<int>(v);
    } else if (a == "--keep") {
      o->keep = true;
    } else if (a == "--me") {
      o->me_only = true;
    } else {
      return false;
    }
  }
  return true;
}

struct Stats {
  std::vector<uint32_t> create_us, vote_us, me_us;  // latencies of measured requests
  int64_t ballots = 0;                              // completed (all five votes) while measuring
  int64_t errors = 0;   // unexpected status, transport error, bad answer (warm-up included)
  int64_t samples = 0;  // ballots whose final answer was fully checked
  std::string first_error;
};

// Poco's session with TCP_NODELAY on its socket, as curl and browsers set it: the request
// line and headers and the body leave in separate writes.
class Session : public Poco::Net::HTTPClientSession {
 public:
  using HTTPClientSession::HTTPClientSession;
  void Connect() {
    if (connected()) return;
    reconnect();
    socket().setNoDelay(true);
  }
};

class Client {
 public:
  Client(uint16_t port, const std::string& sec_token, const std::vector<std::string>& council)
      : session_("127.0.0.1", port), sec_auth_("Bearer " + sec_token) {
    session_.setKeepAlive(true);
    session_.setTimeout(Poco::Timespan(30, 0));
    for (const auto& t : council) council_auth_.push_back("Bearer " + t);
  }

  // One request; returns the status (0 on a transport error) and the body in *body.
  int Post(const std::string& path, const std::string& auth, const std::string& json,
           std::string* body) {
    body->clear();
    try {
      Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_POST, path,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
      req.set("Authorization", auth);
      req.setContentType("application/json");
      req.setContentLength64(static_cast<Poco::UInt64>(json.size()));
      req.setKeepAlive(true);
      session_.Connect();
      session_.sendRequest(req) << json;
      Poco::Net::HTTPResponse res;
      std::istream& in = session_.receiveResponse(res);
      Poco::StreamCopier::copyToString(in, *body);
      return static_cast<int>(res.getStatus());
    } catch (const std::exception& e) {
      *body = e.what();
      session_.reset();  // reconnects on the next request
      return 0;
    }
  }

  // GET of `path`; returns the status (0 on a transport error) and the body in *body.
  int Get(const std::string& path, const std::string& auth, std::string* body) {
    body->clear();
    try {
      Poco::Net::HTTPRequest req(Poco::Net::HTTPRequest::HTTP_GET, path,
                                 Poco::Net::HTTPMessage::HTTP_1_1);
      req.set("Authorization", auth);
      req.setKeepAlive(true);
      session_.Connect();
      session_.sendRequest(req);
      Poco::Net::HTTPResponse res;
      std::istream& in = session_.receiveResponse(res);
      Poco::StreamCopier::copyToString(in, *body);
      return static_cast<int>(res.getStatus());
    } catch (const std::exception& e) {
      *body = e.what();
      session_.reset();
      return 0;
    }
  }

  // --me: GET /api/v1/me until `stop`, timed like the ballot requests (in me_us).
  void RunMe(Clock::time_point measure_from, Clock::time_point stop, Stats* st) {
    std::string body;
    while (Clock::now() < stop) {
      const auto t0 = Clock::now();
      const int status = Get("/api/v1/me", sec_auth_, &body);
      const auto t1 = Clock::now();
      if (status != 200) Error(st, "me: " + std::to_string(status) + " " + body.substr(0, 300));
      if (t0 >= measure_from && t1 <= stop) st->me_us.push_back(Micros(t1 - t0));
    }
  }

  // Runs ballots until `stop`; counts what completes between `measure_from` and `stop`.
  void Run(Clock::time_point measure_from, Clock::time_point stop, int64_t seed, Stats* st) {
    std::string body;
    int64_t n = seed;
    const std::string deadline = FormatTime(SystemClock().NowMs() + 14 * kMsPerDay);
    while (Clock::now() < stop) {
      ++n;
      const bool sample = n % kSampleEvery == 0;
      const std::string create = "{\"title\":\"Load ballot " + std::to_string(n) +
                                 "\",\"question\":\"Approve the budget?\",\"deadline\":\"" +
                                 deadline + "\"}";
      auto t0 = Clock::now();
      int status = Post("/api/v1/ballots", sec_auth_, create, &body);
      auto t1 = Clock::now();
      const bool measured = t0 >= measure_from && t1 <= stop;
      if (measured) st->create_us.push_back(Micros(t1 - t0));
      std::string id = status == 201 ? TopLevelId(body) : "";
      if (id.empty()) {
        Error(st, "create: " + std::to_string(status) + " " + body.substr(0, 300));
        continue;
      }
      const std::string path = "/api/v1/instances/" + id + "/events";
      bool ok = true;
      for (int v = 0; v < kCouncil && ok; ++v) {
        t0 = Clock::now();
        status = Post(path, council_auth_[static_cast<size_t>(v)], kVote, &body);
        t1 = Clock::now();
        const bool m = t0 >= measure_from && t1 <= stop;
        if (m) st->vote_us.push_back(Micros(t1 - t0));
        if (status != 200) {
          Error(st, "vote: " + std::to_string(status) + " " + body.substr(0, 300));
          ok = false;
        }
      }
      if (!ok) continue;
      if (sample) {
        auto parsed = ParseJson(body, nullptr, 256);
        const Json* inst = parsed ? parsed->Get("instance") : nullptr;
        const std::string state = inst ? inst->GetString("state") : "";
        if (state != "approved") {
          Error(st, "ballot " + id + " is '" + state + "' after five approvals");
          continue;
        }
        ++st->samples;
      }
      if (t1 >= measure_from && t1 <= stop) ++st->ballots;
    }
  }

 private:
  static constexpr const char* kVote = R"({"event":"vote","data":{"choice":"approve"}})";

  static uint32_t Micros(Clock::duration d) {
    return static_cast<uint32_t>(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
  }

  // The instance's own "id" (the body's keys are sorted, and no nested key is spelled "id").
  static std::string TopLevelId(const std::string& body) {
    static const std::string kKey = "\"id\":\"";
    const size_t at = body.find(kKey);
    if (at == std::string::npos) return "";
    const size_t from = at + kKey.size();
    const size_t to = body.find('"', from);
    return to == std::string::npos ? "" : body.substr(from, to - from);
  }

  static void Error(Stats* st, const std::string& what) {
    ++st->errors;
    if (st->first_error.empty()) st->first_error = what;
  }

  Session session_;
  std::string sec_auth_;
  std::vector<std::string> council_auth_;
};

double Percentile(const std::vector<uint32_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t i =
      std::min(sorted.size() - 1, static_cast<size_t>(p * static_cast<double>(sorted.size())));
  return sorted[i] / 1000.0;
}

void PrintLatency(const char* what, std::vector<uint32_t> v) {
  std::sort(v.begin(), v.end());
  std::printf("  %-8s %9zu requests   p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms\n", what, v.size(),
              Percentile(v, 0.50), Percentile(v, 0.99), v.empty() ? 0.0 : v.back() / 1000.0);
}

std::string MustToken(Engine& engine, const std::string& username, const std::string& role) {
  accounts::NewUser u;
  u.username = username;
  u.display_name = username;
  u.role = role;
  u.password = "load-password-" + username;
  auto user = accounts::AddUser(engine, u, kPbkdf2Iterations, accounts::Acting{});
  if (!user.ok()) {
    std::cerr << "cannot add " << username << ": " << user.status().ToString() << "\n";
    std::exit(2);
  }
  // The user's own token: a Council member votes only with one it obtained itself (issue 17).
  accounts::Acting self;
  self.actor = Actor{user->id, user->username, user->role, user->rso_id, {}};
  auto token = accounts::IssueToken(engine, user->id, "load", "api", std::nullopt, self);
  if (!token.ok()) {
    std::cerr << "cannot issue a token: " << token.status().ToString() << "\n";
    std::exit(2);
  }
  return token->token;
}

int Main(int argc, char** argv) {
  Options opt;
  if (!ParseArgs(argc, argv, &opt)) {
    Usage();
    return 2;
  }
  const auto dir =
      std::filesystem::temp_directory_path() / ("rsoflow-api-load-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  const std::string db_path = (dir / "load.db").string();
  const std::string log_path = (dir / "access.log").string();
  spdlog::set_default_logger(spdlog::basic_logger_mt("rsoflow", log_path, true));

  SystemClock clock;
  auto rt = Runtime::Open(db_path, clock, true);
  if (!rt.ok()) {
    std::cerr << rt.status().ToString() << "\n";
    return 2;
  }
  Runtime& runtime = **rt;
  ServerOptions server_options;
  server_options.port = 0;
  server_options.api.pbkdf2_iterations = kPbkdf2Iterations;
  HttpServer server(runtime.engine(), server_options);
  if (Status st = server.Start(); !st.ok()) {
    std::cerr << st.ToString() << "\n";
    return 2;
  }
  const std::string sec = MustToken(runtime.engine(), "load.sec", "secretariat");
  std::vector<std::string> council;
  for (int i = 0; i < kCouncil; ++i) {
    council.push_back(MustToken(runtime.engine(), "load.council" + std::to_string(i), "council"));
  }

  std::printf("rsoflow api_load: %d keep-alive connections, %g s measured after %g s warm-up\n",
              opt.connections, opt.seconds, opt.warmup);
  std::printf("  server on 127.0.0.1:%u, database %s (WAL, synchronous=FULL)\n", server.port(),
              db_path.c_str());
  std::fflush(stdout);

  const auto start = Clock::now();
  const auto measure_from = start + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(opt.warmup));
  const auto stop = measure_from + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(opt.seconds));
  std::vector<Stats> stats(static_cast<size_t>(opt.connections));
  std::vector<std::thread> threads;
  EngineStats engine_before;
  db::WalWriteCounts wal_before;
  std::atomic<bool> engine_sampled{false};
  std::thread sampler([&] {
    std::this_thread::sleep_until(measure_from);
    engine_before = runtime.engine().Stats();
    wal_before = db::WalWrites();
    engine_sampled = true;
  });
  for (int i = 0; i < opt.connections; ++i) {
    threads.emplace_back([&, i] {
      pthread_setname_np(pthread_self(), "load-client");  // apart from the server's in perf
      Client client(server.port(), sec, council);
      if (opt.me_only) {
        client.RunMe(measure_from, stop, &stats[static_cast<size_t>(i)]);
      } else {
        client.Run(measure_from, stop, int64_t{i} * 1000000000, &stats[static_cast<size_t>(i)]);
      }
    });
  }
  for (auto& t : threads) t.join();
  sampler.join();
  const EngineStats engine_after = runtime.engine().Stats();
  const db::WalWriteCounts wal_after = db::WalWrites();

  Stats all;
  for (auto& s : stats) {
    all.create_us.insert(all.create_us.end(), s.create_us.begin(), s.create_us.end());
    all.me_us.insert(all.me_us.end(), s.me_us.begin(), s.me_us.end());
    all.vote_us.insert(all.vote_us.end(), s.vote_us.begin(), s.vote_us.end());
    all.ballots += s.ballots;
    all.errors += s.errors;
    all.samples += s.samples;
    if (all.first_error.empty()) all.first_error = s.first_error;
  }
  std::vector<uint32_t> every = all.create_us;
  every.insert(every.end(), all.me_us.begin(), all.me_us.end());
  every.insert(every.end(), all.vote_us.begin(), all.vote_us.end());
  const double batches = static_cast<double>(engine_after.batches - engine_before.batches);
  const double items =
      static_cast<double>(engine_after.batched_items - engine_before.batched_items);

  if (!opt.me_only) {
    std::printf("  ballots/s  %9.0f   (%lld complete ballots)\n",
                static_cast<double>(all.ballots) / opt.seconds,
                static_cast<long long>(all.ballots));
  }
  std::printf("  requests/s %9.0f\n", static_cast<double>(every.size()) / opt.seconds);
  PrintLatency("all", every);
  if (opt.me_only) {
    PrintLatency("me", all.me_us);
  } else {
    PrintLatency("create", all.create_us);
    PrintLatency("vote", all.vote_us);
  }
  std::printf("  errors     %9lld%s%s\n", static_cast<long long>(all.errors),
              all.first_error.empty() ? "" : "   first: ", all.first_error.c_str());
  if (!opt.me_only) {
    std::printf("  checked    %9lld ballots closed 'approved' by their fifth vote\n",
                static_cast<long long>(all.samples));
    std::printf("  group commit: %.0f commits/s, mean batch %.1f\n", batches / opt.seconds,
                engine_sampled && batches > 0 ? items / batches : 0.0);
    // SQLite writes a WAL frame as two calls (its header, then its page).
    const double frames =
        static_cast<double>(wal_after.writes_from_sqlite - wal_before.writes_from_sqlite) / 2;
    std::printf("  WAL: %.1f frames (pages) a commit\n",
                engine_sampled && batches > 0 ? frames / batches : 0.0);
  }

  server.Stop();
  rt->reset();
  spdlog::shutdown();
  if (!opt.keep) std::filesystem::remove_all(dir);
  const bool worked = opt.me_only ? !all.me_us.empty() : all.ballots > 0;
  return all.errors == 0 && worked ? 0 : 1;
}

}  // namespace
}  // namespace rsoflow

int main(int argc, char** argv) { return rsoflow::Main(argc, argv); }
