// The audit trail over HTTP (list, verify, export), the summary report, /metrics and the
// OpenAPI document.
#include <sstream>

#include "api/routes.h"
#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

class AuditApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    a = CreateRso("ARSO");
    rec = RecognitionOf(a);
    ASSERT_EQ(Fire(rec, sec.token, "submit").status, 200);
    ballot = CreateBallot();
  }
  std::string a, rec, ballot;
};

TEST_F(AuditApiTest, ListFiltersByInstanceActorAndSeqWithPages) {
  HttpReply all = Get("/api/v1/audit", auditor.token);
  ASSERT_EQ(all.status, 200);
  ASSERT_EQ(all.json().Get("items")->size(), 3u);
  const Json first = all.json().Get("items")->AsArray()[0];
  EXPECT_EQ(first.GetInt("seq"), 1);
  EXPECT_EQ(first.Get("actor")->GetString("username"), "sec.amina");
  EXPECT_EQ(first.Get("actor")->GetString("role"), "secretariat");

  HttpReply of_rec = Get("/api/v1/audit?instance_id=" + rec, sec.token);
  EXPECT_EQ(of_rec.json().Get("items")->size(), 2u);
  EXPECT_EQ(
      Get("/api/v1/audit?actor=sec.amina&after_seq=2", auditor.token).json().Get("items")->size(),
      1u);
  EXPECT_EQ(
      Get("/api/v1/audit?actor=" + council.user_id, auditor.token).json().Get("items")->size(), 0u);
  HttpReply page = Get("/api/v1/audit?limit=2", auditor.token);
  EXPECT_EQ(page.json().Get("items")->size(), 2u);
  HttpReply rest =
      Get("/api/v1/audit?limit=2&cursor=" + page.json().GetString("next_cursor"), auditor.token);
  EXPECT_EQ(rest.json().Get("items")->AsArray()[0].GetInt("seq"), 3);
  EXPECT_EQ(Get("/api/v1/audit?after_seq=-1", auditor.token).status, 400);
  EXPECT_EQ(Get("/api/v1/audit?cursor=zzz", auditor.token).status, 400);
}

TEST_F(AuditApiTest, VerifyReportsTheHead) {
  HttpReply r = Get("/api/v1/audit/verify", auditor.token);
  ASSERT_EQ(r.status, 200);
  Json v = r.json();
  EXPECT_TRUE(v.GetBool("ok"));
  EXPECT_EQ(v.GetInt("entries"), 3);
  EXPECT_EQ(v.Get("head")->GetInt("seq"), 3);
  EXPECT_EQ(v.Get("head")->GetString("hash").size(), 64u);
  EXPECT_TRUE(v.Get("first_bad_seq")->is_null());
}

TEST_F(AuditApiTest, ExportStreamsEveryEntryAsJsonLinesOrCsv) {
  HttpReply jsonl = Get("/api/v1/audit/export?format=jsonl", auditor.token);
  ASSERT_EQ(jsonl.status, 200);
  EXPECT_EQ(jsonl.header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(jsonl.header("Content-Type"), "application/x-ndjson");
  std::istringstream lines(jsonl.body);
  std::string line;
  AuditVerifier verifier;
  int n = 0;
  while (std::getline(lines, line)) {
    Json e = J(line);
    ++n;
    EXPECT_EQ(e.GetInt("seq"), n);
    EXPECT_EQ(e.GetString("hash").size(), 64u);
  }
  EXPECT_EQ(n, 3);
  HttpReply csv = Get("/api/v1/audit/export?format=csv", auditor.token);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.rfind("seq,at,instance_id,", 0), 0u);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 4);
  EXPECT_EQ(Get("/api/v1/audit/export?format=xml", auditor.token).status, 400);
  EXPECT_EQ(Get("/api/v1/audit/export", sec.token).status, 403);
}

TEST_F(AuditApiTest, SummaryCountsByWorkflowStateAndRegion) {
  HttpReply r = Get("/api/v1/reports/summary", sec.token);
  ASSERT_EQ(r.status, 200) << r.body;
  Json s = r.json();
  EXPECT_EQ(s.Get("by_workflow")->Dump(),
            R"([{"count":1,"state":"open","workflow":"council_ballot"},)"
            R"({"count":1,"state":"submitted","workflow":"rso_recognition"}])");
  EXPECT_EQ(s.Get("by_region")->Dump(),
            R"([{"active_instances":1,"recognized":0,"region":"Africa","rsos":1}])");
  EXPECT_EQ(s.Get("overdue")->size(), 0u);
  const Json medians = *s.Get("median_days_in_state");
  ASSERT_EQ(medians.size(), 1u);
  EXPECT_EQ(medians.AsArray()[0].GetString("state"), "draft");
}

TEST_F(AuditApiTest, MetricsCountRequestsAndCommits) {
  Get("/api/v1/me", sec.token);
  HttpReply r = Get("/metrics", "");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(
      r.body.find(R"(rsoflow_http_requests_total{method="GET",route="/api/v1/me",status="200"} 1)"),
      std::string::npos)
      << r.body;
  EXPECT_NE(r.body.find(
                R"(rsoflow_http_request_duration_seconds_bucket{route="/api/v1/me",le="+Inf"} 1)"),
            std::string::npos);
  EXPECT_NE(r.body.find("rsoflow_audit_head_seq 3\n"), std::string::npos);
  EXPECT_NE(r.body.find("rsoflow_commands_committed_total"), std::string::npos);
  EXPECT_NE(r.body.find("rsoflow_group_commit_batch_size_mean"), std::string::npos);
  EXPECT_EQ(r.body.find(sec.token), std::string::npos);
}

TEST_F(AuditApiTest, OpenApiDocumentDescribesEveryRoute) {
  HttpReply r = Get("/api/v1/openapi.yaml", council.token);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.rfind("openapi: 3.1", 0), 0u);
  for (const api::Route& route : api::RouteTable()) {
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    const size_t at = r.body.find("\n  " + route.pattern + ":\n");
    ASSERT_NE(at, std::string::npos) << route.pattern << " is not described";
    const size_t next = r.body.find("\n  /", at + 1);
    EXPECT_NE(r.body.substr(at, next - at).find("\n    " + method + ":"), std::string::npos)
        << route.method << " " << route.pattern << " is not described";
  }
}

}  // namespace
}  // namespace rsoflow::testing
