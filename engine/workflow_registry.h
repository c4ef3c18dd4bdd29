// WorkflowRegistry: the workflows the engine knows, by name. Filled once at start-up
// (workflows/registry.cpp, which lists the workflows of this build), read-only afterwards, so
// safe to share between threads.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/workflow.h"

namespace rsoflow {

class WorkflowRegistry {
 public:
  void Add(std::unique_ptr<Workflow> workflow) {
    const std::string name = workflow->Meta().name;
    workflows_[name] = std::move(workflow);
  }
  const Workflow* Find(const std::string& name) const {
    auto it = workflows_.find(name);
    return it == workflows_.end() ? nullptr : it->second.get();
  }
  // The workflow whose state is an RSO's status (WorkflowMeta::rso_status), or null.
  const Workflow* RsoStatusWorkflow() const {
    for (const auto& [name, wf] : workflows_) {
      if (wf->Meta().rso_status.carries_rso_status) return wf.get();
    }
    return nullptr;
  }
  std::vector<const Workflow*> All() const {
    std::vector<const Workflow*> out;
    for (const auto& [name, wf] : workflows_) out.push_back(wf.get());
    return out;
  }

 private:
  std::map<std::string, std::unique_ptr<Workflow>> workflows_;
};

}  // namespace rsoflow
