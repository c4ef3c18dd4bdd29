// /api/v1/resolutions: the Council's register of resolutions (API.md 1.1, DESIGN 8). Ballots
// record themselves as they close; the secretariat records the decisions taken in session,
// which move a recognition waiting for the Council and cancel its open ballot.
#include "engine/clock.h"
#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

class ResolutionsApiTest : public ApiTest {
 protected:
  static Json Decision(const std::string& number, const std::string& decided_on = "",
                       const std::string& outcome = "approved") {
    Json d = Json::MakeObject();
    d.Set("number", number);
    d.Set("decided_on", decided_on.empty() ? number.substr(number.find('/') + 1) + "-02-20"
                                           : decided_on);
    d.Set("title", "Decision " + number);
    d.Set("outcome", outcome);
    return d;
  }

  std::vector<std::string> Numbers(const std::string& query, const std::string& token) {
    HttpReply r = Get("/api/v1/resolutions" + query, token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> out;
    if (r.status != 200) return out;
    for (const Json& item : r.json().Get("items")->AsArray()) out.push_back(item.GetString("number"));
    return out;
  }

  // The RSO's recognition referred to the Council: its ballot's id.
  std::string Refer(const std::string& rso_id) {
    const std::string rec = RecognitionOf(rso_id);
    EXPECT_EQ(Fire(rec, sec.token, "submit").status, 200);
    EXPECT_EQ(Fire(rec, sec.token, "start_review").status, 200);
    EXPECT_EQ(Fire(rec, sec.token, "refer_to_council").status, 200);
    HttpReply ballots =
        Get("/api/v1/instances?workflow=council_ballot&active=true&rso_id=" + rso_id, sec.token);
    const Json items = *ballots.json().Get("items");
    EXPECT_EQ(items.size(), 1u);
    return items.size() == 1 ? items.AsArray()[0].GetString("id") : "";
  }

  static std::vector<std::string> Fields(const HttpReply& r) {
    std::vector<std::string> out;
    const Json body = r.json();
    if (const Json* f = body.Get("fields"); f != nullptr && f->is_array()) {
      for (const Json& v : f->AsArray()) out.push_back(v.AsString());
    }
    return out;
  }
};

TEST_F(ResolutionsApiTest, TheSecretariatRecordsADecisionTakenInSession) {
  HttpReply r = Post("/api/v1/resolutions", sec.token,
                     J(R"({"number":"39/2020","decided_on":"2020-09-24",
                          "title":"Regional Engagement Policy","outcome":"approved"})"));
  ASSERT_EQ(r.status, 201) << r.body;
  const Json& j = r.json();
  EXPECT_EQ(j.GetString("number"), "39/2020");
  EXPECT_EQ(j.Get("year")->AsInt(), 2020);
  EXPECT_EQ(j.GetString("decided_on"), "2020-09-24");
  EXPECT_EQ(j.GetString("title"), "Regional Engagement Policy");
  EXPECT_EQ(j.GetString("outcome"), "approved");
  EXPECT_EQ(j.GetString("source"), "session");
  EXPECT_TRUE(j.Get("ballot_id")->is_null());
  EXPECT_TRUE(j.Get("subject_instance_id")->is_null());
  EXPECT_TRUE(j.Get("rso_id")->is_null());
  EXPECT_EQ(j.GetString("recorded_by"), sec.user_id);
  EXPECT_EQ(j.GetString("recorded_at"), FormatTime(clock.NowMs()));
  EXPECT_EQ(Numbers("", council.token), std::vector<std::string>{"39/2020"});
  EXPECT_EQ(Numbers("", auditor.token), std::vector<std::string>{"39/2020"});
}

TEST_F(ResolutionsApiTest, TheRecordIsOnTheAuditChain) {
  const int64_t before = AuditCount();
  ASSERT_EQ(Post("/api/v1/resolutions", sec.token, Decision("39/2020")).status, 201);
  EXPECT_EQ(AuditCount(), before + 1);
  HttpReply audit = Get("/api/v1/audit?limit=200", auditor.token);
  ASSERT_EQ(audit.status, 200) << audit.body;
  const Json last = audit.json().Get("items")->AsArray().back();
  EXPECT_EQ(last.GetString("workflow"), "resolutions");
  EXPECT_EQ(last.GetString("event"), "record_resolution");
  EXPECT_EQ(last.Get("data")->GetString("number"), "39/2020");
  EXPECT_TRUE(Get("/api/v1/audit/verify", auditor.token).json().Get("ok")->AsBool());
}

TEST_F(ResolutionsApiTest, ANumberTakenIsADuplicateHoweverItIsWritten) {
  ASSERT_EQ(Post("/api/v1/resolutions", sec.token, Decision("7/2021")).status, 201);
  for (const char* again : {"7/2021", "07/2021", "007/2021"}) {
    HttpReply r = Post("/api/v1/resolutions", sec.token, Decision(again));
    EXPECT_EQ(r.status, 409) << again << ": " << r.body;
    EXPECT_EQ(r.code(), "duplicate") << again;
  }
  EXPECT_EQ(Numbers("", sec.token).size(), 1u);
}

TEST_F(ResolutionsApiTest, BadInputIsRefusedNamingTheField) {
  struct Case {
    const char* body;
    std::vector<std::string> fields;
  };
  const std::vector<Case> cases = {
      {R"({"number":"39-2020","decided_on":"2020-09-24","title":"t","outcome":"approved"})", {"number"}},
      {R"({"number":"0/2020","decided_on":"2020-09-24","title":"t","outcome":"approved"})", {"number"}},
      {R"({"number":"39/20","decided_on":"2020-09-24","title":"t","outcome":"approved"})", {"number"}},
      {R"({"number":39,"decided_on":"2020-09-24","title":"t","outcome":"approved"})", {"number"}},
      {R"({"number":"39/2020","decided_on":"2020-02-30","title":"t","outcome":"approved"})", {"decided_on"}},
      {R"({"number":"39/2020","decided_on":"24.09.2020","title":"t","outcome":"approved"})", {"decided_on"}},
      {R"({"number":"39/2020","decided_on":"2021-01-05","title":"t","outcome":"approved"})", {"number", "decided_on"}},
      {R"({"number":"39/2020","decided_on":"2020-09-24","title":"","outcome":"approved"})", {"title"}},
      {R"({"number":"39/2020","decided_on":"2020-09-24","outcome":"approved"})", {"title"}},
      {R"({"number":"39/2020","decided_on":"2020-09-24","title":"t","outcome":"no_quorum"})", {"outcome"}},
      {R"({"number":"39/2020","decided_on":"2020-09-24","title":"t","outcome":"approved","subject_instance_id":"x1"})", {"subject_instance_id"}},
      {R"({"number":"39/2020","decided_on":"2020-09-24","title":"t","outcome":"approved","source":"ballot"})", {"source"}},
  };
  for (const Case& c : cases) {
    HttpReply r = Post("/api/v1/resolutions", sec.token, J(c.body));
    EXPECT_EQ(r.status, 400) << c.body << ": " << r.body;
    EXPECT_EQ(r.code(), "invalid_request") << c.body;
    EXPECT_EQ(Fields(r), c.fields) << c.body;
  }
  HttpReply bad_year = Get("/api/v1/resolutions?year=20x0", sec.token);
  EXPECT_EQ(bad_year.status, 400);
  EXPECT_EQ(Fields(bad_year), std::vector<std::string>{"year"});
  EXPECT_TRUE(Numbers("", sec.token).empty());
}

TEST_F(ResolutionsApiTest, OnlyTheSecretariatRecordsAndTheAdminReadsNothing) {
  EXPECT_EQ(Get("/api/v1/resolutions", admin.token).status, 403);
  for (const Persona* who : {&council, &auditor, &admin}) {
    HttpReply r = Post("/api/v1/resolutions", who->token, Decision("39/2020"));
    EXPECT_EQ(r.status, 403) << who->role;
  }
  EXPECT_TRUE(Numbers("", sec.token).empty());
}

TEST_F(ResolutionsApiTest, TheListIsNewestFirstAndFiltersByYear) {
  for (const char* n : {"3/2019", "39/2020", "12/2020", "1/2021"}) {
    ASSERT_EQ(Post("/api/v1/resolutions", sec.token, Decision(n)).status, 201);
  }
  EXPECT_EQ(Numbers("", sec.token),
            (std::vector<std::string>{"1/2021", "39/2020", "12/2020", "3/2019"}));
  EXPECT_EQ(Numbers("?year=2020", sec.token), (std::vector<std::string>{"39/2020", "12/2020"}));
  HttpReply page = Get("/api/v1/resolutions?limit=3", sec.token);
  ASSERT_EQ(page.status, 200);
  ASSERT_TRUE(page.json().Get("next_cursor")->is_string());
  EXPECT_EQ(Numbers("?limit=3&cursor=" + page.json().GetString("next_cursor"), sec.token),
            std::vector<std::string>{"3/2019"});
}

TEST_F(ResolutionsApiTest, ABallotClosingTakesTheNextNumberAfterASessionNumber) {
  ASSERT_EQ(Post("/api/v1/resolutions", sec.token, Decision("39/2026")).status, 201);
  const std::string a = CreateRso("ARSO");
  Recognize(a);
  HttpReply rso = Get("/api/v1/rsos/" + a, sec.token);
  EXPECT_EQ(rso.json().GetString("resolution"), "40/2026");
  HttpReply list = Get("/api/v1/resolutions", sec.token);
  const Json first = list.json().Get("items")->AsArray().at(0);
  EXPECT_EQ(first.GetString("number"), "40/2026");
  EXPECT_EQ(first.GetString("source"), "ballot");
  EXPECT_EQ(first.GetString("rso_id"), a);
  EXPECT_EQ(first.GetString("subject_instance_id"), RecognitionOf(a));
  EXPECT_FALSE(first.Get("ballot_id")->is_null());
}

TEST_F(ResolutionsApiTest, ALiaisonSeesOnlyItsRsosResolutions) {
  const std::string a = CreateRso("ARSO");
  const std::string b = CreateRso("EASC");
  Recognize(a);
  Recognize(b);
  ASSERT_EQ(Post("/api/v1/resolutions", sec.token, Decision("39/2026")).status, 201);
  Persona liaison = AddUser("liaison.a", "rso_liaison", a);
  EXPECT_EQ(Numbers("", liaison.token), std::vector<std::string>{"01/2026"});
  EXPECT_EQ(Numbers("", council.token),
            (std::vector<std::string>{"39/2026", "02/2026", "01/2026"}));
}

TEST_F(ResolutionsApiTest, ASessionDecisionMovesTheRecognitionAndCancelsItsBallot) {
  const std::string a = CreateRso("ARSO");
  const std::string ballot = Refer(a);
  const std::string rec = RecognitionOf(a);
  Json d = Decision("12/2026", "2026-03-02");
  d.Set("subject_instance_id", rec);
  HttpReply r = Post("/api/v1/resolutions", sec.token, d);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().GetString("rso_id"), a);
  EXPECT_EQ(r.json().GetString("subject_instance_id"), rec);

