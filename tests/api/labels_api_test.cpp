// Labels in English and Russian through the API (API.md 1.1, "Labels in English and
// Russian"): on GET /api/v1/workflows, in GET /api/v1/labels, and the reason_codes of a 422.
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "api/labels.h"
#include "tests/api/api_fixture.h"
#include "workflows/registry.h"

namespace rsoflow::testing {
namespace {

class LabelsApiTest : public ApiTest {};

TEST_F(LabelsApiTest, WorkflowsCarryLabelsOnThemselvesTheirStatesAndEvents) {
  HttpReply r = Get("/api/v1/workflows", council.token);
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.json().size(), 4u);
  for (const Json& wf : r.json().AsArray()) {
    const std::string name = wf.GetString("name");
    EXPECT_FALSE(wf.Get("labels")->GetString("en").empty()) << name;
    EXPECT_FALSE(wf.Get("labels")->GetString("ru").empty()) << name;
    for (const char* list : {"states", "events"}) {
      for (const Json& item : wf.Get(list)->AsArray()) {
        const Json* labels = item.Get("labels");
        ASSERT_NE(labels, nullptr) << name << " " << item.GetString("name");
        EXPECT_NE(labels->GetString("en"), labels->GetString("ru")) << item.GetString("name");
      }
    }
    if (name == "rso_recognition") {
      EXPECT_EQ(wf.Get("labels")->GetString("ru"), "Признание РОС");
      EXPECT_EQ(wf.Get("states")->AsArray()[0].Get("labels")->GetString("en"), "Draft");
    }
  }
}

TEST_F(LabelsApiTest, LabelsNameEveryCodeInEnglishByDefaultOrRussian) {
  HttpReply en = Get("/api/v1/labels", council.token);
  ASSERT_EQ(en.status, 200) << en.body;
  HttpReply ru = Get("/api/v1/labels?lang=ru", auditor.token);
  ASSERT_EQ(ru.status, 200) << ru.body;
  EXPECT_EQ(Get("/api/v1/labels?lang=en", admin.token).body, en.body);
  for (const char* section : {"workflows", "states", "events", "reasons", "roles",
                              "initiative_types", "iso_event_types", "regions"}) {
    ASSERT_NE(en.json().Get(section), nullptr) << section;
    EXPECT_EQ(en.json().Get(section)->size(), ru.json().Get(section)->size()) << section;
  }
  // Every state and event of every workflow.
  HttpReply workflows = Get("/api/v1/workflows", council.token);
  for (const Json& wf : workflows.json().AsArray()) {
    for (const Json& s : wf.Get("states")->AsArray()) {
      EXPECT_EQ(ru.json().Get("states")->GetString(s.GetString("name")),
                s.Get("labels")->GetString("ru"));
    }
    for (const Json& e : wf.Get("events")->AsArray()) {
      EXPECT_EQ(en.json().Get("events")->GetString(e.GetString("name")),
                e.Get("labels")->GetString("en"));
    }
  }
  EXPECT_EQ(en.json().Get("roles")->size(), 6u);  // the five user roles and "system"
  EXPECT_EQ(ru.json().Get("roles")->GetString("rso_liaison"), "Контактное лицо РОС");
  EXPECT_EQ(en.json().Get("initiative_types")->size(), 9u);
  EXPECT_EQ(ru.json().Get("initiative_types")->GetString("other"),
            "Другой аспект деятельности ИСО");
  EXPECT_EQ(ru.json().Get("regions")->GetString("Arab region"), "Арабский регион");
  EXPECT_EQ(en.json().Get("events")->GetString("create"), "Created");
  for (const char* code :
       {"comment_required", "rso_not_recognized", "dossier_incomplete", "action_not_done",
        "already_voted", "current_password_wrong", "last_admin"}) {
    EXPECT_FALSE(en.json().Get("reasons")->GetString(code).empty()) << code;
    EXPECT_FALSE(ru.json().Get("reasons")->GetString(code).empty()) << code;
  }
}

TEST_F(LabelsApiTest, LabelsRefuseAnotherLanguageOrParameter) {
  for (const char* query : {"?lang=fr", "?lang=", "?lang=RU"}) {
    HttpReply r = Get(std::string("/api/v1/labels") + query, council.token);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(r.json().Get("fields")->AsArray()[0].AsString(), "lang") << query;
  }
  HttpReply r = Get("/api/v1/labels?language=ru", council.token);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json().Get("fields")->AsArray()[0].AsString(), "language");
  EXPECT_EQ(Get("/api/v1/labels", "").status, 401);
}

