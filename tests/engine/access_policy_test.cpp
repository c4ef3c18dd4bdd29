// Separation of duties in the access policy (issue 17, finding 2; issue 22): the roles whose
// events need a credential the user obtained itself are those a workflow lists in its
// metadata; every other role acts with any valid token.
#include "engine/access_policy.h"

#include <gtest/gtest.h>

#include <memory>

#include "engine/workflow_registry.h"

namespace rsoflow {
namespace {

// A workflow that only declares metadata: the policy reads nothing else of it.
class DeclaringWorkflow final : public Workflow {
 public:
  explicit DeclaringWorkflow(std::vector<std::string> own_credential_roles) {
    meta_.name = "declaring";
    meta_.own_credential_roles = std::move(own_credential_roles);
  }
  const WorkflowMeta& Meta() const override { return meta_; }
  Result<CreateOutcome> Create(const CreateRequest&) const override {
    return Status::Unavailable("not started in this test");
  }
  Result<FireOutcome> Fire(const FireRequest&) const override {
    return Status::Unavailable("not fired in this test");
  }

 private:
  WorkflowMeta meta_;
};

Command CommandOf(const std::string& role, const std::string& issued_by) {
  Command c;
  c.actor = Actor{"7", "member", role, "", {}};
  c.token_id = "42";
  c.token_issued_by = issued_by;
  return c;
}

TEST(SeparationOfDuties, ARoleAWorkflowListsActsOnlyWithACredentialItObtainedItself) {
  WorkflowRegistry registry;
  registry.Add(std::make_unique<DeclaringWorkflow>(std::vector<std::string>{"council"}));
  const AccessPolicy policy(registry);
  EXPECT_TRUE(policy.CheckOwnCredential(CommandOf("council", "7")).ok());
  for (auto [issuer, named] : {std::pair{"1", "by user 1"}, std::pair{"system", "the command line"},
                               std::pair{"", "an unknown issuer"}}) {
    const Status refused = policy.CheckOwnCredential(CommandOf("council", issuer));
    EXPECT_EQ(refused.code(), Status::Code::kForbidden) << issuer;
    EXPECT_EQ(refused.reason_codes(), std::vector<std::string>{"token_not_own"}) << issuer;
    EXPECT_NE(refused.message().find("token 42 was issued for this Council member"),
              std::string::npos)
        << refused.message();
    EXPECT_NE(refused.message().find(named), std::string::npos) << refused.message();
  }
}

TEST(SeparationOfDuties, RolesNoWorkflowListsActWithAnyCredential) {
  WorkflowRegistry declaring;
  declaring.Add(std::make_unique<DeclaringWorkflow>(std::vector<std::string>{"council"}));
  EXPECT_TRUE(AccessPolicy(declaring).CheckOwnCredential(CommandOf("secretariat", "1")).ok());
  WorkflowRegistry silent;
  silent.Add(std::make_unique<DeclaringWorkflow>(std::vector<std::string>{}));
  EXPECT_TRUE(AccessPolicy(silent).CheckOwnCredential(CommandOf("council", "1")).ok());
}

}  // namespace
}  // namespace rsoflow