  HttpReply rso = Get("/api/v1/rsos/" + a, sec.token);
  EXPECT_EQ(rso.json().GetString("status"), "recognized");
  EXPECT_EQ(rso.json().GetString("resolution"), "12/2026");
  EXPECT_EQ(Get("/api/v1/instances/" + ballot, sec.token).json().GetString("state"), "cancelled");
  // The ballot's last vote comes too late: the Council has decided.
  HttpReply vote = Fire(ballot, council.token, "vote", J(R"({"choice":"reject"})"));
  EXPECT_EQ(vote.status, 409) << vote.body;
  EXPECT_EQ(Numbers("", sec.token), std::vector<std::string>{"12/2026"});
  HttpReply history = Get("/api/v1/instances/" + rec + "/history", sec.token);
  EXPECT_EQ(history.json().Get("items")->AsArray().back().GetString("event"), "council_approved");
  EXPECT_TRUE(Get("/api/v1/audit/verify", auditor.token).json().Get("ok")->AsBool());
}

TEST_F(ResolutionsApiTest, ASessionRejectionOfAWithdrawalKeepsTheRsoSuspended) {
  const std::string a = CreateRso("ARSO");
  Recognize(a);
  const std::string rec = RecognitionOf(a);
  ASSERT_EQ(Fire(rec, sec.token, "suspend", Json::MakeObject(), "dues").status, 200);
  ASSERT_EQ(Fire(rec, sec.token, "propose_withdrawal", Json::MakeObject(), "inactive").status, 200);
  Json d = Decision("20/2026", "2026-03-02", "rejected");
  d.Set("subject_instance_id", rec);
  ASSERT_EQ(Post("/api/v1/resolutions", sec.token, d).status, 201);
  EXPECT_EQ(Get("/api/v1/rsos/" + a, sec.token).json().GetString("status"), "suspended");
  HttpReply open = Get("/api/v1/instances?workflow=council_ballot&active=true&rso_id=" + a,
                       sec.token);
  EXPECT_TRUE(open.json().Get("items")->AsArray().empty());
}

