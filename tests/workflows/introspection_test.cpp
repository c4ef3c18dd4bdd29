// Introspection of the four registered workflows (issue: states, events with roles,
// transitions with guard names, Mermaid and DOT with the current state highlighted), read off
// the MSM tables through the registry exactly as the API and the CLI serve them.
#include <gtest/gtest.h>

#include <set>

#include "engine/workflow.h"
#include "engine/workflow_registry.h"
#include "workflows/registry.h"

namespace rsoflow {
namespace {

class Introspection : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override { RegisterWorkflows(registry_); }
  const WorkflowMeta& Meta() { return registry_.Find(GetParam())->Meta(); }
  WorkflowRegistry registry_;
};

TEST_P(Introspection, EveryRowNamesKnownStatesAndEventsWithRoles) {
  const WorkflowMeta& m = Meta();
  std::set<std::string> states, events;
  for (const auto& s : m.states) states.insert(s.name);
  for (const auto& e : m.events) {
    events.insert(e.name);
    EXPECT_FALSE(e.roles.empty()) << e.name;
  }
  EXPECT_EQ(states.count(m.initial_state), 1u);
  for (const auto& t : m.transitions) {
    EXPECT_EQ(states.count(t.from), 1u) << t.from;
    EXPECT_EQ(states.count(t.to), 1u) << t.to;
    EXPECT_EQ(events.count(t.event), 1u) << t.event;
    EXPECT_FALSE(t.roles.empty()) << t.from << " " << t.event;
    EXPECT_FALSE(m.IsTerminal(t.from)) << "a row leaves terminal state " << t.from;
  }
}

TEST_P(Introspection, StandingEventsAreEventsOfTheWorkflowAndLeaveSomethingToAwait) {
  const WorkflowMeta& m = Meta();
  for (const auto& e : m.standing_events) EXPECT_NE(m.FindEvent(e), nullptr) << e;
  EXPECT_FALSE(m.AwaitsAny(m.standing_events));
  // From the initial state someone always has something to do.
  std::vector<std::string> all;
  for (const char* role : {"secretariat", "council", "rso_liaison"}) {
    for (const auto& e : m.EventsFrom(m.initial_state, role)) all.push_back(e);
  }
  EXPECT_TRUE(m.AwaitsAny(all)) << m.initial_state;
}

TEST_P(Introspection, DiagramsShowEveryTransitionAndHighlightTheCurrentState) {
  const WorkflowMeta& m = Meta();
  for (const auto& s : m.states) {
    const std::string mermaid = RenderMermaid(m, s.name);
    EXPECT_NE(mermaid.find("class " + s.name + " current"), std::string::npos) << s.name;
    const std::string dot = RenderDot(m, s.name);
    const size_t node = dot.find("\n  \"" + s.name + "\" [");
    ASSERT_NE(node, std::string::npos) << s.name;
    const std::string line = dot.substr(node + 1, dot.find('\n', node + 1) - node - 1);
    EXPECT_NE(line.find("style=\"rounded,filled,bold\""), std::string::npos) << line;
  }
  const std::string mermaid = RenderMermaid(m);
  for (const auto& t : m.transitions) {
    // One edge per (from, to); several events on it are joined with <br/>.
    const size_t edge = mermaid.find("    " + t.from + " --> " + t.to + " : ");
    ASSERT_NE(edge, std::string::npos) << t.from << " --> " << t.to;
    const std::string line = mermaid.substr(edge, mermaid.find('\n', edge) - edge);
    EXPECT_NE(line.find(t.event + " ["), std::string::npos) << line;
    if (!t.guard.empty()) {
      EXPECT_NE(mermaid.find(" / " + t.guard), std::string::npos) << t.guard;
    }
  }
}

TEST_P(Introspection, JsonDescriptionMatchesTheTable) {
  const WorkflowMeta& m = Meta();
  const Json j = MetaToJson(m);
  EXPECT_EQ(j.GetString("name"), GetParam());
  EXPECT_EQ(j.Get("states")->size(), m.states.size());
  EXPECT_EQ(j.Get("events")->size(), m.events.size());
  ASSERT_EQ(j.Get("transitions")->size(), m.transitions.size());
  for (size_t i = 0; i < m.transitions.size(); ++i) {
    const Json& t = j.Get("transitions")->AsArray()[i];
    EXPECT_EQ(t.GetString("from"), m.transitions[i].from);
    EXPECT_EQ(t.GetString("event"), m.transitions[i].event);
    EXPECT_EQ(t.Get("roles")->size(), m.transitions[i].roles.size());
  }
}

TEST(Inbox, RestingStatesDoNotWaitForAnyone) {
  WorkflowRegistry registry;
  RegisterWorkflows(registry);
  auto awaits = [&](const char* workflow, const char* state, const char* role) {
    const WorkflowMeta& m = registry.Find(workflow)->Meta();
    return m.AwaitsAny(m.EventsFrom(state, role));
  };
  EXPECT_FALSE(awaits("rso_recognition", "recognized", "secretariat")) << "only suspend";
  EXPECT_TRUE(awaits("rso_recognition", "submitted", "secretariat"));
  EXPECT_FALSE(awaits("council_ballot", "open", "secretariat")) << "the deadline closes it";
  EXPECT_TRUE(awaits("council_ballot", "open", "council"));
  EXPECT_TRUE(awaits("partnership_initiative", "active", "rso_liaison"));
  EXPECT_FALSE(awaits("partnership_initiative", "proposed", "rso_liaison")) << "only revise";
  EXPECT_TRUE(awaits("momentum_plan", "drafting", "rso_liaison"));
  EXPECT_FALSE(awaits("momentum_plan", "submitted", "rso_liaison"));
}

INSTANTIATE_TEST_SUITE_P(AllWorkflows, Introspection,
                         ::testing::Values("rso_recognition", "council_ballot",
                                           "partnership_initiative", "momentum_plan"));

TEST(Registry, HoldsTheFourWorkflowsOfTheDesign) {
  WorkflowRegistry registry;
  RegisterWorkflows(registry);
  for (const char* name :
       {"rso_recognition", "council_ballot", "partnership_initiative", "momentum_plan"}) {
    EXPECT_NE(registry.Find(name), nullptr) << name;
  }
}

// What api/ reads instead of naming a workflow (issue 22): which workflow's state is an RSO's
// status, with its dossier event and its recognized state, and whose events need the actor's
// own credential.
TEST(WorkflowRoles, TheRecognitionCarriesTheRsoStatusAndTheBallotTheCouncilsOwnCredential) {
  WorkflowRegistry registry;
  RegisterWorkflows(registry);
  const Workflow* status = registry.RsoStatusWorkflow();
  ASSERT_NE(status, nullptr);
  const WorkflowMeta& m = status->Meta();
  EXPECT_EQ(m.name, "rso_recognition");
  EXPECT_EQ(m.rso_status.edit_event, "edit_dossier");
  EXPECT_NE(m.FindEvent(m.rso_status.edit_event), nullptr);
  EXPECT_EQ(m.rso_status.recognized_state, "recognized");
  EXPECT_NE(m.FindState(m.rso_status.recognized_state), nullptr);
  int carriers = 0;
  for (const Workflow* wf : registry.All()) {
    carriers += wf->Meta().rso_status.carries_rso_status ? 1 : 0;
    const auto& own = wf->Meta().own_credential_roles;
    EXPECT_EQ(own, wf->Meta().name == "council_ballot" ? std::vector<std::string>{"council"}
                                                       : std::vector<std::string>{})
        << wf->Meta().name;
  }
  EXPECT_EQ(carriers, 1);
}

}  // namespace
}  // namespace rsoflow
