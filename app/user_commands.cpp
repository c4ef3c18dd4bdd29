// rsoflow user add|disable|enable|set-role and token create: the accounts changes the API makes
// (POST /api/v1/users, PATCH /api/v1/users/{id}, POST /api/v1/users/{id}/tokens), through the
// same accounts:: functions, acting as the system (which is how the audit names the command
// line, so only the last-admin rule applies).
#include <algorithm>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "accounts/accounts.h"
#include "accounts/auth.h"
#include "app/command.h"
#include "app/runtime.h"
#include "engine/clock.h"

namespace rsoflow::app {
namespace {

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    const size_t comma = s.find(',', start);
    std::string part =
        s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!part.empty()) out.push_back(part);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

// user disable|enable USERNAME, user set-role USERNAME ROLE [--rso ACRONYM].
int RunUserChange(const CommandLine& line) {
  const std::vector<std::string>& args = line.args;
  const std::string& sub = args[0];
  const size_t want = sub == "set-role" ? 3 : 2;
  if (args.size() != want) {
    return Usage("user", sub == "set-role" ? "expected: user set-role USERNAME ROLE"
                                           : "expected: user " + sub + " USERNAME");
  }
  for (const char* option : {"role", "display-name", "affiliated", "password-stdin"}) {
    std::string key = option;
    std::replace(key.begin(), key.end(), '-', '_');
    if (line.has(key)) return Usage("user", "--" + std::string(option) + " is for user add");
  }
  if (sub != "set-role" && line.has("rso")) return Usage("user", "--rso is for set-role");
  SystemClock clock;
  auto rt = Runtime::Open(DbPath(line), clock, false);
  if (!rt.ok()) return FailOpen(rt.status(), ", or use PATCH /api/v1/users/{id}");
  auto user = (*rt)->store().GetUserByName(args[1]);
  if (!user.ok()) return Fail(user.status());
  accounts::UserPatch patch;
  if (sub == "set-role") {
    patch.role = args[2];
    if (line.has("rso")) {
      auto id = accounts::ResolveRso((*rt)->store(), line.get("rso"), "--rso");
      if (!id.ok()) return Fail(id.status());
      patch.rso_id = *id;
    }
  } else {
    patch.disabled = sub == "disable";
  }
  auto changed = accounts::UpdateUser((*rt)->engine(), user->id, patch, accounts::Acting{});
  if (!changed.ok()) return Fail(changed.status());
  std::cout << "user " << changed->username << " (id " << changed->id << "): role " << changed->role
            << (changed->rso_id.empty() ? "" : ", RSO " + changed->rso_id)
            << (changed->disabled ? ", disabled" : ", enabled") << "\n";
  return 0;
}

}  // namespace

int RunUser(const CommandLine& line) {
  const std::vector<std::string>& args = line.args;
  if (!args.empty() && (args[0] == "disable" || args[0] == "enable" || args[0] == "set-role")) {
    return RunUserChange(line);
  }
  if (args.size() != 2 || args[0] != "add") {
    return Usage("user", "expected: user add|disable|enable|set-role USERNAME ...");
  }
  if (!line.has("role")) return Usage("user", "--role is required");
  SystemClock clock;
  auto rt = Runtime::Open(DbPath(line), clock, false);
  if (!rt.ok()) return FailOpen(rt.status(), ", or create the user with POST /api/v1/users");
  accounts::NewUser u;
  u.username = args[1];
  u.role = line.get("role");
  if (line.has("rso")) {
    auto id = accounts::ResolveRso((*rt)->store(), line.get("rso"), "--rso");
    if (!id.ok()) return Fail(id.status());
    u.rso_id = *id;
  }
  u.display_name = line.get("display_name");
  for (const auto& ref : SplitComma(line.get("affiliated"))) {
    auto id = accounts::ResolveRso((*rt)->store(), ref, "--affiliated");
    if (!id.ok()) return Fail(id.status());
    u.affiliated_rso_ids.push_back(*id);
  }
  bool generated = false;
  if (line.has("password_stdin")) {
    std::getline(std::cin, u.password);
    if (!u.password.empty() && u.password.back() == '\r') u.password.pop_back();
  } else {
    u.password = auth::NewPassword();
    generated = true;
  }
  auto user = accounts::AddUser((*rt)->engine(), u, Pbkdf2Iterations(), accounts::Acting{});
  if (!user.ok()) return Fail(user.status());
  std::cout << "created user " << user->username << " (id " << user->id << ", role " << user->role
            << ")\n";
  if (generated) std::cout << "password: " << u.password << "\n";
  return 0;
}

int RunToken(const CommandLine& line) {
  const std::vector<std::string>& args = line.args;
  if (args.size() != 2 || args[0] != "create") {
    return Usage("token", "expected: token create USERNAME");
  }
  std::optional<int64_t> expires_at;
  SystemClock clock;
  if (line.has("expires_days")) {
    auto days = ParsePositiveInt(line.get("expires_days"), 3650);
    if (!days || *days < 1) return Usage("token", "--expires-days must be from 1 to 3650");
    expires_at = clock.NowMs() + *days * kMsPerDay;
  }
  auto rt = Runtime::Open(DbPath(line), clock, false);
  if (!rt.ok()) {
    return FailOpen(rt.status(), ", or issue the token with POST /api/v1/users/{id}/tokens");
  }
  auto user = (*rt)->store().GetUserByName(args[1]);
  if (!user.ok()) return Fail(user.status());
  auto token = accounts::IssueToken((*rt)->engine(), user->id, line.get("name", "cli"), "api",
                                    expires_at, accounts::Acting{});
  if (!token.ok()) return Fail(token.status());
  std::cout << token->token << "\n";
  std::cerr << "token id " << token->id << " for " << user->username
            << (expires_at ? ", expires " + FormatTime(*expires_at) : ", no expiry")
            << " (shown once; only its SHA-256 is stored)\n";
  return 0;
}

}  // namespace rsoflow::app
