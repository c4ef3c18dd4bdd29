// WriterEnv: a workflow's questions (WorkflowEnv) answered from inside the writer's
// transaction, on the Store's writer side.
//
// Thread-safety: the writer thread only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/store.h"
#include "engine/workflow.h"

namespace rsoflow {

class WriterEnv final : public WorkflowEnv {
 public:
  explicit WriterEnv(Store& store) : store_(store) {}
  Result<std::vector<UserRef>> ActiveUsersWithRole(const std::string& role) override {
    return store_.ActiveUsersWithRole(role);
  }
  Result<int64_t> NextCounter(const std::string& name) override { return store_.NextCounter(name); }
  Result<Instance> LoadInstance(int64_t id) override { return store_.LoadInstanceForWrite(id); }
  Result<std::vector<int64_t>> ActiveInstancesWithSubject(const std::string& workflow,
                                                          int64_t subject_id) override {
    return store_.ActiveInstancesWithSubject(workflow, subject_id);
  }
  Result<std::vector<Instance>> FindInstances(const InstanceQuery& query) override {
    return store_.FindInstancesForWrite(query);
  }
  Result<std::vector<Document>> CurrentDocuments(int64_t instance_id) override {
    return store_.CurrentDocumentsForWrite(instance_id);
  }
  Result<Record> GetRecord(const std::string& kind, const std::string& id) override {
    return store_.GetRecordForWrite(kind, id);
  }
  Result<std::string> InsertRecord(const Record& record) override {
    return store_.InsertRecord(record);
  }
  Status UpdateRecord(const Record& record) override { return store_.UpdateRecord(record); }
  Result<int64_t> NextResolutionNumber(int year) override {
    return store_.NextResolutionNumber(year);
  }
  Status RecordResolution(const Resolution& resolution) override {
    return store_.InsertResolution(resolution);
  }

 private:
  Store& store_;
};

}  // namespace rsoflow
