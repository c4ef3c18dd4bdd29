// rsoflow import FILE: the historical import (workflows/history) from the command line, while
// the server is stopped. The importing actor is `system` (the command line has no user); a
// refused object is told with its line in FILE and the field.
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/command.h"
#include "app/json_locate.h"
#include "app/runtime.h"
#include "engine/clock.h"
#include "workflows/history/import.h"

namespace rsoflow::app {

int RunImport(const CommandLine& line) {
  if (line.args.size() != 1) return Usage("import", "expected: import FILE");
  const std::string path = line.args[0];
  std::ifstream in(path);
  if (!in) return Fail(Status::InvalidRequest("cannot read " + path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  JsonParseError error;
  auto document = ParseJson(text, &error, 64);
  if (!document) {
    std::cerr << "rsoflow: " << path << ":" << LineOfOffset(text, error.offset)
              << ": not JSON: " << error.message << "\nnothing was imported\n";
    return 2;
  }
  SystemClock clock;
  auto rt = Runtime::Open(DbPath(line), clock, false);
  if (!rt.ok()) return FailOpen(rt.status(), ", or use POST /api/v1/import");
  rsoflow::Command by;
  by.actor = Actor::System();
  auto report = history::Import((*rt)->engine(), *document, by);
  (*rt)->engine().Stop();
  if (!report.ok()) {
    const Status& st = report.status();
    // A refusal without fields (a duplicate) names its object first: "rsos[0] (SARSO): ...".
    std::string field = st.fields().empty() ? "" : st.fields()[0];
    if (field.empty() && st.message().find('[') < st.message().find(' ')) {
      field = st.message().substr(0, st.message().find(' '));
      if (field.back() == ':') field.pop_back();
    }
    std::cerr << "rsoflow: " << path << ":" << LineOfPath(text, field) << ": "
              << Status::CodeName(st.code()) << ": " << st.message() << "\n";
    if (!field.empty()) std::cerr << "  field: " << field << "\n";
    std::cerr << "nothing was imported\n";
    return 2;
  }
  std::cout << "imported " << report->Total() << " objects from " << path << " into "
            << DbPath(line) << ":";
  for (const auto& section : history::Sections()) {
    auto it = report->counts.find(section);
    std::cout << " " << (it == report->counts.end() ? 0 : it->second) << " " << section;
  }
  std::cout << "\naudit entries " << report->first_seq << " to " << report->last_seq << "\n";
  return 0;
}

}  // namespace rsoflow::app
