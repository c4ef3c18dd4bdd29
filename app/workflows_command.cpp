// rsoflow workflows list | diagram NAME [--format mermaid|dot] | openapi: the workflows this
// build has, and the API document with their creation routes (what the server serves).
#include <iostream>
#include <string>

#include "api/openapi.h"
#include "app/command.h"
#include "engine/workflow_registry.h"
#include "workflows/registry.h"

namespace rsoflow::app {

int RunWorkflows(const CommandLine& line) {
  WorkflowRegistry registry;
  RegisterWorkflows(registry);
  const std::vector<std::string>& args = line.args;
  if (args.size() == 1 && args[0] == "list") {
    for (const Workflow* wf : registry.All()) {
      std::cout << wf->Meta().name << "\t" << wf->Meta().title << "\n";
    }
    return 0;
  }
  if (args.size() == 1 && args[0] == "openapi") {
    std::cout << api::OpenApiText(registry);
    return 0;
  }
  if (args.size() != 2 || args[0] != "diagram") {
    return Usage("workflows", "expected: workflows diagram NAME");
  }
  const Workflow* wf = registry.Find(args[1]);
  if (wf == nullptr) return Usage("workflows", "unknown workflow " + args[1]);
  const std::string format = line.get("format", "mermaid");
  if (format == "mermaid")
    std::cout << RenderMermaid(wf->Meta());
  else if (format == "dot")
    std::cout << RenderDot(wf->Meta());
  else
    return Usage("workflows", "--format must be mermaid or dot");
  return 0;
}

}  // namespace rsoflow::app
