// A lean load driver for complete Council ballots over HTTP (issue 4), run by
// `bench/api_wrk --driver lean` against a real `rsoflow serve` process.
//
// The same work as bench/wrk/ballots.lua and bench/api_load: each of --connections keep-alive
// connections runs whole ballots one after the other,
//
//   POST /api/v1/ballots                  {title, question, deadline}       as secretariat
//   POST /api/v1/instances/{id}/events    {"event":"vote","data":{...}}     x 5, one per
//                                                                            Council member
//
// and every fifth vote's answer must show the ballot "approved". Where wrk runs one thread
// and one Lua state per connection (the script keeps a ballot's progress per thread), this
// runs every connection from one thread and one epoll loop, so the driver takes about a
// fifth of the CPU wrk takes here and leaves the rest to the server on the same two cores.
// Each request is timed from its first byte sent to the last byte of its answer read.
//
//   api_drive --url http://127.0.0.1:PORT [--seconds 10] [--warmup 1] [--connections 16]
//
// Tokens and the deadline come from the environment, as for the Lua script:
// RSOFLOW_LOAD_SEC_TOKEN, RSOFLOW_LOAD_COUNCIL_TOKEN_1..5, RSOFLOW_LOAD_DEADLINE.
// Exit status: 0 when ballots completed without error, 1 otherwise, 2 on bad usage.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kCouncil = 5;

struct Options {
  std::string host = "127.0.0.1";
  int port = 0;
  double seconds = 10;
  double warmup = 1;
  int connections = 16;
};

int Usage(int status) {
  std::fputs(
      "api_drive --url http://127.0.0.1:PORT [--seconds N] [--warmup N] [--connections N]\n"
      "Runs complete Council ballots (create, five votes) over keep-alive connections from\n"
      "one epoll loop; tokens from RSOFLOW_LOAD_SEC_TOKEN, RSOFLOW_LOAD_COUNCIL_TOKEN_1..5,\n"
      "the deadline from RSOFLOW_LOAD_DEADLINE. Normally run by bench/api_wrk --driver lean.\n",
      status == 0 ? stdout : stderr);
  return status;
}

bool ParseNumber(const char* text, double* out) {
  char* end = nullptr;
  const double v = std::strtod(text, &end);
  if (end == text || *end != '\0' || !(v >= 0)) return false;
  *out = v;
  return true;
}

struct Connection {
  int fd = -1;
  int phase = 0;  // 0: create the next ballot; 1..5: the Council member who votes next
  std::string ballot_id;
  std::string out;  // the request being sent
  size_t sent = 0;
  std::string in;  // what has arrived of its answer
  Clock::time_point started;
  bool counting = false;  // started inside the measured window
  bool watching_out = false;
};

class Driver {
 public:
  Driver(Options options, std::string sec, std::vector<std::string> council, std::string deadline)
      : o_(std::move(options)),
        sec_(std::move(sec)),
        council_(std::move(council)),
        deadline_(std::move(deadline)) {}

