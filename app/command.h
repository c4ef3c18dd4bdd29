// The commands of the rsoflow executable (API.md "Command line"), each a name, its options
// (turned into a Poco::Util::OptionSet by RsoflowApp), its help and the function that runs it,
// and what the commands share: the settings every command reads the same way (flag over
// environment over default), and how a failure is told.
//
// Exit codes: 0 success, 1 a failed check (audit verify), 2 bad usage or an error.
#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Util/LayeredConfiguration.h>
#include <Poco/Util/MapConfiguration.h>
#include <Poco/Util/OptionSet.h>

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "engine/status.h"

namespace rsoflow::app {

// What one run's command line said.
struct CommandLine {
  std::string command;            // "serve", "user", ...
  std::vector<std::string> args;  // the positional arguments after the command
  // Each option given, under its name with '-' as '_' (--web-dir: web_dir); a flag's value is
  // empty. Filled by RsoflowApp::handleOption as Poco::Util processes the options.
  Poco::AutoPtr<Poco::Util::MapConfiguration> options;

  bool has(const std::string& key) const { return options->hasProperty(key); }
  std::string get(const std::string& key, const std::string& def = "") const {
    return options->getRawString(key, def);  // as given: no ${...} expansion
  }
};

struct OptionSpec {
  const char* name;         // long name, without "--"
  const char* argument;     // the value's name in the help ("PATH"), or null: a flag
  const char* description;  // for the help
};

struct Command {
  const char* name;
  const char* usage;   // the synopsis after "rsoflow", one usage a line
  const char* about;   // the help's text before the options
  const char* footer;  // the help's text after them ("" for none)
  std::vector<OptionSpec> options;
  int (*run)(const CommandLine&);
};

// Every command, in the order of the usage text.
const std::vector<Command>& Commands();
// The command called `name`, or null.
const Command* FindCommand(const std::string& name);
// The command's options and --help (-h). Not bound to a configuration: Poco 1.11's
// Option::binding(name, config) releases the configuration once more than it takes it (a
// heap-use-after-free under ASan), so RsoflowApp::handleOption stores each value itself
// under OptionKey(name).
Poco::Util::OptionSet OptionsOf(const Command& command);
// The key an option's value is stored under in CommandLine::options ("expires-days" ->
// "expires_days").
std::string OptionKey(const std::string& name);
// The overview `rsoflow --help` prints.
extern const char* const kUsage;

// The settings, weakest to strongest: `defaults`, `file` (serve's --config, may be null), the
// environment (key db is RSOFLOW_DB; an empty variable counts as unset), the flags.
Poco::AutoPtr<Poco::Util::LayeredConfiguration> Settings(
    const CommandLine& line, Poco::AutoPtr<Poco::Util::MapConfiguration> defaults,
    Poco::AutoPtr<Poco::Util::MapConfiguration> file = nullptr);
// The database: --db, RSOFLOW_DB, or var/rsoflow.db.
std::string DbPath(const CommandLine& line);
// PBKDF2 cost of new passwords: RSOFLOW_PBKDF2_ITERATIONS when it is a number >= 1, or the
// default.
int Pbkdf2Iterations();
// An environment variable, or `def` when it is unset or empty.
std::string Env(const char* name, const std::string& def);

// A number from 0 to max, written in full; nothing otherwise.
std::optional<int> ParsePositiveInt(const std::string& s, int max);

// Tells `error` and the command's help on standard error; returns 2.
int Usage(const std::string& command, const std::string& error);
// Writes the command's help (Poco::Util::HelpFormatter over OptionsOf).
void PrintHelp(const Command& command, std::ostream& out);
// Tells the failure (and the fields it names) on standard error; returns 2.
int Fail(const Status& s);
// A failure to open the database for writing; when another process holds it, says what to do
// instead. Returns 2.
int FailOpen(const Status& s, const std::string& instead);

// The commands (serve.cpp, store_commands.cpp, user_commands.cpp, workflows_command.cpp).
int RunServe(const CommandLine& line);
int RunMigrate(const CommandLine& line);
int RunSeed(const CommandLine& line);
int RunImport(const CommandLine& line);
int RunUser(const CommandLine& line);
int RunToken(const CommandLine& line);
int RunAudit(const CommandLine& line);
int RunBackup(const CommandLine& line);
int RunWorkflows(const CommandLine& line);

}  // namespace rsoflow::app
