#include "app/rsoflow_app.h"

#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionSet.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>
#include <memory>

namespace rsoflow::app {
namespace {

// The option an OptionException names ("colour=red", "c", "name requires NAME"), written as
// given ("--colour").
std::string Written(const std::string& name) {
  const std::string bare = name.substr(0, name.find_first_of(":= "));
  return (bare.size() == 1 ? "-" : "--") + bare;
}

// Poco's option errors in the words the command line has always used.
std::string Describe(const Poco::Util::OptionException& e) {
  const std::string name = e.message();
  if (dynamic_cast<const Poco::Util::UnknownOptionException*>(&e)) {
    return "unknown option " + Written(name);
  }
  if (dynamic_cast<const Poco::Util::AmbiguousOptionException*>(&e)) {
    return "ambiguous option " + Written(name);
  }
  if (dynamic_cast<const Poco::Util::MissingArgumentException*>(&e)) {
    return Written(name) + " needs a value";
  }
  if (dynamic_cast<const Poco::Util::UnexpectedArgumentException*>(&e)) {
    return Written(name) + " takes no value";
  }
  return e.displayText();
}

// Poco's OptionSet also takes an option by a prefix of its name, in any case, and with ':'
// before its value (--conf:FILE for --config FILE). The command line takes each option by its
// exact name only, as it always has: an abbreviation that works today would turn ambiguous,
// or mean another option, once an option is added. The option named otherwise, or "".
std::string Inexact(const Command& command, int argc, char** argv) {
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") return "";  // what follows is no option
    if (arg.rfind("--", 0) != 0) continue;
    const size_t end = arg.find_first_of(":=");
    const std::string name = arg.substr(2, end == std::string::npos ? end : end - 2);
    if (name == "help") return "";  // the rest is not looked at
    const auto spec = std::find_if(command.options.begin(), command.options.end(),
                                   [&](const OptionSpec& o) { return name == o.name; });
    if (spec == command.options.end()) return "unknown option --" + name;
    if (end != std::string::npos && arg[end] == ':') return "unknown option " + arg;
    if (spec->argument != nullptr && end == std::string::npos) ++i;  // its value
  }
  return "";
}

}  // namespace

RsoflowApp::RsoflowApp(const Command& command) : command_(command) {
  line_.command = command.name;
  line_.options = new Poco::Util::MapConfiguration;
  setUnixOptions(true);
}

void RsoflowApp::defineOptions(Poco::Util::OptionSet& options) {
  // Not Application::defineOptions: it would only add the options of subsystems (none).
  for (const Poco::Util::Option& option : OptionsOf(command_)) {
    options.addOption(option);
  }
}

void RsoflowApp::handleOption(const std::string& name, const std::string& value) {
  Application::handleOption(name, value);
  if (name != "help") {
    // A flag (no argument) is stored as "": present, which is all CommandLine::has asks.
    line_.options->setString(OptionKey(name), value);
  }
  if (name == "help") {
    // --help wins over what follows it, as it always has: the rest is not looked at.
    help_ = true;
    stopOptionsProcessing();
  }
}

int RsoflowApp::main(const std::vector<std::string>& args) {
  if (help_) {
    PrintHelp(command_, std::cout);
    return 0;
  }
  // args: what option processing left, the command's name first.
  line_.args.assign(args.begin() + 1, args.end());
  return command_.run(line_);
}

int RunCli(int argc, char** argv) {
  // Log lines go to standard error: standard output carries what a command answers (a token,
  // the serving address, a report), so `token=$(rsoflow token create ...)` gets the token alone.
  // Not registered by name, so a second RunCli in one process does not throw.
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "rsoflow", std::make_shared<spdlog::sinks::stderr_color_sink_mt>()));
  if (argc < 2) return std::cerr << kUsage, 2;
  const std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") return std::cout << kUsage, 0;
  const Command* command = FindCommand(name);
  if (command == nullptr) {
    std::cerr << "rsoflow: unknown command '" << name << "'\n\n" << kUsage;
    return 2;
  }
  if (std::string error = Inexact(*command, argc, argv); !error.empty()) {
    return Usage(name, error);
  }
  RsoflowApp app(*command);
  try {
    app.init(argc, argv);
  } catch (const Poco::Util::OptionException& e) {
    return Usage(name, Describe(e));
  }
  return app.run();
}

}  // namespace rsoflow::app
