// Labels in English and Russian (API.md 1.1): every workflow, state and event of the four
// workflows, every role, initiative type, ISO event type and region has both, and a code
// several workflows share reads the same in each (GET /api/v1/labels lists it once).
#include "workflows/labels.h"

#include <gtest/gtest.h>

#include <map>

#include "engine/instance.h"
#include "engine/workflow_registry.h"
#include "workflows/partnership_initiative/rules.h"
#include "workflows/registry.h"
#include "workflows/rso_records.h"

namespace rsoflow {
namespace {

// True when `text` holds a Cyrillic letter (UTF-8 lead byte 0xD0 or 0xD1): translated.
bool Cyrillic(const std::string& text) {
  for (unsigned char c : text) {
    if (c == 0xD0 || c == 0xD1) return true;
  }
  return false;
}

void ExpectLabelled(const LabelMap& labels, const std::string& code, const std::string& what) {
  auto it = labels.find(code);
  ASSERT_NE(it, labels.end()) << what << " '" << code << "' has no label";
  EXPECT_FALSE(it->second.en.empty()) << what << " " << code;
  EXPECT_TRUE(Cyrillic(it->second.ru)) << what << " " << code << ": '" << it->second.ru << "'";
}

TEST(Labels, EveryWorkflowStateAndEventHasEnglishAndRussian) {
  WorkflowRegistry registry;
  RegisterWorkflows(registry);
  ASSERT_EQ(registry.All().size(), 4u);
  for (const Workflow* wf : registry.All()) {
    const WorkflowMeta& m = wf->Meta();
    ExpectLabelled({{m.name, m.label}}, m.name, "workflow");
    for (const StateInfo& s : m.states) ExpectLabelled(m.state_labels, s.name, m.name + " state");
    for (const EventInfo& e : m.events) ExpectLabelled(m.event_labels, e.name, m.name + " event");
    // No label for a state or event the workflow does not have (a misspelt code).
    for (const auto& [code, label] : m.state_labels) {
      EXPECT_NE(m.FindState(code), nullptr) << m.name << " labels no state " << code;
    }
    for (const auto& [code, label] : m.event_labels) {
      EXPECT_NE(m.FindEvent(code), nullptr) << m.name << " labels no event " << code;
    }
    for (const auto& [code, label] : m.reason_labels)
      ExpectLabelled(m.reason_labels, code, "reason");
  }
}

TEST(Labels, ACodeSharedByWorkflowsReadsTheSameInEach) {
  WorkflowRegistry registry;
  RegisterWorkflows(registry);
  std::map<std::string, std::pair<std::string, Label>> seen;  // "state:x" -> workflow, label
  for (const Workflow* wf : registry.All()) {
    const WorkflowMeta& m = wf->Meta();
    for (auto [kind, table] :
         {std::pair{"state", &m.state_labels}, std::pair{"event", &m.event_labels},
          std::pair{"reason", &m.reason_labels}}) {
      for (const auto& [code, label] : *table) {
        auto [it, fresh] = seen.emplace(std::string(kind) + ":" + code, std::pair{m.name, label});
        if (fresh) continue;
        EXPECT_EQ(label.en, it->second.second.en)
            << kind << " " << code << ": " << m.name << " and " << it->second.first;
        EXPECT_EQ(label.ru, it->second.second.ru)
            << kind << " " << code << ": " << m.name << " and " << it->second.first;
      }
    }
  }
  for (const auto& [code, label] : labels::SharedReasons()) {
    EXPECT_EQ(seen.count("reason:" + code), 0u) << code << " is both shared and a workflow's";
  }
}

TEST(Labels, EveryRoleInitiativeTypeIsoEventTypeAndRegionHasEnglishAndRussian) {
  for (const char* r :
       {role::kSecretariat, role::kCouncil, role::kLiaison, role::kAuditor, role::kAdmin}) {
    ExpectLabelled(labels::Roles(), r, "role");
  }
  for (const std::string& t : partnership_initiative::Types()) {
    ExpectLabelled(labels::InitiativeTypes(), t, "initiative type");
  }
  EXPECT_EQ(labels::InitiativeTypes().size(), partnership_initiative::Types().size());
  for (const std::string& t : rso::IsoEventTypes()) {
    ExpectLabelled(labels::IsoEventTypes(), t, "ISO event type");
  }
  EXPECT_EQ(labels::IsoEventTypes().size(), rso::IsoEventTypes().size());
  for (const std::string& r : rso::Regions()) ExpectLabelled(labels::Regions(), r, "region");
  EXPECT_EQ(labels::Regions().size(), rso::Regions().size());
  for (const auto& [code, label] : labels::SharedReasons()) {
    ExpectLabelled(labels::SharedReasons(), code, "reason");
  }
}

}  // namespace
}  // namespace rsoflow
