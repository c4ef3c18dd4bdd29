// The tally workflow through the API: its creation route comes from its metadata (POST
// /api/v1/tallies, for the roles among its create_roles), with no edit to api/.
#include <gtest/gtest.h>

#include <memory>

#include "tests/api/api_fixture.h"
#include "tests/workflows/tally/workflow.h"

namespace rsoflow::testing {
namespace {

class TallyApiTest : public ApiTest {
 protected:
  void SetUp() override {
    workflow_settings.more = [](WorkflowRegistry& registry) {
      registry.Add(std::make_unique<tally::TallyWorkflow>());  // the one registry call
    };
    ApiTest::SetUp();
  }
};

TEST_F(TallyApiTest, IsStartedOnItsCreationRouteAndFiredLikeAnyInstance) {
  HttpReply created = Post("/api/v1/tallies", sec.token, J(R"({"title":"Chairs"})"));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json().GetString("id");
  EXPECT_EQ(created.header("Location"), "/api/v1/instances/" + id);
  EXPECT_EQ(created.json().GetString("state"), "open");

  HttpReply added = Fire(id, sec.token, "add", J(R"({"amount":5})"));
  ASSERT_EQ(added.status, 200) << added.body;
  HttpReply closed = Fire(id, sec.token, "close");
  ASSERT_EQ(closed.status, 200) << closed.body;
  ASSERT_NE(closed.json().Get("instance"), nullptr) << closed.body;
  EXPECT_EQ(closed.json().Get("instance")->GetString("state"), "closed");
  EXPECT_EQ(Get("/api/v1/instances/" + id, sec.token).json().Get("data")->GetInt("total"), 5);
}

TEST_F(TallyApiTest, ItsRouteAdmitsOnlyItsCreateRolesAndItsFieldsAnswer400) {
  EXPECT_EQ(Post("/api/v1/tallies", council.token, J(R"({"title":"Chairs"})")).status, 403);
  HttpReply bad = Post("/api/v1/tallies", sec.token, J(R"({"title":"Chairs","legs":4})"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.code(), "invalid_request");
  HttpReply created = Post("/api/v1/tallies", sec.token, J(R"({"title":"Chairs"})"));
  const std::string id = created.json().GetString("id");
  HttpReply big = Fire(id, sec.token, "add", J(R"({"amount":11})"));
  EXPECT_EQ(big.status, 400);
  EXPECT_EQ(big.code(), "invalid_request");
  EXPECT_EQ(Get("/api/v1/tallies", sec.token).status, 405);
}

}  // namespace
}  // namespace rsoflow::testing
