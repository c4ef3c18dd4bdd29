#include "api/cli.h"

#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "api/accounts.h"
#include "api/auth.h"
#include "api/runtime.h"
#include "api/seed.h"
#include "api/server.h"
#include "db/backup.h"
#include "engine/clock.h"
#include "workflows/registry.h"

namespace rsoflow {
namespace {

constexpr const char* kUsage =
    R"(rsoflow - workflow and approval engine for ISO's partnerships with RSOs

Usage:
  rsoflow serve   [--db PATH] [--bind ADDR] [--port N] [--config FILE] [--web-dir DIR]
  rsoflow migrate [--db PATH]
  rsoflow seed    [--db PATH] [--dataset FILE] [--if-empty]
  rsoflow user add USERNAME --role ROLE [--rso ACRONYM] [--display-name NAME]
                   [--affiliated ACRONYM,...] [--password-stdin] [--db PATH]
  rsoflow user disable USERNAME [--db PATH]
  rsoflow user enable USERNAME [--db PATH]
  rsoflow user set-role USERNAME ROLE [--rso ACRONYM] [--db PATH]
  rsoflow token create USERNAME [--name NAME] [--expires-days N] [--db PATH]
  rsoflow audit verify [--db PATH] [--head SEQ:HASH]
  rsoflow backup --to FILE [--db PATH]
  rsoflow workflows diagram NAME [--format mermaid|dot]
  rsoflow workflows list

Defaults: database var/rsoflow.db, bind 127.0.0.1, port 8080. The environment variables
RSOFLOW_DB, RSOFLOW_BIND and RSOFLOW_PORT override the defaults (and serve's config file);
flags override both. Only one rsoflow process at a time opens a database for writing (serve,
migrate, seed, user, token create); audit verify and backup only read it.
Run 'rsoflow COMMAND --help' for one command.
)";

const std::map<std::string, std::string> kHelp = {
    {"serve", R"(rsoflow serve [--db PATH] [--bind ADDR] [--port N] [--config FILE] [--web-dir DIR]

Opens the database (creating and migrating it if needed; refuses to start unless SQLite runs
with journal_mode=WAL and synchronous=FULL), fires timers that fell due while the server was
down, and serves HTTP until SIGINT or SIGTERM, then finishes the commands in flight.
  --db PATH      database file (env RSOFLOW_DB, default var/rsoflow.db)
  --bind ADDR    address to listen on (env RSOFLOW_BIND, default 127.0.0.1)
  --port N       port, 0 for an ephemeral one (env RSOFLOW_PORT, default 8080)
  --web-dir DIR   serve the web app's files from DIR (laid out like the source tree's web/)
                 instead of the copy built into the binary, so an edit shows on reload
                 (env RSOFLOW_WEB_DIR; for working on the app)
  --config FILE  key=value lines: db, bind, port, pbkdf2_iterations, council_min_quorum,
                 council_min_voting_hours, caller_poll_us, max_polling_callers,
                 writer_poll_us, web_dir, cookie_secure (true: session cookies carry
                 Secure, for a server reached over TLS through a proxy),
                 keep_alive_timeout (s, default 5), request_timeout (s, default 10),
                 max_connections (default 1024), max_connections_per_address (default
                 64, 0: no cap); the environment (RSOFLOW_DB, RSOFLOW_BIND, RSOFLOW_PORT,
                 RSOFLOW_PBKDF2_ITERATIONS, RSOFLOW_COUNCIL_MIN_QUORUM,
                 RSOFLOW_COUNCIL_MIN_VOTING_HOURS, RSOFLOW_CALLER_POLL_US,
                 RSOFLOW_MAX_POLLING_CALLERS, RSOFLOW_WRITER_POLL_US, RSOFLOW_WEB_DIR,
                 RSOFLOW_COOKIE_SECURE, RSOFLOW_KEEP_ALIVE_TIMEOUT,
                 RSOFLOW_REQUEST_TIMEOUT, RSOFLOW_MAX_CONNECTIONS,
                 RSOFLOW_MAX_CONNECTIONS_PER_ADDRESS) overrides the file and flags
                 override both; an unknown or repeated key in the file, or one without a
                 value, is refused
Short waits poll before they sleep (docs/OPERATIONS.md, "Threads"): a caller waiting for
its command's answer polls up to caller_poll_us (default 1000), at most max_polling_callers
of them at once (default 1, right for two CPUs; 0 turns all polling off), and after
answering a polling caller the writer polls up to writer_poll_us (default 100) for the next
command. Every Council ballot's quorum lies within [council_min_quorum, 1] (default 0.5: more
than half of the eligible vote; never below 0.5) and its voting period is at least
council_min_voting_hours (default 72; never below 24); a lower setting is refused.
)"},
    {"seed", R"(rsoflow seed [--db PATH] [--dataset FILE] [--if-empty]

Loads the sample data set (default samples/dataset.json) into an empty database through the
engine: RSOs (historical recognitions imported as audited system entries), demo users, ISO
events, then initiatives, ballots and momentum plans driven step by step by the demo users.
Every demo user gets the password in RSOFLOW_DEMO_PASSWORD (default demo-password-1). The data
is written to PATH.seeding and moved over PATH only when every step succeeded. Refuses a
database that already holds data (exit 1), or with --if-empty leaves it alone (exit 0).
Timers that fall due (e.g. overdue plan actions) fire when the server starts.
  --db PATH       database file (env RSOFLOW_DB, default var/rsoflow.db)
  --dataset FILE  data set (default samples/dataset.json)
Environment: RSOFLOW_PBKDF2_ITERATIONS (default 600000), RSOFLOW_DEMO_PASSWORD.
)"},
    {"migrate", R"(rsoflow migrate [--db PATH]

Creates the database if needed and applies pending numbered migrations; prints the schema
version.
)"},
    {"user", R"(rsoflow user add USERNAME --role ROLE [--rso ACRONYM] [--display-name NAME]
                 [--affiliated ACRONYM,...] [--password-stdin] [--db PATH]

Creates a user. ROLE is secretariat, council, rso_liaison, auditor or admin; --rso names the
liaison's RSO by acronym (or RSO id) and is required for (and only for) rso_liaison;
--affiliated lists, comma-separated, the RSOs (acronyms or ids) a Council reviewer has a
conflict of interest with. An RSO that is not registered is refused (exit 2). With
--password-stdin the password (>= 12 characters) is read from the first line of standard
input; otherwise a random password is generated and printed once.
Environment: RSOFLOW_PBKDF2_ITERATIONS (default 600000).

rsoflow user disable USERNAME [--db PATH]
rsoflow user enable USERNAME [--db PATH]

Disables a user, revoking every token and session it has (its API tokens do not come back
when it is enabled again: issue new ones), or enables it again. The last active admin cannot
be disabled (exit 2).

rsoflow user set-role USERNAME ROLE [--rso ACRONYM] [--db PATH]

Gives the user another role. --rso names the RSO (acronym or id) and is required for (and
only for) rso_liaison; a user leaving rso_liaison leaves its RSO. The last active admin keeps
its role (exit 2).

Every user command writes to the database: refused while another rsoflow process (e.g.
serve) has it open; use POST /api/v1/users or PATCH /api/v1/users/{id} then.
)"},
    {"token", R"(rsoflow token create USERNAME [--name NAME] [--expires-days N] [--db PATH]

Issues an API token for the user and prints it once. Only its SHA-256 is stored. Writes to
the database: refused while another rsoflow process (e.g. serve) has it open; use
POST /api/v1/users/{id}/tokens then.
)"},
    {"audit", R"(rsoflow audit verify [--db PATH] [--head SEQ:HASH]

Walks the audit hash chain, reading the database without changing it (no migration; a
running server may keep writing). Exit 0 and the head (seq, hash) when every entry verifies;
exit 1 naming the first bad seq otherwise; exit 2 when PATH does not exist or is not an
rsoflow database, or --head is not SEQ:HASH.

  --head SEQ:HASH   the head seq and hash this command (or GET /api/v1/audit/verify) gave
                    earlier: the chain must still hold entry SEQ with that hash. A tail cut
                    off, or rewritten with its hashes recomputed, verifies on its own; against
                    an earlier head it does not.
)"},
    {"backup", R"(rsoflow backup --to FILE [--db PATH]

Copies the database to FILE with SQLite's online backup while a server may keep serving it:
it reads one snapshot (taking no writer lock, holding no writer back) a few hundred pages at
a time, writes a temporary file beside FILE (mode 0600) and renames it to FILE only when
complete, so FILE never holds half a backup. Prints the audit head the copy holds
("head SEQ:HASH"); keep it, and check the copy with
  rsoflow audit verify --db FILE --head SEQ:HASH
Exit 0 when the copy is in place; exit 2 when PATH does not exist or is not an rsoflow
database, or FILE cannot be written (its directory missing, say).
  --to FILE   where the copy goes (replaced if it exists)
  --db PATH   database file (env RSOFLOW_DB, default var/rsoflow.db)
)"},
    {"workflows", R"(rsoflow workflows diagram NAME [--format mermaid|dot]
rsoflow workflows list

Prints a workflow's transition table as a Mermaid state diagram (default) or Graphviz DOT, or
lists the workflows.
)"},
};

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;
  bool help = false;
  std::string error;
};