  int Run() {
    epoll_ = epoll_create1(0);
    if (epoll_ < 0) return Fail("epoll_create1");
    conns_.resize(static_cast<size_t>(o_.connections));
    for (Connection& c : conns_) {
      if (!Connect(c)) return 1;
    }
    const Clock::time_point begin = Clock::now();
    measure_from_ = begin + Micros(o_.warmup);
    measure_until_ = measure_from_ + Micros(o_.seconds);
    for (Connection& c : conns_) Start(c);
    std::vector<epoll_event> events(conns_.size());
    while (Clock::now() < measure_until_) {
      const int n = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 100);
      if (n < 0 && errno != EINTR) return Fail("epoll_wait");
      for (int i = 0; i < n; ++i) {
        Connection& c = conns_[events[static_cast<size_t>(i)].data.u64];
        if (events[static_cast<size_t>(i)].events & EPOLLOUT) Write(c);
        if (events[static_cast<size_t>(i)].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) Read(c);
      }
    }
    Report();
    for (Connection& c : conns_) {
      if (c.fd >= 0) close(c.fd);
    }
    close(epoll_);
    return errors_ == 0 && ballots_ > 0 ? 0 : 1;
  }

 private:
  static std::chrono::microseconds Micros(double seconds) {
    return std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6));
  }

  int Fail(const char* what) {
    std::fprintf(stderr, "api_drive: %s: %s\n", what, std::strerror(errno));
    return 1;
  }

  bool Connect(Connection& c) {
    if (c.fd >= 0) {
      epoll_ctl(epoll_, EPOLL_CTL_DEL, c.fd, nullptr);
      close(c.fd);
    }
    c.fd = -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(o_.port));
    if (inet_pton(AF_INET, o_.host.c_str(), &addr.sin_addr) != 1) {
      std::fprintf(stderr, "api_drive: '%s' is not an IPv4 address\n", o_.host.c_str());
      return false;
    }
    c.fd = socket(AF_INET, SOCK_STREAM, 0);
    if (c.fd < 0 || connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      Fail("connect");
      return false;
    }
    const int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(c.fd, F_SETFL, fcntl(c.fd, F_GETFL) | O_NONBLOCK);
    c.watching_out = false;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = static_cast<uint64_t>(&c - conns_.data());
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, c.fd, &ev) != 0) {
      Fail("epoll_ctl");
      return false;
    }
    return true;
  }

  // Builds the connection's next request and sends what the socket takes.
  void Start(Connection& c) {
    std::string path, token, body;
    if (c.phase == 0) {
      path = "/api/v1/ballots";
      token = sec_;
      body = "{\"title\":\"Load ballot " + std::to_string(++created_) +
             "\",\"question\":\"Approve the budget?\",\"deadline\":\"" + deadline_ + "\"}";
    } else {
      path = "/api/v1/instances/" + c.ballot_id + "/events";
      token = council_[static_cast<size_t>(c.phase - 1)];
      body = R"({"event":"vote","data":{"choice":"approve"}})";
    }
    c.out = "POST " + path + " HTTP/1.1\r\nHost: " + o_.host + ":" + std::to_string(o_.port) +
            "\r\nAuthorization: Bearer " + token +
            "\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n\r\n" + body;
    c.sent = 0;
    c.in.clear();
    c.started = Clock::now();
    c.counting = c.started >= measure_from_;
    Write(c);
  }

  void Write(Connection& c) {
    while (c.sent < c.out.size()) {
      const ssize_t n = send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
      if (n > 0) {
        c.sent += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      return Broken(c, "send failed");
    }
    // Woken for writing only while a request is stuck half sent.
    const bool stuck = c.sent < c.out.size();
    if (stuck != c.watching_out) {
      epoll_event ev{};
      ev.events = stuck ? EPOLLIN | EPOLLOUT : EPOLLIN;
      ev.data.u64 = static_cast<uint64_t>(&c - conns_.data());
      epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
      c.watching_out = stuck;
    }
  }

  void Read(Connection& c) {
    char buf[16384];
    const ssize_t n = recv(c.fd, buf, sizeof buf, 0);
    if (n == 0) return Broken(c, "the server closed the connection");
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return;
      return Broken(c, "recv failed");
    }
    c.in.append(buf, static_cast<size_t>(n));
    const size_t end = c.in.find("\r\n\r\n");
    if (end == std::string::npos) return;
    const std::string head = Lower(c.in.substr(0, end + 2));
    const size_t at = head.find("\r\ncontent-length:");
    if (at == std::string::npos || c.in.compare(0, 9, "HTTP/1.1 ") != 0) {
      return Broken(c, "an answer without Content-Length");
    }
    const size_t length = std::strtoul(head.c_str() + at + 17, nullptr, 10);
    if (c.in.size() < end + 4 + length) return;
    if (c.in.size() > end + 4 + length) return Broken(c, "bytes after the answer");
    Answered(c, std::atoi(c.in.c_str() + 9), head, c.in.substr(end + 4));
  }

  static std::string Lower(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  }

  void Answered(Connection& c, int status, const std::string& head, const std::string& body) {
    const Clock::time_point now = Clock::now();
    const bool counted = c.counting && now < measure_until_;
    if (counted) {
      latencies_us_.push_back(static_cast<uint32_t>(
          std::chrono::duration_cast<std::chrono::microseconds>(now - c.started).count()));
    }
    if (c.phase == 0) {
      // The new ballot's id, from Location: /api/v1/instances/{id}.
      const std::string kLocation = "\r\nlocation: /api/v1/instances/";
      const size_t at = head.find(kLocation);
      if (status != 201 || at == std::string::npos) return Error(c, "create", status, body);
      const size_t from = at + kLocation.size();
      c.ballot_id = head.substr(from, head.find("\r\n", from) - from);
      c.phase = 1;
    } else if (status != 200) {
      return Error(c, "vote", status, body);
    } else if (c.phase == kCouncil) {
      if (body.find(R"("state":"approved")") == std::string::npos) {
        return Error(c, "fifth vote", status, body);
      }
      if (counted) ++ballots_;
      c.phase = 0;
    } else {
      ++c.phase;
    }
    Start(c);
  }

  void Error(Connection& c, const char* what, int status, const std::string& body) {
    ++errors_;
    if (first_error_.empty()) {
      first_error_ = std::string(what) + ": " + std::to_string(status) + " " + body.substr(0, 300);
    }
    c.phase = 0;
    Start(c);
  }

  // A connection that cannot be made again ends the run: fewer connections would measure
  // another load.
  void Broken(Connection& c, const char* what) {
    ++errors_;
    if (first_error_.empty()) first_error_ = what;
    c.phase = 0;
    if (Connect(c)) {
      Start(c);
    } else {
      measure_until_ = Clock::now();
    }
  }

  void Report() {
    std::sort(latencies_us_.begin(), latencies_us_.end());
    auto percentile = [&](double p) {
      if (latencies_us_.empty()) return 0.0;
      const size_t i =
          std::min(latencies_us_.size() - 1,
                   static_cast<size_t>(p / 100 * static_cast<double>(latencies_us_.size())));
      return latencies_us_[i] / 1000.0;
    };
    std::printf("  ballots/s  %9.0f   (%ld complete ballots)\n", ballots_ / o_.seconds, ballots_);
    std::printf("  requests/s %9.0f\n", static_cast<double>(latencies_us_.size()) / o_.seconds);
    std::printf("  all        %9zu requests   p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms\n",
                latencies_us_.size(), percentile(50), percentile(99),
                latencies_us_.empty() ? 0.0 : latencies_us_.back() / 1000.0);
    std::printf("  errors     %9ld%s\n", errors_,
                first_error_.empty() ? "" : ("   first: " + first_error_).c_str());
  }

  Options o_;
  std::string sec_;
  std::vector<std::string> council_;
  std::string deadline_;
  int epoll_ = -1;
  std::vector<Connection> conns_;
  Clock::time_point measure_from_, measure_until_;
  long created_ = 0, ballots_ = 0, errors_ = 0;
  std::string first_error_;
  std::vector<uint32_t> latencies_us_;
};

