// A storage failure met while a guard reads (the RSO record, the RSO's recognition, its
// momentum plans) decides nothing: the workflow answers unavailable (503 over the API), never a
// guard refusal (422) that the caller would take for the rules' answer. The workflows are
// called directly with an environment whose reads fail as a broken disk would make them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/workflow.h"
#include "engine/workflow_registry.h"
#include "tests/support/harness.h"
#include "workflows/registry.h"

namespace rsoflow::testing {
namespace {

class FailingEnv : public WorkflowEnv {
 public:
  Result<std::vector<UserRef>> ActiveUsersWithRole(const std::string&) override { return Fail(); }
  Result<int64_t> NextCounter(const std::string&) override { return Fail(); }
  Result<Instance> LoadInstance(int64_t) override { return Fail(); }
  Result<std::vector<int64_t>> ActiveInstancesWithSubject(const std::string&, int64_t) override {
    return Fail();
  }
  Result<std::vector<Instance>> FindInstances(const InstanceQuery&) override { return Fail(); }
  Result<Record> GetRecord(const std::string&, const std::string&) override { return Fail(); }
  Result<std::string> InsertRecord(const Record&) override { return Fail(); }
  Status UpdateRecord(const Record&) override { return Fail(); }
  Result<int64_t> NextResolutionNumber(int) override { return Fail(); }
  Status RecordResolution(const Resolution&) override { return Fail(); }
  Result<std::vector<Document>> CurrentDocuments(int64_t) override { return Fail(); }

 private:
  static Status Fail() { return Status::Unavailable("disk I/O error (test)"); }
};

class StorageFailureInGuards : public ::testing::Test {
 protected:
  void SetUp() override { RegisterWorkflows(registry); }

  Result<FireOutcome> Fire(const std::string& workflow, const std::string& state,
                           const std::string& event) {
    Instance inst;
    inst.id = 7;
    inst.workflow = workflow;
    inst.state = state;
    inst.version = 3;
    inst.rso_id = "rso-1";
    inst.title = "Test";
    const Json data = Json::MakeObject();
    const std::string comment;
    FireRequest req{inst, event, secretariat, data, comment, kNow, env};
    return registry.Find(workflow)->Fire(req);
  }

  static constexpr int64_t kNow = 1'780'000'000'000;
  WorkflowRegistry registry;
  FailingEnv env;
  Actor secretariat{"u-1", "sec", role::kSecretariat, "", {}};
};

TEST_F(StorageFailureInGuards, SubmittingADossierThatCannotBeReadIsUnavailableNotIncomplete) {
  auto r = Fire("rso_recognition", "draft", "submit");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnavailable) << r.status().ToString();
  EXPECT_TRUE(r.status().reasons().empty());
}

TEST_F(StorageFailureInGuards, ApprovingAnInitiativeWhoseRsoCannotBeReadIsUnavailable) {
  for (const auto& [state, event] : std::vector<std::pair<std::string, std::string>>{
           {"under_review", "approve"}, {"approved", "start"}, {"on_hold", "resume"}}) {
    auto r = Fire("partnership_initiative", state, event);
    ASSERT_FALSE(r.ok()) << event;
    EXPECT_EQ(r.status().code(), Status::Code::kUnavailable)
        << event << ": " << r.status().ToString();
  }
}

TEST_F(StorageFailureInGuards, CreatingAnInitiativeWhenTheRecognitionCannotBeReadIsUnavailable) {
  const Json data = J(R"({"type":"training","title":"Training of trainers"})");
  CreateRequest req{secretariat, data, "rso-1", 0, kNow, env};
  auto r = registry.Find("partnership_initiative")->Create(req);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Status::Code::kUnavailable) << r.status().ToString();
}

}  // namespace
}  // namespace rsoflow::testing