Args Parse(int argc, char** argv, int from, const std::vector<std::string>& with_value,
           const std::vector<std::string>& flags) {
  Args a;
  for (int i = from; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      a.help = true;
    } else if (arg.rfind("--", 0) == 0) {
      std::string name = arg.substr(2), value;
      const size_t eq = name.find('=');
      const bool inline_value = eq != std::string::npos;
      if (inline_value) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      if (std::find(flags.begin(), flags.end(), name) != flags.end() && !inline_value) {
        a.options[name] = "1";
      } else if (std::find(with_value.begin(), with_value.end(), name) != with_value.end()) {
        if (!inline_value) {
          if (i + 1 >= argc) {
            a.error = "--" + name + " needs a value";
            return a;
          }
          value = argv[++i];
        }
        a.options[name] = value;
      } else {
        a.error = "unknown option --" + name;
        return a;
      }
    } else {
      a.positional.push_back(arg);
    }
  }
  return a;
}

std::string Env(const char* name, const std::string& def) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : def;
}

std::string DbPath(const Args& a) {
  auto it = a.options.find("db");
  return it != a.options.end() ? it->second : Env("RSOFLOW_DB", "var/rsoflow.db");
}

int Usage(const std::string& command, const std::string& error) {
  std::cerr << "rsoflow: " << error << "\n\n";
  auto it = kHelp.find(command);
  std::cerr << (it != kHelp.end() ? it->second : kUsage);
  return 2;
}

