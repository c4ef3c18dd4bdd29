// rsoflow serve: reads the settings (defaults, --config file, environment, flags: Settings in
// command.h), opens the runtime, serves HTTP (api/server.h) until SIGINT or SIGTERM, then
// finishes the commands in flight.
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "accounts/auth.h"
#include "api/notify_dispatcher.h"
#include "api/server.h"
#include "app/command.h"
#include "app/notify_settings.h"
#include "app/runtime.h"
#include "engine/clock.h"
#include "workflows/council_ballot/rules.h"

namespace rsoflow::app {
namespace {

using Poco::Util::MapConfiguration;

// The keys a serve config file may hold.
const std::vector<std::string> kConfigKeys = {"db",
                                              "bind",
                                              "port",
                                              "pbkdf2_iterations",
                                              "caller_poll_us",
                                              "max_polling_callers",
                                              "writer_poll_us",
                                              "web_dir",
                                              "cookie_secure",
                                              "council_min_quorum",
                                              "council_min_voting_hours",
                                              "keep_alive_timeout",
                                              "request_timeout",
                                              "max_connections",
                                              "max_connections_per_address",
                                              "webhook_allow_private",
                                              "smtp_host",
                                              "smtp_port",
                                              "smtp_from",
                                              "smtp_starttls",
                                              "public_url",
                                              "reminder_ballot_hours",
                                              "reminder_action_days",
                                              "reminder_returned_idle_days"};

std::string Trimmed(const std::string& s) {
  const size_t from = s.find_first_not_of(" \t\r\n");
  if (from == std::string::npos) return "";
  return s.substr(from, s.find_last_not_of(" \t\r\n") - from + 1);
}

// key=value lines; '#' starts a comment; blanks around key and value do not count. A key that
// serve does not know, one given twice, or one without a value is refused with its line: a
// misspelt setting would otherwise be ignored without a word. (Poco's PropertyFileConfiguration
// would take all three without a word, and '!' comments and '\' continuations besides.)
bool ReadConfig(const std::string& path, MapConfiguration* out, std::string* error) {
  std::ifstream f(path);
  if (!f) {
    *error = "cannot read config file " + path;
    return false;
  }
  std::string line;
  for (int n = 1; std::getline(f, line); ++n) {
    if (n == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // a UTF-8 BOM
    const std::string s = Trimmed(line.substr(0, line.find('#')));
    if (s.empty()) continue;
    const size_t eq = s.find('=');
    const std::string where = path + ":" + std::to_string(n) + ": ";
    if (eq == std::string::npos) {
      *error = where + "expected key=value";
      return false;
    }
    const std::string key = Trimmed(s.substr(0, eq));
    if (std::find(kConfigKeys.begin(), kConfigKeys.end(), key) == kConfigKeys.end()) {
      std::string known;
      for (const std::string& k : kConfigKeys) known += (known.empty() ? "" : ", ") + k;
      *error = where + "unknown key '" + key + "' (known: " + known + ")";
      return false;
    }
    const std::string value = Trimmed(s.substr(eq + 1));
    if (value.empty()) {
      *error = where + "key '" + key + "' has no value";
      return false;
    }
    if (out->hasProperty(key)) {
      *error = where + "key '" + key + "' is given twice";
      return false;
    }
    out->setString(key, value);
  }
  return true;
}

// The database files hold password hashes and open ballots' votes: rsoflow creates them 0600,
// but a file made by an older version, copied or restored may be readable by others
// (issue 17, finding 7). serve says so rather than changing modes behind the operator's back.
void WarnIfReadableByOthers(const std::string& db) {
  for (const std::string& file : {db, db + "-wal", db + "-shm", db + ".lock"}) {
    struct stat st;
    if (stat(file.c_str(), &st) != 0 || (st.st_mode & 077) == 0) continue;
    char mode[8];
    std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(st.st_mode & 0777));
    spdlog::warn(
        "{} is readable or writable by group or others (mode {}): it holds password "
        "hashes and votes; chmod 600 it",
        file, mode);
  }
}

// What serve runs with, from the settings; or the usage error that refuses them.
struct ServeSettings {
  std::string db;
  ServerOptions server;
  EngineOptions engine;
  WorkflowSettings workflows;
  api::DispatcherOptions dispatch;
};

// The notification settings (OPERATIONS.md, "Notifications"): webhooks, SMTP, the link in
// e-mails, the reminders' periods.
std::string ReadNotifySettings(const Poco::Util::AbstractConfiguration& settings,
                               ServeSettings* out) {
  auto pick = [&](const char* key) { return settings.getRawString(key); };
  const std::string allow = pick("webhook_allow_private");
  if (allow != "true" && allow != "false") {
    return "webhook_allow_private must be true or false, not '" + allow + "'";
  }
  out->server.api.webhook_allow_private = allow == "true";
  api::SmtpSettings& smtp = out->dispatch.smtp;
  smtp.host = pick("smtp_host");
  auto port = ParsePositiveInt(pick("smtp_port"), 65535);
  if (!port || *port == 0) return "smtp_port must be a number from 1 to 65535";
  smtp.port = static_cast<uint16_t>(*port);
  smtp.from = pick("smtp_from");
  if (!smtp.host.empty() && smtp.from.find('@') == std::string::npos) {
    return "smtp_from must be an e-mail address when smtp_host is set";
  }
  const std::string tls = pick("smtp_starttls");
  if (tls != "true" && tls != "false") {
    return "smtp_starttls must be true or false, not '" + tls + "'";
  }
  smtp.starttls = tls == "true";
  out->dispatch.public_url = pick("public_url");
  if (out->dispatch.public_url.empty()) {
    out->dispatch.public_url =
        "http://" + out->server.bind + ":" + std::to_string(out->server.port);
  }
  while (!out->dispatch.public_url.empty() && out->dispatch.public_url.back() == '/') {
    out->dispatch.public_url.pop_back();
  }
  ReminderPeriods periods;
  periods.ballot_hours.clear();
  const std::string hours = pick("reminder_ballot_hours");
  size_t from = 0;
  while (from <= hours.size()) {
    const size_t comma = hours.find(',', from);
    auto h = ParsePositiveInt(Trimmed(hours.substr(from, comma - from)), 10000);
    if (!h || *h == 0) {
      return "reminder_ballot_hours must be hours before a ballot's deadline, e.g. 72,24";
    }
    periods.ballot_hours.push_back(*h);
    if (comma == std::string::npos) break;
    from = comma + 1;
  }
  auto action = ParsePositiveInt(pick("reminder_action_days"), 3650);
  auto idle = ParsePositiveInt(pick("reminder_returned_idle_days"), 3650);
  if (!action || *action == 0) return "reminder_action_days must be a number of days >= 1";
  if (!idle || *idle == 0) return "reminder_returned_idle_days must be a number of days >= 1";
  periods.action_days = *action;
  periods.returned_idle_days = *idle;
  out->engine.notify = DefaultNotifyOptions(periods);
  return "";
}

std::string ReadSettings(const Poco::Util::AbstractConfiguration& settings, ServeSettings* out) {
  auto pick = [&](const char* key) { return settings.getRawString(key); };
  ServerOptions& options = out->server;
  options.bind = pick("bind");
  auto port = ParsePositiveInt(pick("port"), 65535);
  if (!port) return "--port must be a number from 0 to 65535";
  options.port = static_cast<uint16_t>(*port);
  out->db = pick("db");
  auto iterations = ParsePositiveInt(pick("pbkdf2_iterations"), 100000000);
  if (!iterations || *iterations < 1) return "pbkdf2_iterations must be >= 1";
  options.api.pbkdf2_iterations = *iterations;
  options.api.web_dir = pick("web_dir");
  if (!options.api.web_dir.empty() && !std::ifstream(options.api.web_dir + "/index.html")) {
    return "--web-dir " + options.api.web_dir + " holds no index.html";
  }
  const std::string secure = pick("cookie_secure");
  if (secure != "true" && secure != "false") {
    return "cookie_secure must be true or false, not '" + secure + "'";
  }
  options.api.cookie_secure = secure == "true";
  // How short waits poll (EngineOptions; OPERATIONS.md, "Threads"), and the connection limits
  // (issue 17, finding 4; OPERATIONS.md, "Connections"). The first bad one is told.
  std::string knob_error;
  auto knob = [&](const char* key, int max) -> int64_t {
    auto v = ParsePositiveInt(pick(key), max);
    if (!v && knob_error.empty()) {
      std::string env = std::string("RSOFLOW_") + key;
      for (char& c : env) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      knob_error =
          std::string(key) + " (" + env + ") must be a number from 0 to " + std::to_string(max);
    }
    return v.value_or(0);
  };
  EngineOptions& engine = out->engine;
  engine.caller_poll_us = knob("caller_poll_us", 100000);
  engine.max_polling_callers = static_cast<int>(knob("max_polling_callers", 64));
  engine.writer_poll_us = knob("writer_poll_us", 100000);
  options.keep_alive_timeout_ms = static_cast<int>(knob("keep_alive_timeout", 3600)) * 1000;
  options.request_timeout_ms = static_cast<int>(knob("request_timeout", 3600)) * 1000;
  options.max_connections = static_cast<int>(knob("max_connections", 1000000));
  options.max_connections_per_address =
      static_cast<int>(knob("max_connections_per_address", 1000000));
  if (knob_error.empty() && (options.keep_alive_timeout_ms == 0 ||
                             options.request_timeout_ms == 0 || options.max_connections == 0)) {
    knob_error = "keep_alive_timeout, request_timeout and max_connections must be at least 1";
  }
  if (!knob_error.empty()) return knob_error;
  // Floors of every Council ballot (workflows/council_ballot/rules.h): may be raised, never
  // lowered below a majority and 24 hours.
  const std::string q = pick("council_min_quorum");
  char* end = nullptr;
  const double quorum = std::strtod(q.c_str(), &end);
  if (q.empty() || end != q.c_str() + q.size()) {
    return "council_min_quorum must be a number within [0.5, 1]";
  }
  out->workflows.council.min_quorum = quorum;
  auto hours = ParsePositiveInt(pick("council_min_voting_hours"), 100000);
  if (!hours) return "council_min_voting_hours must be a number of hours >= 24";
  out->workflows.council.min_voting_ms = *hours * council_ballot::kMsPerHour;
  Status floors = council_ballot::CheckFloors(out->workflows.council);
  if (!floors.ok()) return floors.message();
  return ReadNotifySettings(settings, out);
}

// Defaults of every setting, the weakest layer under config file, environment and flags.
Poco::AutoPtr<MapConfiguration> ServeDefaults() {
  const EngineOptions engine;
  Poco::AutoPtr<MapConfiguration> d(new MapConfiguration);
  d->setString("db", "var/rsoflow.db");
  d->setString("bind", "127.0.0.1");
  d->setString("port", "8080");
  d->setString("pbkdf2_iterations", std::to_string(auth::kDefaultPbkdf2Iterations));
  d->setString("web_dir", "");
  d->setString("cookie_secure", "false");
  d->setString("caller_poll_us", std::to_string(engine.caller_poll_us));
  d->setString("max_polling_callers", std::to_string(engine.max_polling_callers));
  d->setString("writer_poll_us", std::to_string(engine.writer_poll_us));
  d->setString("keep_alive_timeout", "5");
  d->setString("request_timeout", "10");
  d->setString("max_connections", "1024");
  d->setString("max_connections_per_address", "64");
  d->setString("council_min_quorum", "0.5");
  d->setString("council_min_voting_hours", "72");
  d->setString("webhook_allow_private", "false");
  d->setString("smtp_host", "");
  d->setString("smtp_port", "25");
  d->setString("smtp_from", "");
  d->setString("smtp_starttls", "false");
  d->setString("public_url", "");
  d->setString("reminder_ballot_hours", "72,24");
  d->setString("reminder_action_days", "7");
  d->setString("reminder_returned_idle_days", "14");
  return d;
}

}  // namespace

int RunServe(const CommandLine& line) {
  if (!line.args.empty()) return Usage("serve", "unexpected argument " + line.args[0]);
  Poco::AutoPtr<MapConfiguration> file(new MapConfiguration);
  if (line.has("config")) {
    std::string error;
    if (!ReadConfig(line.get("config"), file, &error)) return Usage("serve", error);
  }
  // Weakest to strongest: default, config file, environment, flag (API.md, OPERATIONS.md).
  ServeSettings s;
  const std::string refused = ReadSettings(*Settings(line, ServeDefaults(), file), &s);
  if (!refused.empty()) return Usage("serve", refused);

  // Block the termination signals in every thread (the ones started below inherit the mask);
  // this thread waits for them with sigwait (rsoflow_app.h says why not ServerApplication).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  SystemClock clock;
  auto rt = Runtime::Open(s.db, clock, true, s.engine, s.workflows);
  if (!rt.ok()) return Fail(rt.status());
  WarnIfReadableByOthers(s.db);
  const EngineOptions& used = (*rt)->engine().options();
  spdlog::info(
      "short waits: a caller polls up to {} us for its answer (at most {} at once), the writer "
      "up to {} us for the next command",
      used.caller_poll_us, used.max_polling_callers, used.writer_poll_us);
  HttpServer server((*rt)->engine(), s.server);
  Status started = server.Start();
  if (!started.ok()) return Fail(started);
  // Delivers the outbox's webhooks and e-mails, those left by a previous run first.
  api::NotifyDispatcher dispatcher(
      (*rt)->engine(), clock, s.dispatch,
      api::MakeHttpWebhookSender(s.server.api.webhook_allow_private, 5000),
      api::MakeSmtpMailSender(s.dispatch.smtp, 10000));
  dispatcher.Start();
  std::cout << "rsoflow serving " << s.db << " at http://" << s.server.bind << ":" << server.port()
            << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
  server.Stop();
  dispatcher.Stop();
  rt->reset();
  spdlog::info("stopped");
  return 0;
}

}  // namespace rsoflow::app
