// What waking a sleeping thread costs on this machine, for the "short waits poll" reasoning
// of docs/ARCHITECTURE.md: two threads pass one byte back and forth through two pipes, each
// blocking in read() until the other writes, 20 000 round trips; first with both threads
// pinned to one CPU (a wake-up is a context switch), then on two CPUs (a wake-up crosses to
// the other CPU, idle in between); then the same across two CPUs with the waiting side
// polling its pipe (non-blocking reads and sched_yield) instead of sleeping.
//
//   build-perf/bench/wake_probe
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

namespace {

constexpr int kRounds = 20000;

bool Pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

// Reads one byte, sleeping in read() or, when `poll`, retrying a non-blocking read.
bool ReadOne(int fd, bool poll) {
  char c = 0;
  for (;;) {
    const ssize_t n = read(fd, &c, 1);
    if (n == 1) return true;
    if (n < 0 && poll && errno == EAGAIN) {
      sched_yield();
      continue;
    }
    return false;
  }
}

bool WriteOne(int fd) {
  const char c = 'x';
  return write(fd, &c, 1) == 1;
}

// Microseconds a round trip, or a negative number when a system call failed.
double RoundTrip(int cpu_a, int cpu_b, bool poll) {
  int there[2], back[2];
  if (pipe(there) != 0 || pipe(back) != 0) return -1;
  if (poll) {
    for (int fd : {there[0], back[0]}) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  // Each side closes its writing end when it is done, so that a side that failed ends the
  // other's read (end of file) instead of leaving it waiting.
  bool ok_b = true;
  std::thread b([&] {
    ok_b = Pin(cpu_b);
    for (int i = 0; ok_b && i < kRounds; ++i) ok_b = ReadOne(there[0], poll) && WriteOne(back[1]);
    close(back[1]);
  });
  bool ok_a = Pin(cpu_a);
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; ok_a && i < kRounds; ++i) ok_a = WriteOne(there[1]) && ReadOne(back[0], poll);
  const auto t1 = std::chrono::steady_clock::now();
  close(there[1]);
  b.join();
  close(there[0]);
  close(back[0]);
  if (!ok_a || !ok_b) return -1;
  return std::chrono::duration<double, std::micro>(t1 - t0).count() / kRounds;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1) {
    std::printf(
        "usage: wake_probe\n"
        "  microseconds a round trip between two threads through two pipes: on one CPU, on\n"
        "  two CPUs sleeping in read(), and on two CPUs polling (needs CPUs 0 and 1)\n");
    return std::string(argv[1]) == "--help" ? 0 : 2;
  }
  struct Case {
    const char* what;
    int cpu_a, cpu_b;
    bool poll;
  };
  bool ok = true;
  for (const Case& c : {Case{"one CPU, sleeping       ", 0, 0, false},
                        Case{"two CPUs, sleeping      ", 0, 1, false},
                        Case{"two CPUs, polling       ", 0, 1, true}}) {
    const double us = RoundTrip(c.cpu_a, c.cpu_b, c.poll);
    if (us < 0) {
      std::fprintf(stderr, "wake_probe: %s failed: %s\n", c.what, std::strerror(errno));
      ok = false;
      continue;
    }
    std::printf("%s %7.1f us a round trip\n", c.what, us);
  }
  return ok ? 0 : 1;
}