int Fail(const Status& s) {
  std::cerr << "rsoflow: " << s.ToString() << "\n";
  if (!s.fields().empty()) {
    std::cerr << "  fields:";
    for (const auto& f : s.fields()) std::cerr << " " << f;
    std::cerr << "\n";
  }
  return 2;
}

// A failure to open the database for writing; when another process holds it, says what to do
// instead.
int FailOpen(const Status& s, const std::string& instead) {
  if (s.message().find("in use by another rsoflow process") == std::string::npos) return Fail(s);
  std::cerr << "rsoflow: " << s.message() << "\n  stop it first" << instead << "\n";
  return 2;
}

std::optional<int> ParsePositiveInt(const std::string& s, int max) {
  try {
    size_t used = 0;
    const long v = std::stol(s, &used);
    if (used != s.size() || v < 0 || v > max) return std::nullopt;
    return static_cast<int>(v);
  } catch (...) {
    return std::nullopt;
  }
}

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
                                              "max_connections_per_address"};

std::string Trimmed(const std::string& s) {
  const size_t from = s.find_first_not_of(" \t\r\n");
  if (from == std::string::npos) return "";
  return s.substr(from, s.find_last_not_of(" \t\r\n") - from + 1);
}

// key=value lines; '#' starts a comment; blanks around key and value do not count. A key that
// serve does not know, one given twice, or one without a value is refused with its line: a
// misspelt setting would otherwise be ignored without a word.
bool ReadConfig(const std::string& path, std::map<std::string, std::string>* out,
                std::string* error) {
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
    if (!out->emplace(key, value).second) {
      *error = where + "key '" + key + "' is given twice";
      return false;
    }
  }
  return true;
}