TEST_F(ResolutionsApiTest, ASessionDecisionOnARecognitionNotWaitingForTheCouncilIsRefused) {
  const std::string a = CreateRso("ARSO");  // in draft
  Json d = Decision("12/2026", "2026-03-02");
  d.Set("subject_instance_id", RecognitionOf(a));
  const int64_t before = AuditCount();
  HttpReply r = Post("/api/v1/resolutions", sec.token, d);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.code(), "invalid_transition");
  EXPECT_EQ(r.json().GetString("state"), "draft");
  EXPECT_EQ(AuditCount(), before);  // nothing half-written
  EXPECT_TRUE(Numbers("", sec.token).empty());
  EXPECT_EQ(Get("/api/v1/rsos/" + a, sec.token).json().GetString("status"), "draft");

  d.Set("subject_instance_id", "999999");
  EXPECT_EQ(Post("/api/v1/resolutions", sec.token, d).status, 404);
}

TEST_F(ResolutionsApiTest, ATakenNumberMovesNothing) {
  ASSERT_EQ(Post("/api/v1/resolutions", sec.token, Decision("12/2026", "2026-03-02")).status, 201);
  const std::string a = CreateRso("ARSO");
  const std::string ballot = Refer(a);
  Json d = Decision("12/2026", "2026-03-02");
  d.Set("subject_instance_id", RecognitionOf(a));
  HttpReply r = Post("/api/v1/resolutions", sec.token, d);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.code(), "duplicate");
  EXPECT_EQ(Get("/api/v1/rsos/" + a, sec.token).json().GetString("status"), "council_review");
  EXPECT_EQ(Get("/api/v1/instances/" + ballot, sec.token).json().GetString("state"), "open");
}

}  // namespace
}  // namespace rsoflow::testing
