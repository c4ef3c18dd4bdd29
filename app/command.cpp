#include "app/command.h"

#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>

#include "accounts/auth.h"

namespace rsoflow::app {
namespace {

// The environment as a configuration layer: key db reads RSOFLOW_DB, web_dir RSOFLOW_WEB_DIR.
// An empty variable counts as unset, as it always has (RSOFLOW_PORT= leaves the default).
// Read-only, and it lists nothing: only the keys asked for are looked up.
class RsoflowEnvironment : public Poco::Util::AbstractConfiguration {
 protected:
  bool getRaw(const std::string& key, std::string& value) const override {
    std::string name = "RSOFLOW_" + key;
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    const char* v = std::getenv(name.c_str());
    if (v == nullptr || *v == '\0') return false;
    value = v;
    return true;
  }
  void setRaw(const std::string& key, const std::string&) override {
    throw Poco::NotImplementedException("the environment is read-only: " + key);
  }
  void enumerate(const std::string&, Keys&) const override {}
};

}  // namespace

std::string OptionKey(const std::string& name) {
  std::string key = name;
  std::replace(key.begin(), key.end(), '-', '_');
  return key;
}

Poco::Util::OptionSet OptionsOf(const Command& command) {
  Poco::Util::OptionSet set;
  for (const OptionSpec& spec : command.options) {
    // Repeatable: a later --db wins over an earlier one, as the command line always had it.
    Poco::Util::Option option(spec.name, "", spec.description);
    option.repeatable(true);
    if (spec.argument != nullptr) option.argument(spec.argument);
    set.addOption(option);
  }
  set.addOption(Poco::Util::Option("help", "h", "print this help and exit 0"));
  return set;
}

void PrintHelp(const Command& command, std::ostream& out) {
  const Poco::Util::OptionSet options = OptionsOf(command);
  Poco::Util::HelpFormatter help(options);  // keeps a reference to `options`
  help.setUnixStyle(true);
  help.setWidth(96);  // the texts are laid out for at most 96 columns
  help.setAutoIndent();
  help.setCommand("rsoflow");
  // HelpFormatter indents a usage's further lines by the command's width, not counting the
  // "usage: " before it; they line up under the first with that much more.
  std::string usage = command.usage;
  for (size_t at = usage.find('\n'); at != std::string::npos; at = usage.find('\n', at + 1)) {
    usage.insert(at + 1, std::string(std::strlen("usage: "), ' '));
  }
  help.setUsage(usage);
  help.setHeader(std::string("\n") + command.about);
  help.setFooter(command.footer);
  std::ostringstream text;
  help.format(text);
  // Without the blank HelpFormatter leaves at the end of a wrapped line.
  std::istringstream lines(text.str());
  for (std::string line; std::getline(lines, line);) {
    out << line.substr(0, line.find_last_not_of(' ') + 1) << "\n";
  }
}

Poco::AutoPtr<Poco::Util::LayeredConfiguration> Settings(
    const CommandLine& line, Poco::AutoPtr<Poco::Util::MapConfiguration> defaults,
    Poco::AutoPtr<Poco::Util::MapConfiguration> file) {
  // Poco searches the layer of the lowest priority value first.
  Poco::AutoPtr<Poco::Util::LayeredConfiguration> settings(new Poco::Util::LayeredConfiguration);
  settings->add(line.options, "flags", 0);
  settings->add(new RsoflowEnvironment, "environment", 1);
  if (file) settings->add(file, "config file", 2);
  settings->add(defaults, "defaults", 3);
  return settings;
}

std::string DbPath(const CommandLine& line) {
  Poco::AutoPtr<Poco::Util::MapConfiguration> defaults(new Poco::Util::MapConfiguration);
  defaults->setString("db", "var/rsoflow.db");
  return Settings(line, defaults)->getRawString("db");
}

std::string Env(const char* name, const std::string& def) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : def;
}

int Pbkdf2Iterations() {
  auto v = ParsePositiveInt(Env("RSOFLOW_PBKDF2_ITERATIONS", ""), 100000000);
  return v && *v > 0 ? *v : auth::kDefaultPbkdf2Iterations;
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

int Usage(const std::string& command, const std::string& error) {
  std::cerr << "rsoflow: " << error << "\n\n";
  if (const Command* c = FindCommand(command)) {
    PrintHelp(*c, std::cerr);
  } else {
    std::cerr << kUsage;
  }
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

int FailOpen(const Status& s, const std::string& instead) {
  if (s.message().find("in use by another rsoflow process") == std::string::npos) return Fail(s);
  std::cerr << "rsoflow: " << s.message() << "\n  stop it first" << instead << "\n";
  return 2;
}

}  // namespace rsoflow::app