int Pbkdf2Iterations() {
  auto v = ParsePositiveInt(Env("RSOFLOW_PBKDF2_ITERATIONS", ""), 100000000);
  return v && *v > 0 ? *v : auth::kDefaultPbkdf2Iterations;
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

int CmdServe(int argc, char** argv) {
  Args a = Parse(argc, argv, 2, {"db", "bind", "port", "config", "web-dir"}, {});
  if (a.help) return std::cout << kHelp.at("serve"), 0;
  if (!a.error.empty() || !a.positional.empty()) {
    return Usage("serve", a.error.empty() ? "unexpected argument " + a.positional[0] : a.error);
  }
  std::map<std::string, std::string> config;
  if (a.options.count("config")) {
    std::string error;
    if (!ReadConfig(a.options["config"], &config, &error)) return Usage("serve", error);
  }
  // Weakest to strongest: default, config file, environment, flag (API.md, OPERATIONS.md).
  auto pick = [&](const char* key, const char* env, const std::string& def) {
    if (a.options.count(key)) return a.options[key];
    return Env(env, config.count(key) ? config[key] : def);
  };
  ServerOptions options;
  options.bind = pick("bind", "RSOFLOW_BIND", "127.0.0.1");
  auto port = ParsePositiveInt(pick("port", "RSOFLOW_PORT", "8080"), 65535);
  if (!port) return Usage("serve", "--port must be a number from 0 to 65535");
  options.port = static_cast<uint16_t>(*port);
  const std::string db = pick("db", "RSOFLOW_DB", "var/rsoflow.db");
  auto iterations = ParsePositiveInt(pick("pbkdf2_iterations", "RSOFLOW_PBKDF2_ITERATIONS",
                                          std::to_string(auth::kDefaultPbkdf2Iterations)),
                                     100000000);
  if (!iterations || *iterations < 1) return Usage("serve", "pbkdf2_iterations must be >= 1");
  options.api.pbkdf2_iterations = *iterations;
  options.api.web_dir =
      a.options.count("web-dir")
          ? a.options["web-dir"]
          : Env("RSOFLOW_WEB_DIR", config.count("web_dir") ? config["web_dir"] : "");
  if (!options.api.web_dir.empty() && !std::ifstream(options.api.web_dir + "/index.html")) {
    return Usage("serve", "--web-dir " + options.api.web_dir + " holds no index.html");
  }
  const std::string secure = pick("cookie_secure", "RSOFLOW_COOKIE_SECURE", "false");
  if (secure != "true" && secure != "false") {
    return Usage("serve", "cookie_secure must be true or false, not '" + secure + "'");
  }
  options.api.cookie_secure = secure == "true";
  // How short waits poll (EngineOptions; OPERATIONS.md, "Threads").
  EngineOptions engine_options;
  std::string knob_error;
  auto knob = [&](const char* key, const char* env, int max, int64_t def) -> int64_t {
    auto v = ParsePositiveInt(pick(key, env, std::to_string(def)), max);
    if (!v && knob_error.empty()) {
      knob_error =
          std::string(key) + " (" + env + ") must be a number from 0 to " + std::to_string(max);
    }
    return v.value_or(def);
  };
  engine_options.caller_poll_us =
      knob("caller_poll_us", "RSOFLOW_CALLER_POLL_US", 100000, engine_options.caller_poll_us);
  engine_options.max_polling_callers =
      static_cast<int>(knob("max_polling_callers", "RSOFLOW_MAX_POLLING_CALLERS", 64,
                            engine_options.max_polling_callers));
  engine_options.writer_poll_us =
      knob("writer_poll_us", "RSOFLOW_WRITER_POLL_US", 100000, engine_options.writer_poll_us);
  // Connection limits (issue 17, finding 4; OPERATIONS.md, "Connections").
  options.keep_alive_timeout_ms =
      static_cast<int>(knob("keep_alive_timeout", "RSOFLOW_KEEP_ALIVE_TIMEOUT", 3600, 5)) * 1000;
  options.request_timeout_ms =
      static_cast<int>(knob("request_timeout", "RSOFLOW_REQUEST_TIMEOUT", 3600, 10)) * 1000;
  options.max_connections =
      static_cast<int>(knob("max_connections", "RSOFLOW_MAX_CONNECTIONS", 1000000, 1024));
  options.max_connections_per_address = static_cast<int>(
      knob("max_connections_per_address", "RSOFLOW_MAX_CONNECTIONS_PER_ADDRESS", 1000000, 64));
  if (knob_error.empty() && (options.keep_alive_timeout_ms == 0 ||
                             options.request_timeout_ms == 0 || options.max_connections == 0)) {
    knob_error = "keep_alive_timeout, request_timeout and max_connections must be at least 1";
  }
  if (!knob_error.empty()) return Usage("serve", knob_error);
  // Floors of every Council ballot (workflows/council_ballot/rules.h): may be raised, never
  // lowered below a majority and 24 hours.
  WorkflowSettings workflow_settings;
  {
    const std::string q = pick("council_min_quorum", "RSOFLOW_COUNCIL_MIN_QUORUM", "0.5");
    char* end = nullptr;
    const double quorum = std::strtod(q.c_str(), &end);
    if (q.empty() || end != q.c_str() + q.size()) {
      return Usage("serve", "council_min_quorum must be a number within [0.5, 1]");
    }
    workflow_settings.council.min_quorum = quorum;
    auto hours = ParsePositiveInt(
        pick("council_min_voting_hours", "RSOFLOW_COUNCIL_MIN_VOTING_HOURS", "72"), 100000);
    if (!hours) return Usage("serve", "council_min_voting_hours must be a number of hours >= 24");
    workflow_settings.council.min_voting_ms = *hours * council_ballot::kMsPerHour;
    Status floors = council_ballot::CheckFloors(workflow_settings.council);
    if (!floors.ok()) return Usage("serve", floors.message());
  }

  // Block the termination signals in every thread; main waits for them with sigwait.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  SystemClock clock;
  auto rt = Runtime::Open(db, clock, true, engine_options, workflow_settings);
  if (!rt.ok()) return Fail(rt.status());
  WarnIfReadableByOthers(db);
  const EngineOptions& used = (*rt)->engine().options();
  spdlog::info(
      "short waits: a caller polls up to {} us for its answer (at most {} at once), the writer "
      "up to {} us for the next command",
      used.caller_poll_us, used.max_polling_callers, used.writer_poll_us);
  HttpServer server(**rt, options);
  Status started = server.Start();
  if (!started.ok()) return Fail(started);
  std::cout << "rsoflow serving " << db << " at http://" << options.bind << ":" << server.port()
            << std::endl;
  int sig = 0;
  sigwait(&signals, &sig);
  spdlog::info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
  server.Stop();
  rt->reset();
  spdlog::info("stopped");
  return 0;
}

int CmdSeed(int argc, char** argv) {
  Args a = Parse(argc, argv, 2, {"db", "dataset"}, {"if-empty"});
  if (a.help) return std::cout << kHelp.at("seed"), 0;
  if (!a.error.empty() || !a.positional.empty()) {
    return Usage("seed", a.error.empty() ? "unexpected argument " + a.positional[0] : a.error);
  }
  const std::string db = DbPath(a);
  auto empty = seed::DatabaseIsEmpty(db);
  if (!empty.ok()) return Fail(empty.status());
  if (!*empty && a.options.count("if-empty")) {
    std::cout << "database " << db << " already holds data; not seeded\n";
    return 0;
  }
  const std::string path =
      a.options.count("dataset") ? a.options["dataset"] : "samples/dataset.json";
  std::ifstream in(path);
  if (!in) return Fail(Status::InvalidRequest("cannot read data set " + path));
  std::stringstream text;
  text << in.rdbuf();
  JsonParseError error;
  auto dataset = ParseJson(text.str(), &error, 64);
  if (!dataset) {
    return Fail(Status::InvalidRequest(path + ": " + error.message + " at byte " +
                                       std::to_string(error.offset)));
  }
  seed::SeedOptions options;
  options.db_path = db;
  options.password = Env("RSOFLOW_DEMO_PASSWORD", "demo-password-1");
  options.pbkdf2_iterations = Pbkdf2Iterations();
  SystemClock clock;
  auto report = seed::SeedDatabase(*dataset, options, clock);
  if (!report.ok()) return Fail(report.status());
  std::cout << "seeded " << db << " from " << path << ": " << report->rsos << " RSOs, "
            << report->users << " users, " << report->iso_events << " ISO events, " << report->steps
            << " workflow steps\n";
  for (const auto& line : report->user_lines) std::cout << "  " << line << "\n";
  return 0;
}

int CmdMigrate(int argc, char** argv) {
  Args a = Parse(argc, argv, 2, {"db"}, {});
  if (a.help) return std::cout << kHelp.at("migrate"), 0;
  if (!a.error.empty() || !a.positional.empty()) {
    return Usage("migrate", a.error.empty() ? "unexpected argument " + a.positional[0] : a.error);
  }
  SystemClock clock;
  auto rt = Runtime::Open(DbPath(a), clock, false);
  if (!rt.ok()) return Fail(rt.status());
  std::cout << "database " << DbPath(a) << " is at schema version "
            << (*rt)->store().schema_version() << "\n";
  return 0;
}

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

// user disable|enable USERNAME, user set-role USERNAME ROLE [--rso ACRONYM]: the changes
// PATCH /api/v1/users/{id} makes, through the same accounts::UpdateUser (acting as the system,
// which is how the audit names the command line, so only the last-admin rule applies).
int CmdUserChange(Args& a) {
  const std::string& sub = a.positional[0];
  const size_t want = sub == "set-role" ? 3 : 2;
  if (a.positional.size() != want) {
    return Usage("user", sub == "set-role" ? "expected: user set-role USERNAME ROLE"
                                           : "expected: user " + sub + " USERNAME");
  }
  for (const char* option : {"role", "display-name", "affiliated", "password-stdin"}) {
    if (a.options.count(option))
      return Usage("user", "--" + std::string(option) + " is for user add");
  }
  if (sub != "set-role" && a.options.count("rso")) return Usage("user", "--rso is for set-role");
  SystemClock clock;
  auto rt = Runtime::Open(DbPath(a), clock, false);
  if (!rt.ok()) return FailOpen(rt.status(), ", or use PATCH /api/v1/users/{id}");
  auto user = (*rt)->store().GetUserByName(a.positional[1]);
  if (!user.ok()) return Fail(user.status());
  accounts::UserPatch patch;
  if (sub == "set-role") {
    patch.role = a.positional[2];
    if (a.options.count("rso")) {
      auto id = accounts::ResolveRso((*rt)->store(), a.options["rso"], "--rso");
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

int CmdUser(int argc, char** argv) {
  Args a =
      Parse(argc, argv, 2, {"role", "rso", "display-name", "affiliated", "db"}, {"password-stdin"});
  if (a.help) return std::cout << kHelp.at("user"), 0;
  if (!a.error.empty()) return Usage("user", a.error);
  if (!a.positional.empty() && (a.positional[0] == "disable" || a.positional[0] == "enable" ||
                                a.positional[0] == "set-role")) {
    return CmdUserChange(a);
  }
  if (a.positional.size() != 2 || a.positional[0] != "add") {
    return Usage("user", "expected: user add|disable|enable|set-role USERNAME ...");
  }
  if (!a.options.count("role")) return Usage("user", "--role is required");
  SystemClock clock;
  auto rt = Runtime::Open(DbPath(a), clock, false);
  if (!rt.ok()) return FailOpen(rt.status(), ", or create the user with POST /api/v1/users");
  accounts::NewUser u;
  u.username = a.positional[1];
  u.role = a.options["role"];
  if (a.options.count("rso")) {
    auto id = accounts::ResolveRso((*rt)->store(), a.options["rso"], "--rso");
    if (!id.ok()) return Fail(id.status());
    u.rso_id = *id;
  }
  u.display_name = a.options.count("display-name") ? a.options["display-name"] : "";
  for (const auto& ref : SplitComma(a.options.count("affiliated") ? a.options["affiliated"] : "")) {
    auto id = accounts::ResolveRso((*rt)->store(), ref, "--affiliated");
    if (!id.ok()) return Fail(id.status());
    u.affiliated_rso_ids.push_back(*id);
  }
  bool generated = false;
  if (a.options.count("password-stdin")) {
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

int CmdToken(int argc, char** argv) {
  Args a = Parse(argc, argv, 2, {"name", "expires-days", "db"}, {});
  if (a.help) return std::cout << kHelp.at("token"), 0;
  if (!a.error.empty()) return Usage("token", a.error);
  if (a.positional.size() != 2 || a.positional[0] != "create") {
    return Usage("token", "expected: token create USERNAME");
  }
  std::optional<int64_t> expires_at;
  SystemClock clock;
  if (a.options.count("expires-days")) {
    auto days = ParsePositiveInt(a.options["expires-days"], 3650);
    if (!days || *days < 1) return Usage("token", "--expires-days must be from 1 to 3650");
    expires_at = clock.NowMs() + *days * kMsPerDay;
  }
  auto rt = Runtime::Open(DbPath(a), clock, false);
  if (!rt.ok()) {
    return FailOpen(rt.status(), ", or issue the token with POST /api/v1/users/{id}/tokens");
  }
  auto user = (*rt)->store().GetUserByName(a.positional[1]);
  if (!user.ok()) return Fail(user.status());
  auto token = accounts::IssueToken((*rt)->engine(), user->id,
                                    a.options.count("name") ? a.options["name"] : "cli", "api",
                                    expires_at, accounts::Acting{});
  if (!token.ok()) return Fail(token.status());
  std::cout << token->token << "\n";
  std::cerr << "token id " << token->id << " for " << user->username
            << (expires_at ? ", expires " + FormatTime(*expires_at) : ", no expiry")
            << " (shown once; only its SHA-256 is stored)\n";
  return 0;
}

int CmdAudit(int argc, char** argv) {
  Args a = Parse(argc, argv, 2, {"db", "head"}, {});
  if (a.help) return std::cout << kHelp.at("audit"), 0;
  if (!a.error.empty()) return Usage("audit", a.error);
  if (a.positional.size() != 1 || a.positional[0] != "verify") {
    return Usage("audit", "expected: audit verify");
  }
  AuditVerifier verifier;
  if (auto head = a.options.find("head"); head != a.options.end()) {
    const size_t colon = head->second.find(':');
    auto exported = colon == std::string::npos ? std::nullopt
                                               : ParseAuditHead(head->second.substr(0, colon),
                                                                head->second.substr(colon + 1));
    if (!exported) {
      return Usage("audit", "--head is SEQ:HASH (a seq of at least 1, 64 lower-case hex digits)");
    }
    verifier.ExpectHead(*exported);
  }
  auto store = db::SqliteStore::OpenReadOnly(DbPath(a));
  if (!store.ok()) return Fail(store.status());
  Status st = (*store)->ForEachAudit(0, [&](const AuditEntry& e) { return verifier.Add(e); });
  if (!st.ok()) return Fail(st);
  const AuditVerifyResult r = verifier.Finish();
  if (!r.ok) {
    std::cout << "audit chain BROKEN at seq " << *r.first_bad_seq << ": " << r.problem << "\n";
    return 1;
  }
  std::cout << "audit chain ok: " << r.entries << " entries, head seq " << r.head.seq << " hash "
            << r.head.hash << "\n";
  return 0;
}

int CmdBackup(int argc, char** argv) {
  Args a = Parse(argc, argv, 2, {"db", "to"}, {});
  if (a.help) return std::cout << kHelp.at("backup"), 0;
  if (!a.error.empty() || !a.positional.empty()) {
    return Usage("backup", a.error.empty() ? "unexpected argument " + a.positional[0] : a.error);
  }
  if (!a.options.count("to") || a.options["to"].empty()) return Usage("backup", "--to is required");
  auto report = db::Backup(DbPath(a), a.options["to"]);
  if (!report.ok()) return Fail(report.status());
  std::cout << "backup of " << DbPath(a) << " written to " << a.options["to"] << ": "
            << report->pages << " pages\n";
  if (report->head.seq == 0) {
    std::cout << "head none (the audit trail is empty)\n";
  } else {
    std::cout << "head " << report->head.seq << ":" << report->head.hash << "\n";
  }
  return 0;
}

int CmdWorkflows(int argc, char** argv) {
  Args a = Parse(argc, argv, 2, {"format"}, {});
  if (a.help) return std::cout << kHelp.at("workflows"), 0;
  if (!a.error.empty()) return Usage("workflows", a.error);
  WorkflowRegistry registry;
  RegisterWorkflows(registry);
  if (a.positional.size() == 1 && a.positional[0] == "list") {
    for (const Workflow* wf : registry.All()) {
      std::cout << wf->Meta().name << "\t" << wf->Meta().title << "\n";
    }
    return 0;
  }
  if (a.positional.size() != 2 || a.positional[0] != "diagram") {
    return Usage("workflows", "expected: workflows diagram NAME");
  }
  const Workflow* wf = registry.Find(a.positional[1]);
  if (wf == nullptr) return Usage("workflows", "unknown workflow " + a.positional[1]);
  const std::string format = a.options.count("format") ? a.options["format"] : "mermaid";
  if (format == "mermaid")
    std::cout << RenderMermaid(wf->Meta());
  else if (format == "dot")
    std::cout << RenderDot(wf->Meta());
  else
    return Usage("workflows", "--format must be mermaid or dot");
  return 0;
}

}  // namespace

int RunCli(int argc, char** argv) {
  // Log lines go to standard error: standard output carries what a command answers (a token,
  // the serving address, a report), so `token=$(rsoflow token create ...)` gets the token alone.
  // Not registered by name, so a second RunCli in one process does not throw.
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "rsoflow", std::make_shared<spdlog::sinks::stderr_color_sink_mt>()));
  if (argc < 2) return std::cerr << kUsage, 2;
  const std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") return std::cout << kUsage, 0;
  if (command == "serve") return CmdServe(argc, argv);
  if (command == "migrate") return CmdMigrate(argc, argv);
  if (command == "seed") return CmdSeed(argc, argv);
  if (command == "user") return CmdUser(argc, argv);
  if (command == "token") return CmdToken(argc, argv);
  if (command == "audit") return CmdAudit(argc, argv);
  if (command == "backup") return CmdBackup(argc, argv);
  if (command == "workflows") return CmdWorkflows(argc, argv);
  std::cerr << "rsoflow: unknown command '" << command << "'\n\n" << kUsage;
  return 2;
}

}  // namespace rsoflow