// One code per reason, in the reasons' order, each with a label (the fixture checks every 422
// of the suite the same way; this one looks at the codes themselves).
TEST_F(LabelsApiTest, AGuardFailedProblemCarriesOneCodePerReasonInOrder) {
  const std::string rso = CreateRso("CRSO");
  Json body = J(R"({"type":"training","title":"Train the trainers"})");
  body.Set("rso_id", rso);
  HttpReply r = Post("/api/v1/initiatives", sec.token, body);
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json().Get("reason_codes")->Dump(), R"(["rso_not_recognized"])");
  const std::string recognition = RecognitionOf(rso);
  ASSERT_EQ(Fire(recognition, sec.token, "submit").status, 200);
  ASSERT_EQ(Fire(recognition, sec.token, "start_review").status, 200);
  r = Fire(recognition, sec.token, "return_for_changes");
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json().Get("reasons")->Dump(), R"(["a comment is required"])");
  EXPECT_EQ(r.json().Get("reason_codes")->Dump(), R"(["comment_required"])");
  HttpReply ru = Get("/api/v1/labels?lang=ru", council.token);
  EXPECT_EQ(ru.json().Get("reasons")->GetString("comment_required"), "Требуется комментарий");
}

// Reasons are written Reason{"code", text} or c.Reason("code", text) where a guard decides, so
// the sources list every code, including those of refusals no scenario meets (a storage
// failure, a timer put off): each has both labels, and no label names a code no guard gives.
TEST(ReasonCodes, EveryCodeInTheSourcesHasALabelAndEveryLabelACode) {
  const std::regex code_re(R"re(Reason[({]\s*"([a-z0-9_]+)")re");
  std::set<std::string> in_sources;
  for (const char* dir : {"engine", "workflows", "accounts", "api"}) {
    for (const auto& entry : std::filesystem::recursive_directory_iterator(
             std::string(RSOFLOW_SOURCE_DIR) + "/" + dir)) {
      const std::string ext = entry.path().extension().string();
      if (ext != ".cpp" && ext != ".h") continue;
      std::ifstream f(entry.path());
      std::stringstream text;
      text << f.rdbuf();
      const std::string body = text.str();
      for (std::sregex_iterator it(body.begin(), body.end(), code_re), end; it != end; ++it) {
        in_sources.insert((*it)[1]);
      }
    }
  }
  EXPECT_GE(in_sources.size(), 30u);
  WorkflowRegistry registry;
  RegisterWorkflows(registry);
  for (const char* lang : {"en", "ru"}) {
    const Json catalogue = api::LabelCatalogue(registry, lang);
    std::set<std::string> labelled;
    for (const auto& [code, label] : catalogue.Get("reasons")->AsObject()) {
      labelled.insert(code);
      EXPECT_FALSE(label.AsString().empty()) << code << " " << lang;
    }
    for (const std::string& code : in_sources) {
      EXPECT_EQ(labelled.count(code), 1u) << code << " has no " << lang << " label";
    }
    for (const std::string& code : labelled) {
      EXPECT_EQ(in_sources.count(code), 1u) << "the label of " << code << " names no reason";
    }
  }
}

}  // namespace
}  // namespace rsoflow::testing
