// Engine: the one way anything changes, and the scoped reads of what it wrote. It puts
// together the rooms of engine/ (docs/ARCHITECTURE.md):
//   command_writer.h     the queue, group commit, savepoints, polling and their settings;
//   command_processor.h  what one command does: the checks, fire, start, follow-ups, effects,
//                        timers, idempotency and the audit append;
//   access_policy.h      who may see which instance, and which events it may fire;
//   scoped_reads.h       the paged reads (lists, history, audit, inbox) as one viewer may see
//                        them, each workflow's visibility rules applied.
// A success of Submit/Execute/SubmitJob always means committed.
//
// Thread-safety: Submit/Execute/SubmitJob and the read methods are safe from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/access_policy.h"
#include "engine/audit.h"
#include "engine/clock.h"
#include "engine/command.h"
#include "engine/command_processor.h"
#include "engine/command_writer.h"
#include "engine/scoped_reads.h"
#include "engine/store.h"
#include "engine/workflow_registry.h"

namespace rsoflow {

class Engine {
 public:
  static constexpr int64_t kTimerRetryMs = CommandProcessor::kTimerRetryMs;

  Engine(Store& store, const Clock& clock, const WorkflowRegistry& registry,
         EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Reads the audit head and starts the writer thread.
  Status Start();
  // Answers everything already queued, then stops the writer. Later submissions answer
  // Unavailable. Idempotent.
  void Stop();

  std::future<Result<CommandResult>> Submit(Command command);
  // Submit, then wait for the answer (polling for it first: EngineOptions::caller_poll_us).
  // Like every member, it must have returned before the Engine is destroyed.
  Result<CommandResult> Execute(Command command);

  // A write that is not a workflow command (users, tokens, imports), run by the writer in its
  // own savepoint of a group commit. The job must only use the Store's writer side.
  using Job = std::function<Result<Json>(Store&)>;
  std::future<Result<Json>> SubmitJob(Job job);
  // Appends `entry` to the audit chain: for a Job (on the writer thread) whose change is not a
  // workflow command (users, tokens). Sets seq, at, salt, prev_hash and hash; the rest is the
  // caller's. A job that fails afterwards takes the entry back with its savepoint.
  Result<AuditHead> AppendJobAudit(AuditEntry entry) {
    return processor_.AppendJobAudit(std::move(entry));
  }

  // Runs `command` from a Job (on the writer thread) in the job's savepoint, with every check,
  // audit entry and follow-up of a command: for a job whose change is also a workflow's (a
  // decision the Council took in session moves the recognition it decides). The job fails
  // whole when it fails.
  Result<CommandResult> RunInJob(const Command& command) {
    bool keep = false;
    return processor_.Run(command, &keep);
  }
  // Called (from the writer thread) after a commit that set or cleared timers, with the
  // earliest due_at among the timers it set (INT64_MAX when it only cleared some).
  void SetTimerListener(std::function<void(int64_t earliest_set_due)> listener);

  // ---- reads, authorized for `viewer` ----
  Result<Instance> GetInstance(int64_t id, const Actor& viewer) const;
  bool CanSee(const Actor& viewer, const Instance& instance) const;
  // Events `viewer` may fire now (role and scope; guards not evaluated).
  std::vector<std::string> AllowedEvents(const Instance& instance, const Actor& viewer) const;
  // The instance's data as `viewer` may see it.
  Json ViewData(const Instance& instance, const Actor& viewer) const;
  // What `viewer` reads of an instance it may see (it read it through the engine, or its
  // command just wrote it): AccessPolicy::Sight.
  InstanceSight SightOf(const Instance& instance, const Actor& viewer) const;
  // Whether `command` may be fired with the credential it came with (separation of duties):
  // AccessPolicy::CheckOwnCredential.
  Status CheckOwnCredential(const Command& command) const {
    return policy_.CheckOwnCredential(command);
  }
  // The paged reads (scoped_reads.h).
  const ScopedReads& reads() const { return reads_; }

  EngineStats Stats() const;
  const EngineOptions& options() const { return writer_.options(); }
  const WorkflowRegistry& registry() const { return registry_; }
  Store& store() const { return store_; }
  const Clock& clock() const { return clock_; }

 private:
  class CommandItem;
  class JobItem;

  Store& store_;
  const Clock& clock_;
  const WorkflowRegistry& registry_;
  const AccessPolicy policy_;
  CommandProcessor processor_;
  CommandWriter writer_;
  const ScopedReads reads_;
};

}  // namespace rsoflow
