// RsoflowApp: the rsoflow executable as a Poco::Util::Application. RunCli picks the command
// (argv[1]), the application defines that command's options (OptionSet), Poco processes the
// command line into them (unknown, ambiguous or incomplete options are refused, exit 2) and
// main() runs the command.
//
// Why Application and not ServerApplication, even for serve: ServerApplication adds --daemon,
// --pidfile and --umask to every command and forks in run(argc, argv), which would change the
// command line API.md documents; and its waitForTerminationRequest() blocks SIGINT and SIGTERM
// only in the thread that calls it, once it is called. By then serve's HTTP, writer and timer
// threads run with the signals open, and a SIGTERM delivered to one of them would end the
// process at once instead of finishing the commands in flight. serve blocks the signals before
// it starts any thread and waits for them itself (serve.cpp), and says which one it got.
#pragma once

#include <Poco/Util/Application.h>

#include <string>
#include <vector>

#include "app/command.h"

namespace rsoflow::app {

class RsoflowApp : public Poco::Util::Application {
 public:
  explicit RsoflowApp(const Command& command);

 protected:
  void defineOptions(Poco::Util::OptionSet& options) override;
  void handleOption(const std::string& name, const std::string& value) override;
  int main(const std::vector<std::string>& args) override;

 private:
  const Command& command_;
  CommandLine line_;
  bool help_ = false;
};

// Runs the command line; returns the process exit code (command.h). Sends spdlog's lines to
// standard error.
int RunCli(int argc, char** argv);

}  // namespace rsoflow::app