const char* Env(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') {
    std::fprintf(stderr, "api_drive: %s is not set (run it through bench/api_wrk --driver lean)\n",
                 name);
    std::exit(2);
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-h" || a == "--help") return Usage(0);
    if (i + 1 >= argc) return Usage(2);
    const char* v = argv[++i];
    double number = 0;
    if (a == "--url") {
      const std::string url = v;
      const std::string kScheme = "http://";
      const size_t colon = url.rfind(':');
      if (url.compare(0, kScheme.size(), kScheme) != 0 || colon < kScheme.size()) {
        return Usage(2);
      }
      o.host = url.substr(kScheme.size(), colon - kScheme.size());
      o.port = std::atoi(url.c_str() + colon + 1);
      if (o.port <= 0 || o.port > 65535) return Usage(2);
    } else if (!ParseNumber(v, &number) || (number == 0 && a != "--warmup")) {
      std::fprintf(stderr, "api_drive: %s needs a positive number, not '%s'\n", a.c_str(), v);
      return 2;
    } else if (number > 86400) {
      std::fprintf(stderr, "api_drive: %s is at most 86400 seconds\n", a.c_str());
      return 2;
    } else if (a == "--seconds") {
      o.seconds = number;
    } else if (a == "--warmup") {
      o.warmup = number;
    } else if (a == "--connections") {
      if (number != static_cast<int>(number) || number > 4096) {
        std::fprintf(stderr, "api_drive: --connections is a whole number from 1 to 4096\n");
        return 2;
      }
      o.connections = static_cast<int>(number);
    } else {
      std::fprintf(stderr, "api_drive: unknown argument '%s'\n", a.c_str());
      return Usage(2);
    }
  }
  if (o.port == 0) return Usage(2);
  std::vector<std::string> council;
  for (int i = 1; i <= kCouncil; ++i) {
    council.emplace_back(Env(("RSOFLOW_LOAD_COUNCIL_TOKEN_" + std::to_string(i)).c_str()));
  }
  Driver d(o, Env("RSOFLOW_LOAD_SEC_TOKEN"), std::move(council), Env("RSOFLOW_LOAD_DEADLINE"));
  return d.Run();
}
