// Runs the rsoflow executable (RSOFLOW_BIN) as a user would, through the shell, for the
// command-line tests. Password hashing is made cheap (RSOFLOW_PBKDF2_ITERATIONS=1000) so the
// commands that create users stay quick.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace rsoflow::testing {

struct CliRun {
  int code;
  std::string out;  // stdout and stderr, unless `streams` said otherwise
};

// `streams` is the shell redirection that decides what `out` holds: both streams by default,
// "2>/dev/null" for standard output alone, "2>&1 >/dev/null" for standard error alone.
// `stdin_text`, when given, is the command's standard input (one line).
inline CliRun Rsoflow(const std::string& args, const std::string& stdin_text = "",
                      const std::string& streams = "2>&1") {
  std::string cmd = "RSOFLOW_PBKDF2_ITERATIONS=1000 ";
  if (!stdin_text.empty()) cmd += "printf '%s\\n' '" + stdin_text + "' | ";
  cmd += std::string(RSOFLOW_BIN) + " " + args + " " + streams;
  FILE* p = popen(cmd.c_str(), "r");
  CliRun r{-1, ""};
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace rsoflow::testing
