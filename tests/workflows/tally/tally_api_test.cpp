// The tally workflow through the API: its creation route and that route's entry in the API
// document come from its metadata (POST /api/v1/tallies, for the roles among its
// create_roles; the body's schema from its creation field list), with no edit to api/ or
// api/openapi.yaml.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>

#include "api/routes.h"
#include "tests/api/api_fixture.h"
#include "tests/support/yaml_reader.h"
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

TEST_F(TallyApiTest, TheServedDocumentDescribesItsCreationRouteFromItsFieldList) {
  HttpReply r = Get("/api/v1/openapi.yaml", council.token);
  ASSERT_EQ(r.status, 200);
  std::string error;
  auto document = ReadYaml(r.body, &error);
  ASSERT_TRUE(document.has_value()) << error;
  const Json* item = document->Get("paths")->Get("/api/v1/tallies");
  ASSERT_NE(item, nullptr) << "the tally's creation route is not in the served document";
  const Json& post = *item->Get("post");
  EXPECT_EQ(post.GetString("operationId"), "createTally");
  EXPECT_EQ(post.GetString("summary"), "Start a Tally (tests)");
  EXPECT_NE(post.GetString("description").find("Roles: secretariat."), std::string::npos)
      << post.GetString("description");
  const Json& schema =
      *post.Get("requestBody")->Get("content")->Get("application/json")->Get("schema");
  EXPECT_EQ(schema.Dump(),
            R"({"additionalProperties":false,"properties":{"title":{"description":"what is )"
            R"(counted","maxLength":100,"minLength":1,"type":"string"}},"required":["title"],)"
            R"("type":"object"})");
  const Json& created = *post.Get("responses")->Get("201");
  EXPECT_EQ(created.GetString("description"), "Counting");
  EXPECT_EQ(created.Get("content")->Get("application/json")->Get("schema")->GetString("$ref"),
            "#/components/schemas/Instance");
  EXPECT_NE(created.Get("headers")->Get("Location"), nullptr);
  for (const char* status : {"400", "401", "403", "409", "413", "415", "422", "503"}) {
    EXPECT_NE(post.Get("responses")->Get(status), nullptr) << status;
  }
  // The document a server without the tally serves does not have it.
  EXPECT_EQ(OpenApiContract::Served().document().Get("paths")->Get("/api/v1/tallies"), nullptr);
}

// The route-vs-document check of api_tests (AuditApiTest.OpenApiDocumentDescribesEveryRoute),
// for this server's routes: the tally's is described, with no edit to api/openapi.yaml.
TEST_F(TallyApiTest, EveryRouteOfTheServerIsInTheDocumentItServes) {
  std::string error;
  auto document = ReadYaml(Get("/api/v1/openapi.yaml", council.token).body, &error);
  ASSERT_TRUE(document.has_value()) << error;
  int described = 0;
  for (const api::Route& route : api::RoutesFor(runtime->engine().registry())) {
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    const Json* item = document->Get("paths")->Get(route.pattern);
    EXPECT_TRUE(item != nullptr && item->Get(method) != nullptr)
        << route.method << " " << route.pattern << " is not described";
    if (route.pattern == "/api/v1/tallies") ++described;
  }
  EXPECT_EQ(described, 1);
}

}  // namespace
}  // namespace rsoflow::testing
