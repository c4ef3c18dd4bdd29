#include "app/runtime.h"

#include <filesystem>

#include "app/notify_settings.h"
#include "db/connection.h"
#include "workflows/registry.h"

namespace rsoflow {

Result<std::unique_ptr<Runtime>> Runtime::Open(const std::string& db_path, Clock& clock,
                                               bool start_timers, EngineOptions engine_options,
                                               WorkflowSettings workflow_settings) {
  RSOFLOW_RETURN_IF_ERROR(council_ballot::CheckFloors(workflow_settings.council));
  std::unique_ptr<Runtime> rt(new Runtime(clock));
  db::MakePrivateDirectories(std::filesystem::path(db_path).parent_path().string());
  auto store = db::SqliteStore::Open(db_path);
  if (!store.ok()) return store.status();
  rt->store_ = std::move(store).value();
  RegisterWorkflows(rt->registry_, workflow_settings);
  NotifyOptions& notify = engine_options.notify;
  if (notify.enabled && notify.ballot_workflow.empty() && notify.reminders.empty()) {
    notify = DefaultNotifyOptions();  // the defaults of DESIGN 9 unless the caller chose
  }
  rt->engine_ = std::make_unique<Engine>(*rt->store_, clock, rt->registry_, engine_options);
  RSOFLOW_RETURN_IF_ERROR(rt->engine_->Start());
  if (start_timers) {
    rt->scheduler_ = std::make_unique<TimerScheduler>(*rt->engine_, clock);
    rt->scheduler_->Start();
  }
  return rt;
}

Runtime::~Runtime() {
  if (scheduler_) scheduler_->Stop();
  scheduler_.reset();
  if (engine_) engine_->Stop();
}

}  // namespace rsoflow
