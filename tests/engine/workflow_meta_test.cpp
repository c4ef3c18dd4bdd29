// Workflow metadata helpers and the diagram renderings.
#include <gtest/gtest.h>

#include "engine/workflow.h"

namespace rsoflow {
namespace {

WorkflowMeta Sample() {
  WorkflowMeta m;
  m.name = "sample";
  m.initial_state = "a";
  m.states = {{"a", false}, {"b", false}, {"z", true}};
  m.events = {{"go", {"secretariat"}}, {"stop", {"secretariat", "system"}}};
  m.transitions = {{"a", "go", "b", {"secretariat"}, ""},
                   {"b", "stop", "z", {"secretariat", "system"}, "ready"}};
  return m;
}

TEST(WorkflowMeta, EventsFromConsidersStateAndRole) {
  auto m = Sample();
  EXPECT_EQ(m.EventsFrom("a", "secretariat"), std::vector<std::string>{"go"});
  EXPECT_TRUE(m.EventsFrom("a", "council").empty());
  EXPECT_EQ(m.AllEventsFrom("b"), std::vector<std::string>{"stop"});
  EXPECT_TRUE(m.RoleMayFire("system", "stop"));
  EXPECT_FALSE(m.RoleMayFire("system", "go"));
  EXPECT_TRUE(m.IsTerminal("z"));
}

// The engine refuses an event with no row from the instance's state through HasTransition.
TEST(WorkflowMeta, HasTransitionNeedsARowFromThatStateOnThatEvent) {
  auto m = Sample();
  EXPECT_TRUE(m.HasTransition("a", "go"));
  EXPECT_TRUE(m.HasTransition("b", "stop"));
  EXPECT_FALSE(m.HasTransition("a", "stop"));  // a row on that event, from another state
  EXPECT_FALSE(m.HasTransition("b", "go"));
  EXPECT_FALSE(m.HasTransition("z", "go"));    // terminal: no row leaves it
  EXPECT_FALSE(m.HasTransition("a", "vote"));  // no such event
}

TEST(WorkflowMeta, MermaidShowsEveryRowAndHighlightsTheCurrentState) {
  const std::string d = RenderMermaid(Sample(), "b");
  EXPECT_NE(d.find("stateDiagram-v2"), std::string::npos);
  EXPECT_NE(d.find("[*] --> a"), std::string::npos);
  EXPECT_NE(d.find("a --> b : go [secretariat]"), std::string::npos);
  EXPECT_NE(d.find("b --> z : stop [secretariat,system] / ready"), std::string::npos);
  EXPECT_NE(d.find("z --> [*]"), std::string::npos);
  EXPECT_NE(d.find("class b current"), std::string::npos);
  EXPECT_EQ(RenderMermaid(Sample()).find("class "), std::string::npos);
}

TEST(WorkflowMeta, DotShowsEveryRowAndHighlightsTheCurrentState) {
  const std::string d = RenderDot(Sample(), "a");
  EXPECT_NE(d.find("digraph \"sample\""), std::string::npos);
  EXPECT_NE(d.find("\"a\" -> \"b\" [label=\"go [secretariat]\"]"), std::string::npos);
  EXPECT_NE(d.find("\"z\" [peripheries=2]"), std::string::npos);
  EXPECT_NE(d.find("\"a\" [style=\"rounded,filled,bold\""), std::string::npos);
}

TEST(WorkflowMeta, JsonFormListsStatesEventsAndTransitions) {
  Json j = MetaToJson(Sample());
  EXPECT_EQ(j.GetString("name"), "sample");
  EXPECT_EQ(j.Get("states")->size(), 3u);
  EXPECT_EQ(j.Get("transitions")->AsArray()[1].GetString("guard"), "ready");
  EXPECT_TRUE(j.Get("transitions")->AsArray()[0].Get("guard")->is_null());
}

}  // namespace
}  // namespace rsoflow
