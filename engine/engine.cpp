#include "engine/engine.h"

namespace rsoflow {

class Engine::CommandItem final : public Answered<CommandResult> {
 public:
  CommandItem(CommandProcessor& processor, Command command)
      : processor_(processor), command_(std::move(command)) {}

 private:
  Result<CommandResult> Compute(Store&, bool* keep) override {
    return processor_.Run(command_, keep);
  }
  CommandProcessor& processor_;
  const Command command_;
};

class Engine::JobItem final : public Answered<Json> {
 public:
  explicit JobItem(Job job) : job_(std::move(job)) {}

 private:
  Result<Json> Compute(Store& store, bool*) override { return job_(store); }
  const Job job_;
};

Engine::Engine(Store& store, const Clock& clock, const WorkflowRegistry& registry,
               EngineOptions options)
    : store_(store),
      clock_(clock),
      registry_(registry),
      policy_(registry),
      processor_(store, clock, registry, policy_, options.max_follow_up_depth, options.notify),
      writer_(store, processor_, options),
      reads_(store, registry, policy_) {}

Engine::~Engine() { Stop(); }

Status Engine::Start() { return writer_.Start(); }

void Engine::Stop() { writer_.Stop(); }

std::future<Result<CommandResult>> Engine::Submit(Command command) {
  auto item = std::make_unique<CommandItem>(processor_, std::move(command));
  auto future = item->Future();
  writer_.Enqueue(std::move(item), /*wake=*/false);
  return future;
}

Result<CommandResult> Engine::Execute(Command command) {
  // The turn is taken before Submit, so that the writer, answering, sees a caller polling.
  const bool turn = writer_.TryStartPolling();
  return writer_.Await(Submit(std::move(command)), turn);
}

std::future<Result<Json>> Engine::SubmitJob(Job job) {
  auto item = std::make_unique<JobItem>(std::move(job));
  auto future = item->Future();
  writer_.Enqueue(std::move(item), /*wake=*/true);
  return future;
}

void Engine::SetTimerListener(std::function<void(int64_t)> listener) {
  writer_.SetTimerListener(std::move(listener));
}

Result<Instance> Engine::GetInstance(int64_t id, const Actor& viewer) const {
  return reads_.GetInstance(id, viewer);
}

bool Engine::CanSee(const Actor& viewer, const Instance& instance) const {
  return policy_.CanSee(viewer, instance);
}

std::vector<std::string> Engine::AllowedEvents(const Instance& instance,
                                               const Actor& viewer) const {
  return policy_.AllowedEvents(instance, viewer);
}

Json Engine::ViewData(const Instance& instance, const Actor& viewer) const {
  return policy_.ViewData(instance, viewer);
}

InstanceSight Engine::SightOf(const Instance& instance, const Actor& viewer) const {
  return policy_.Sight(instance, viewer);
}

EngineStats Engine::Stats() const { return writer_.Stats(); }

}  // namespace rsoflow
