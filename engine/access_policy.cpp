#include "engine/access_policy.h"

namespace rsoflow {

Status AccessPolicy::NoInstance(int64_t id) {
  return Status::NotFound("no instance " + std::to_string(id));
}

Status AccessPolicy::NotFoundAsNoInstance(const Status& st, int64_t id) {
  return st.code() == Status::Code::kNotFound ? NoInstance(id) : st;
}

bool AccessPolicy::CanSee(const Actor& viewer, const Instance& instance) const {
  if (viewer.role == role::kAdmin) return false;  // admins take part in no workflow
  if (viewer.role == role::kLiaison) {
    return !instance.rso_id.empty() && instance.rso_id == viewer.rso_id;
  }
  return true;
}

bool AccessPolicy::Scope(const Actor& viewer, InstanceQuery* query) const {
  if (viewer.role == role::kAdmin) return false;
  if (viewer.role == role::kLiaison) {
    if (viewer.rso_id.empty()) return false;
    if (!query->rso_id.empty() && query->rso_id != viewer.rso_id) return false;
    query->rso_id = viewer.rso_id;
  }
  return true;
}

std::vector<std::string> AccessPolicy::AllowedEvents(const Instance& instance,
                                                     const Actor& viewer) const {
  const Workflow* wf = registry_.Find(instance.workflow);
  if (wf == nullptr || instance.terminal || !CanSee(viewer, instance)) return {};
  return wf->Meta().EventsFrom(instance.state, viewer.role);
}

Json AccessPolicy::ViewData(const Instance& instance, const Actor& viewer) const {
  const Workflow* wf = registry_.Find(instance.workflow);
  return wf == nullptr ? instance.data : wf->View(instance, viewer);
}

InstanceView AccessPolicy::View(Instance instance, const Actor& viewer) const {
  InstanceView v;
  const Workflow* wf = registry_.Find(instance.workflow);
  if (wf != nullptr) {
    if (!instance.terminal) v.allowed_events = wf->Meta().EventsFrom(instance.state, viewer.role);
    if (wf->ReadsAsCreated(instance, viewer)) {
      instance.version = 1;
      instance.updated_at = instance.created_at;
    }
    instance.data = wf->View(instance, viewer);
  }
  v.instance = std::move(instance);
  return v;
}

}  // namespace rsoflow
