// The tally workflow (tests/workflows/tally/) is its folder plus one registry call: started and
// fired through the engine like any workflow, its metadata read off its MSM table by the glue,
// its payloads checked by their field lists.
#include <gtest/gtest.h>

#include <memory>

#include "tests/support/harness.h"
#include "tests/workflows/tally/workflow.h"

namespace rsoflow::testing {
namespace {

class TallyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    h.registry.Add(std::make_unique<tally::TallyWorkflow>());  // the one registry call
    h.Restart(false);
    sec = h.AddUser("sec.amina", "secretariat");
    auto started = h.Start("tally", sec, J(R"({"title":"Chairs"})"));
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    id = started->instance.id;
  }
  Status Fire(const std::string& event, Json data = Json::MakeObject(),
              const std::string& comment = "") {
    auto r = h.Fire(id, event, sec, std::move(data), comment);
    return r.ok() ? Status::Ok() : r.status();
  }

  Harness h;
  Actor sec;
  int64_t id = 0;
};

TEST_F(TallyTest, StartsAndFiresThroughTheEngine) {
  EXPECT_EQ(h.Load(id).state, "open");
  EXPECT_EQ(h.Load(id).title, "Chairs");
  ASSERT_TRUE(Fire("add", J(R"({"amount":3})")).ok());
  ASSERT_TRUE(Fire("add", J(R"({"amount":4})")).ok());
  ASSERT_TRUE(Fire("close").ok());
  const Instance closed = h.Load(id);
  EXPECT_EQ(closed.state, "closed");
  EXPECT_EQ(closed.data.GetInt("total"), 7);
  EXPECT_EQ(h.History(id).size(), 4u);  // created, two adds, closed
}

TEST_F(TallyTest, MetadataIsReadOffTheTableWithOneRowPerStateOfAFromEach) {
  const WorkflowMeta& m = h.registry.Find("tally")->Meta();
  EXPECT_EQ(m.initial_state, "open");
  ASSERT_EQ(m.states.size(), 4u);
  EXPECT_EQ(m.states[1].name, "paused");
  EXPECT_TRUE(m.IsTerminal("cancelled"));
  EXPECT_TRUE(m.HasTransition("open", "cancel"));
  EXPECT_TRUE(m.HasTransition("paused", "cancel"));
  EXPECT_FALSE(m.HasTransition("closed", "cancel"));
  EXPECT_EQ(m.transitions.back().guard, "comment");
  EXPECT_EQ(m.create.path, "/api/v1/tallies");
}

TEST_F(TallyTest, CancelFromAPausedTallyNeedsAComment) {
  ASSERT_TRUE(Fire("pause").ok());
  const Status bare = Fire("cancel");
  ASSERT_EQ(bare.code(), Status::Code::kGuardFailed);
  EXPECT_EQ(bare.reason_codes(), std::vector<std::string>{"comment_required"});
  ASSERT_TRUE(Fire("cancel", Json::MakeObject(), "not needed").ok());
  EXPECT_EQ(h.Load(id).state, "cancelled");
}

TEST_F(TallyTest, GuardsAndUnknownEventsAnswerAsForEveryWorkflow) {
  const Status empty = Fire("close");
  ASSERT_EQ(empty.code(), Status::Code::kGuardFailed);
  EXPECT_EQ(empty.reason_codes(), std::vector<std::string>{"tally_empty"});
  ASSERT_TRUE(Fire("pause").ok());
  EXPECT_EQ(Fire("add", J(R"({"amount":1})")).code(), Status::Code::kInvalidTransition);
}

TEST_F(TallyTest, PayloadsAndCreationDataAreCheckedByTheirFieldLists) {
  const Status big = Fire("add", J(R"({"amount":11})"));
  ASSERT_EQ(big.code(), Status::Code::kInvalidRequest);
  EXPECT_EQ(big.fields(), std::vector<std::string>{"data.amount"});
  EXPECT_EQ(big.message(), "amount is an integer from 1 to 10");
  EXPECT_EQ(Fire("add", J(R"({})")).fields(), std::vector<std::string>{"data.amount"});
  const Status extra = Fire("add", J(R"({"amount":1,"colour":"red"})"));
  EXPECT_EQ(extra.fields(), std::vector<std::string>{"data.colour"});
  EXPECT_EQ(extra.message(), "unknown field(s): data.colour");
  EXPECT_EQ(Fire("pause", J(R"({"why":"lunch"})")).fields(), std::vector<std::string>{"data.why"});
  EXPECT_EQ(h.Load(id).data.GetInt("total"), 0);

  auto untitled = h.Start("tally", sec, J(R"({"title":""})"));
  ASSERT_FALSE(untitled.ok());
  EXPECT_EQ(untitled.status().fields(), std::vector<std::string>{"title"});
}

}  // namespace
}  // namespace rsoflow::testing
