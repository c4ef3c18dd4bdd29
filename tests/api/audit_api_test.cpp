// The audit trail over HTTP (list, verify, export), the summary report, /metrics and the
// OpenAPI document.
#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "api/routes.h"
#include "db/wal_vfs.h"
#include "engine/sha256.h"
#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

class AuditApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    base = AuditCount();  // the fixture's users and their tokens (entries about accounts)
    a = CreateRso("ARSO");
    rec = RecognitionOf(a);
    ASSERT_EQ(Fire(rec, sec.token, "submit").status, 200);
    ballot = CreateBallot();
  }
  // Sends GET `path` with X-Request-Id `id` for each pair, as sec (each a 404), then stops the
  // server, so every access log line is out; answers the one line of each request, in order
  // (empty where there was not exactly one).
  std::vector<std::string> AccessLinesOf404s(
      LogCapture& logs, const std::vector<std::pair<std::string, std::string>>& calls) {
    for (const auto& [path, id] : calls) {
      HttpCall c;
      c.path = path;
      c.token = sec.token;
      c.headers = {{"X-Request-Id", id}};
      EXPECT_EQ(Send(c).status, 404) << path;
    }
    server->Stop();
    std::vector<std::string> lines;
    for (const auto& [path, id] : calls) {
      const std::vector<std::string> found = logs.LinesWith(" request_id=" + id + " ");
      EXPECT_EQ(found.size(), 1u) << path;
      lines.push_back(found.size() == 1 ? found[0] : "");
    }
    return lines;
  }
  // The entries of `instance` in GET /api/v1/audit as `token` sees them.
  std::vector<Json> AuditOf(const std::string& instance, const std::string& token) {
    HttpReply r = Get("/api/v1/audit?instance_id=" + instance, token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().Get("items")->AsArray();
  }
  // Restarts the server and the runtime on the same database, running `sql` on the file in
  // between (the triggers that keep the audit append-only dropped first, as an attacker with
  // file access would).
  void ForgeWhileStopped(const std::string& sql) {
    server->Stop();
    server.reset();
    runtime.reset();
    sqlite3* conn = nullptr;
    ASSERT_EQ(sqlite3_open(db_path.c_str(), &conn), SQLITE_OK);
    const std::string script =
        "DROP TRIGGER IF EXISTS audit_is_append_only_update; DROP TRIGGER IF EXISTS "
        "audit_is_append_only_delete; " +
        sql;
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(conn, script.c_str(), nullptr, nullptr, &err), SQLITE_OK)
        << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(conn);
    StartServer();
  }
  std::string a, rec, ballot;
  int64_t base = 0;
};

// Where the first line after `from` indented by at most `indent` spaces starts (npos if none).
size_t NextLineIndentedAtMost(const std::string& text, size_t from, size_t indent) {
  for (size_t nl = text.find('\n', from); nl != std::string::npos; nl = text.find('\n', nl + 1)) {
    const size_t first = text.find_first_not_of(' ', nl + 1);
    if (first != std::string::npos && text[first] != '\n' && first - (nl + 1) <= indent) return nl;
  }
  return std::string::npos;
}

// The text of one operation (`method` under `pattern`) of the OpenAPI document, "" if absent.
std::string OperationText(const std::string& doc, const std::string& pattern,
                          const std::string& method) {
  const size_t at = doc.find("\n  " + pattern + ":\n");
  if (at == std::string::npos) return "";
  const size_t path_end = NextLineIndentedAtMost(doc, at + 1, 2);
  const std::string path = doc.substr(at, path_end == std::string::npos ? path_end : path_end - at);
  const size_t op = path.find("\n    " + method + ":");
  if (op == std::string::npos) return "";
  const size_t op_end = NextLineIndentedAtMost(path, op + 1, 4);
  return path.substr(op, op_end == std::string::npos ? op_end : op_end - op);
}

TEST_F(AuditApiTest, ListFiltersByInstanceActorAndSeqWithPages) {
  const std::string after_base = "after_seq=" + std::to_string(base);
  HttpReply all = Get("/api/v1/audit?" + after_base, auditor.token);
  ASSERT_EQ(all.status, 200);
  ASSERT_EQ(all.json().Get("items")->size(), 3u);
  const Json first = all.json().Get("items")->AsArray()[0];
  EXPECT_EQ(first.GetInt("seq"), base + 1);
  EXPECT_EQ(first.Get("actor")->GetString("username"), "sec.amina");
  EXPECT_EQ(first.Get("actor")->GetString("role"), "secretariat");

  HttpReply of_rec = Get("/api/v1/audit?instance_id=" + rec, sec.token);
  EXPECT_EQ(of_rec.json().Get("items")->size(), 2u);
  EXPECT_EQ(
      Get("/api/v1/audit?actor=sec.amina&after_seq=" + std::to_string(base + 2), auditor.token)
          .json()
          .Get("items")
          ->size(),
      1u);
  // The council member's only entry: the issue of its own token (the fixture's).
  EXPECT_EQ(
      Get("/api/v1/audit?actor=" + council.user_id, auditor.token).json().Get("items")->size(), 1u);
  HttpReply page = Get("/api/v1/audit?limit=2&" + after_base, auditor.token);
  EXPECT_EQ(page.json().Get("items")->size(), 2u);
  HttpReply rest =
      Get("/api/v1/audit?limit=2&cursor=" + page.json().GetString("next_cursor"), auditor.token);
  EXPECT_EQ(rest.json().Get("items")->AsArray()[0].GetInt("seq"), base + 3);
  EXPECT_EQ(Get("/api/v1/audit?after_seq=-1", auditor.token).status, 400);
  EXPECT_EQ(Get("/api/v1/audit?cursor=zzz", auditor.token).status, 400);
}

TEST_F(AuditApiTest, VerifyReportsTheHead) {
  HttpReply r = Get("/api/v1/audit/verify", auditor.token);
  ASSERT_EQ(r.status, 200);
  Json v = r.json();
  EXPECT_TRUE(v.GetBool("ok"));
  EXPECT_EQ(v.GetInt("entries"), base + 3);
  EXPECT_EQ(v.Get("head")->GetInt("seq"), base + 3);
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
  EXPECT_EQ(n, base + 3);
  HttpReply csv = Get("/api/v1/audit/export?format=csv", auditor.token);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.rfind("seq,at,instance_id,", 0), 0u);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), base + 4);
  EXPECT_EQ(Get("/api/v1/audit/export?format=xml", auditor.token).status, 400);
  EXPECT_EQ(Get("/api/v1/audit/export", sec.token).status, 403);
}

// A comment is the caller's text: in the CSV a cell a spreadsheet would run as a formula
// starts with a quote, a leading tab or carriage return included (OWASP's list).
TEST_F(AuditApiTest, CsvExportDisarmsCommentsThatASpreadsheetWouldRun) {
  ASSERT_EQ(Fire(rec, sec.token, "start_review", Json::MakeObject(), "=HYPERLINK(\"x\")").status,
            200);
  ASSERT_EQ(Fire(rec, sec.token, "return_for_changes", Json::MakeObject(), "\t=1+1").status, 200);
  ASSERT_EQ(Fire(rec, sec.token, "submit", Json::MakeObject(), "\r@SUM(A1)").status, 200);
  const std::string csv = Get("/api/v1/audit/export?format=csv", auditor.token).body;
  EXPECT_NE(csv.find(",\"'=HYPERLINK(\"\"x\"\")\","), std::string::npos) << csv;
  EXPECT_NE(csv.find(",'\t=1+1,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",\"'\r@SUM(A1)\","), std::string::npos) << csv;
  EXPECT_EQ(csv.find(",\t=1+1,"), std::string::npos);
}

TEST_F(AuditApiTest, SummaryCountsByWorkflowStateAndRegion) {
  HttpReply r = Get("/api/v1/reports/summary", sec.token);
  ASSERT_EQ(r.status, 200) << r.body;
  Json s = r.json();
  EXPECT_EQ(s.Get("by_workflow")->Dump(),
            R"([{"count":1,"state":"open","workflow":"council_ballot"},)"
            R"({"count":1,"state":"submitted","workflow":"rso_recognition"}])");
  EXPECT_EQ(
      s.Get("by_region")->Dump(),
      R"([{"active_instances":1,"cycle_times":[],"recognized":0,"region":"Africa","rsos":1}])");
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
  EXPECT_NE(r.body.find("rsoflow_audit_head_seq " + std::to_string(base + 3) + "\n"),
            std::string::npos);
  EXPECT_NE(r.body.find("rsoflow_commands_committed_total"), std::string::npos);
  EXPECT_NE(r.body.find("rsoflow_group_commit_batch_size_mean"), std::string::npos);
  EXPECT_EQ(r.body.find(sec.token), std::string::npos);
}

// Anyone, without a token, can send a method of their own making; each would have been a new
// series on /metrics, and memory held for good.
TEST_F(AuditApiTest, MetricsCountMadeUpMethodsAsOneOther) {
  for (const char* method : {"FOO1", "FOO2", "FOO3"}) {
    HttpCall call;
    call.method = method;
    call.path = "/healthz";
    EXPECT_EQ(Send(call).status, 405) << method;
  }
  const std::string body = Get("/metrics", "").body;
  EXPECT_EQ(body.find("FOO"), std::string::npos) << body;
  EXPECT_NE(
      body.find(R"(rsoflow_http_requests_total{method="other",route="unmatched",status="405"} 3)"),
      std::string::npos)
      << body;
}

// The value of one series in Prometheus text, or -1 when it is missing.
double Series(const std::string& metrics, const std::string& series) {
  const size_t at = metrics.find("\n" + series + " ");
  return at == std::string::npos ? -1 : std::stod(metrics.substr(at + series.size() + 2));
}

TEST_F(AuditApiTest, MetricsCountEachAnsweredCommandOnceByHowItsCallerWaited) {
  const char* polling = R"(rsoflow_command_answers_total{waited="polling"})";
  const char* sleeping = R"(rsoflow_command_answers_total{waited="sleeping"})";
  const std::string before = Get("/metrics", "").body;
  Json body = J(R"({"title":"Counted","question":"Approve?"})");
  body.Set("deadline", FormatTime(clock.NowMs() + 7 * kMsPerDay));
  ASSERT_EQ(Post("/api/v1/ballots", sec.token, body).status, 201);
  const std::string after = Get("/metrics", "").body;
  ASSERT_GE(Series(before, polling), 0) << before;
  ASSERT_GE(Series(before, sleeping), 0) << before;
  EXPECT_EQ(Series(after, polling) + Series(after, sleeping),
            Series(before, polling) + Series(before, sleeping) + 1)
      << after;
}

// DESIGN 3.2: a storage error answers 503 and never 2xx. The disk is full when the batch
// commits: the ballot is not created, the failure is counted in /metrics, and the next request
// goes through once the disk has room again.
TEST_F(AuditApiTest, AStorageFailureAnswers503ChangesNothingAndIsCounted) {
  const int64_t entries = AuditCount();
  Json body = J(R"({"title":"Refused","question":"Approve?"})");
  body.Set("deadline", FormatTime(clock.NowMs() + 7 * kMsPerDay));
  db::testing::FailingWalWrites full_disk(1);  // reset on any return
  HttpReply refused = Post("/api/v1/ballots", sec.token, body);
  db::testing::FailWalWrites(0);
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.json().GetString("code"), "unavailable") << refused.body;
  EXPECT_EQ(AuditCount(), entries) << "the refused ballot left an audit entry";
  const std::string metrics = Get("/metrics", "").body;
  EXPECT_NE(metrics.find("rsoflow_commit_failures_total 1\n"), std::string::npos) << metrics;
  HttpReply created = Post("/api/v1/ballots", sec.token, body);
  EXPECT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(AuditCount(), entries + 1);
}

TEST_F(AuditApiTest, OpenApiDocumentDescribesEveryRoute) {
  HttpReply r = Get("/api/v1/openapi.yaml", council.token);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.rfind("openapi: 3.1", 0), 0u);
  const std::set<std::string> all_roles = {"secretariat", "council", "rso_liaison", "auditor",
                                           "admin"};
  for (const api::Route& route : api::RouteTable()) {
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    const std::string op = OperationText(r.body, route.pattern, method);
    const std::string what = route.method + " " + route.pattern;
    ASSERT_FALSE(op.empty()) << what << " is not described";
    if (!route.is_public) {
      EXPECT_NE(op.find("\"401\":"), std::string::npos) << what << " does not list 401";
      EXPECT_NE(op.find("\"503\":"), std::string::npos) << what << " does not list 503";
      const std::set<std::string> roles(route.roles.begin(), route.roles.end());
      if (roles != all_roles) {
        EXPECT_NE(op.find("\"403\":"), std::string::npos) << what << " does not list 403";
      }
    }
    if (route.method == "POST" || route.method == "PATCH") {
      EXPECT_NE(op.find("\"413\":"), std::string::npos) << what << " does not list 413";
      EXPECT_NE(op.find("\"415\":"), std::string::npos) << what << " does not list 415";
    }
  }
  EXPECT_NE(OperationText(r.body, "/api/v1/auth/login", "post").find("\"429\":"),
            std::string::npos);
  for (auto [pattern, method] : {std::pair{"/api/v1/instances/{id}/events", "post"},
                                 std::pair{"/api/v1/rsos/{id}", "patch"}}) {
    EXPECT_NE(OperationText(r.body, pattern, method).find("IfMatch"), std::string::npos) << pattern;
  }
  for (auto [pattern, method] :
       {std::pair{"/api/v1/instances/{id}/events", "post"}, std::pair{"/api/v1/rsos/{id}", "patch"},
        std::pair{"/api/v1/rsos", "post"}, std::pair{"/api/v1/ballots", "post"},
        std::pair{"/api/v1/initiatives", "post"}, std::pair{"/api/v1/momentum-plans", "post"}}) {
    EXPECT_NE(OperationText(r.body, pattern, method).find("IdempotencyKey"), std::string::npos)
        << pattern;
  }
  for (auto [pattern, method] :
       {std::pair{"/api/v1/instances/{id}", "get"},
        std::pair{"/api/v1/instances/{id}/events", "post"}, std::pair{"/api/v1/ballots", "post"},
        std::pair{"/api/v1/initiatives", "post"}, std::pair{"/api/v1/momentum-plans", "post"}}) {
    EXPECT_NE(OperationText(r.body, pattern, method).find("ETag"), std::string::npos) << pattern;
  }
}

// What the server answers is what the document lists: every route is called by a role it
// serves with a query parameter it does not take (and, for a write, an empty object), and
// where that answers 400 the operation lists 400. Before, most reads left it out.
TEST_F(AuditApiTest, OpenApiDocumentListsThe400EveryRouteAnswers) {
  const std::string doc = Get("/api/v1/openapi.yaml", council.token).body;
  const std::map<std::string, const Persona*> by_role = {
      {"secretariat", &sec}, {"council", &council}, {"auditor", &auditor}, {"admin", &admin}};
  int answered_400 = 0, writes = 0;
  for (const api::Route& route : api::RouteTable()) {
    if (route.method != "GET") ++writes;
    const std::string what = route.method + " " + route.pattern;
    HttpCall call;
    call.method = route.method;
    call.path = route.pattern;
    for (auto [param, value] : {std::pair{"{id}", "1"}, std::pair{"{name}", "council_ballot"}}) {
      const size_t at = call.path.find(param);
      if (at != std::string::npos) call.path.replace(at, std::string(param).size(), value);
    }
    call.path += "?no_such_parameter=1";
    if (!route.is_public) {
      for (const std::string& role : route.roles) {
        if (by_role.count(role) > 0) {
          call.token = by_role.at(role)->token;
          break;
        }
      }
      ASSERT_FALSE(call.token.empty()) << what;
    }
    if (route.method == "POST" || route.method == "PATCH") {
      call.body = "{}";
      call.has_body = true;
    }
    HttpReply r = Send(call);
    if (r.status != 400) continue;
    ++answered_400;
    EXPECT_EQ(r.code(), "invalid_request") << what;
    std::string method = route.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    EXPECT_NE(OperationText(doc, route.pattern, method).find("\"400\":"), std::string::npos)
        << what << " answers 400 but does not list it";
  }
  // Every write refuses a query string, so at least the writes answered 400.
  EXPECT_GE(answered_400, writes);
  // A storage failure can reach the login too, and an unexpected one answers 500.
  EXPECT_NE(OperationText(doc, "/api/v1/auth/login", "post").find("\"503\":"), std::string::npos);
  EXPECT_NE(doc.find("internal_error"), std::string::npos);
}

TEST_F(AuditApiTest, ListHidesHowCouncilMembersVotedWhileTheBallotIsOpen) {
  Persona second = AddUser("council.mei", "council");
  const std::string ballot = CreateBallot("Two voters");
  ASSERT_EQ(
      Fire(ballot, council.token, "vote", J(R"({"choice":"reject"})"), "too expensive").status,
      200);
  std::vector<Json> seen = AuditOf(ballot, sec.token);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].GetString("event"), "vote");
  EXPECT_TRUE(seen[1].GetBool("redacted"));
  EXPECT_EQ(seen[1].Get("data")->Dump(), "{}");
  EXPECT_TRUE(seen[1].Get("comment")->is_null());
  // Unfiltered, by actor, or from a later seq: the same entry, as secret.
  for (const std::string& query : {std::string(""), std::string("?actor=council.lena"),
                                   "?after_seq=" + std::to_string(seen[0].GetInt("seq"))}) {
    HttpReply r = Get("/api/v1/audit" + query, sec.token);
    EXPECT_EQ(r.body.find("reject"), std::string::npos) << query;
    EXPECT_EQ(r.body.find("too expensive"), std::string::npos) << query;
  }
  // The auditor reads everything.
  std::vector<Json> audited = AuditOf(ballot, auditor.token);
  EXPECT_EQ(audited[1].Get("data")->GetString("choice"), "reject");
  EXPECT_EQ(audited[1].GetString("comment"), "too expensive");
  // Once the ballot has closed, the roll-call is open to the secretariat.
  ASSERT_EQ(Fire(ballot, second.token, "vote", J(R"({"choice":"approve"})")).status, 200);
  std::vector<Json> closed = AuditOf(ballot, sec.token);
  EXPECT_EQ(closed[1].Get("data")->GetString("choice"), "reject");
  EXPECT_FALSE(closed[1].Has("redacted"));
}

TEST_F(AuditApiTest, ExportOfAnOpenBallotHoldsEveryVoteAndVerifiesOffline) {
  AddUser("council.mei", "council");
  const std::string ballot = CreateBallot("Two voters");
  ASSERT_EQ(Fire(ballot, council.token, "vote", J(R"({"choice":"reject"})")).status, 200);
  HttpReply jsonl = Get("/api/v1/audit/export?format=jsonl", auditor.token);
  ASSERT_EQ(jsonl.status, 200);
  std::istringstream lines(jsonl.body);
  std::string prev = std::string(64, '0');
  int n = 0;
  bool vote_seen = false;
  for (std::string line; std::getline(lines, line); ++n) {
    Json e = J(line);
    // Offline verification: hash = SHA-256(prev_hash || canonical JSON of the other fields).
    const std::string hash = e.GetString("hash");
    EXPECT_EQ(e.GetString("prev_hash"), prev) << line;
    e.Erase("hash");
    e.Erase("prev_hash");
    EXPECT_EQ(Sha256Hex(prev + e.Dump()), hash) << line;
    prev = hash;
    if (e.GetString("event") == "vote") {
      vote_seen = true;
      EXPECT_EQ(e.Get("data")->GetString("choice"), "reject");
    }
  }
  EXPECT_EQ(n, AuditCount());
  EXPECT_TRUE(vote_seen);
  HttpReply verdict = Get("/api/v1/audit/verify", sec.token);
  EXPECT_TRUE(verdict.json().GetBool("ok"));
  EXPECT_EQ(verdict.json().Get("head")->GetString("hash"), prev);
}

TEST_F(AuditApiTest, VerifyOverHttpNamesTheFirstForgedEntry) {
  ASSERT_TRUE(Get("/api/v1/audit/verify", auditor.token).json().GetBool("ok"));
  ForgeWhileStopped("UPDATE audit SET comment = 'nothing to see' WHERE seq = 2;");
  HttpReply r = Get("/api/v1/audit/verify", auditor.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(r.json().GetBool("ok"));
  EXPECT_EQ(r.json().GetInt("first_bad_seq"), 2);
  EXPECT_FALSE(r.json().GetString("problem").empty());
}

// Issue 21: a good verification records its head; from=checkpoint then walks only the entries
// written since (a routine check of a long chain), while the default still walks them all.
TEST_F(AuditApiTest, VerifyFromTheCheckpointWalksOnlyTheEntriesSinceTheLastGoodVerification) {
  // None recorded yet: the whole chain.
  Json first = Get("/api/v1/audit/verify?from=checkpoint", auditor.token).json();
  EXPECT_TRUE(first.GetBool("ok"));
  EXPECT_EQ(first.GetInt("from_seq"), 0);
  EXPECT_EQ(first.GetInt("entries"), base + 3);
  ASSERT_EQ(Fire(rec, sec.token, "start_review").status, 200);
  HttpReply r = Get("/api/v1/audit/verify?from=checkpoint", auditor.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json().GetBool("ok"));
  EXPECT_EQ(r.json().GetInt("from_seq"), base + 3);
  EXPECT_EQ(r.json().GetInt("entries"), 1);
  EXPECT_EQ(r.json().Get("head")->GetInt("seq"), base + 4);
  Json full = Get("/api/v1/audit/verify", auditor.token).json();
  EXPECT_EQ(full.GetInt("from_seq"), 0);
  EXPECT_EQ(full.GetInt("entries"), base + 4);
  EXPECT_EQ(Get("/api/v1/audit/verify?from=yesterday", auditor.token).json().GetString("code"),
            "invalid_request");
}

// What the checkpoint answers for: a forged entry before it only a full walk finds; the
// checkpoint's own entry cut off (the tail deleted back past it) the routine check finds too.
TEST_F(AuditApiTest, VerifyFromTheCheckpointLeavesOlderEntriesToTheFullWalkButSeesItsOwnGone) {
  const Json head = *Get("/api/v1/audit/verify", auditor.token).json().Get("head");
  ForgeWhileStopped("UPDATE audit SET comment = 'nothing to see' WHERE seq = 2;");
  EXPECT_TRUE(Get("/api/v1/audit/verify?from=checkpoint", auditor.token).json().GetBool("ok"));
  EXPECT_EQ(Get("/api/v1/audit/verify", auditor.token).json().GetInt("first_bad_seq"), 2);
  ForgeWhileStopped("DELETE FROM audit WHERE seq = " + std::to_string(head.GetInt("seq")) + ";");
  HttpReply r = Get("/api/v1/audit/verify?from=checkpoint", auditor.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(r.json().GetBool("ok"));
  EXPECT_EQ(r.json().GetInt("first_bad_seq"), head.GetInt("seq"));
}

// The server restarted after the last entry was deleted: its own count starts from the file, so
// only a head exported before can tell.
TEST_F(AuditApiTest, VerifyAgainstAnEarlierHeadCatchesATailCutOffWhileTheServerWasDown) {
  const Json head = *Get("/api/v1/audit/verify", auditor.token).json().Get("head");
  const std::string query = "/api/v1/audit/verify?head_seq=" + std::to_string(head.GetInt("seq")) +
                            "&head_hash=" + head.GetString("hash");
  ASSERT_TRUE(Get(query, auditor.token).json().GetBool("ok"));
  ForgeWhileStopped("DELETE FROM audit WHERE seq = " + std::to_string(head.GetInt("seq")) + ";");
  EXPECT_TRUE(Get("/api/v1/audit/verify", auditor.token).json().GetBool("ok"));
  HttpReply r = Get(query, auditor.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(r.json().GetBool("ok"));
  EXPECT_EQ(r.json().GetInt("first_bad_seq"), head.GetInt("seq"));
  EXPECT_EQ(Get("/api/v1/audit/verify?head_seq=3", auditor.token).status, 400);
  EXPECT_EQ(
      Get("/api/v1/audit/verify?head_seq=0&head_hash=" + head.GetString("hash"), auditor.token)
          .status,
      400);
}

TEST_F(AuditApiTest, AccessLogHasOneLinePerRequestAndNeverATokenOrPassword) {
  LogCapture logs;
  Json login = Json::MakeObject();
  login.Set("username", sec.username);
  login.Set("password", sec.password);
  Json wrong = Json::MakeObject();
  wrong.Set("username", sec.username);
  wrong.Set("password", "not-the-password-42");
  HttpReply session = Post("/api/v1/auth/login", "", login, {{"X-Request-Id", "log-1"}});
  ASSERT_EQ(session.status, 200);
  const std::string session_token = session.json().GetString("token");
  struct Call {
    std::string method, path, token;
    Json body;
    std::string expect;  // the start of its access log line
  };
  const std::vector<Call> calls = {
      {"POST", "/api/v1/auth/login", "", wrong,
       R"("POST" "/api/v1/auth/login" route=/api/v1/auth/login 401 )"},
      {"GET", "/api/v1/me", session_token, Json(), R"("GET" "/api/v1/me" route=/api/v1/me 200 )"},
      {"GET", "/api/v1/me", sec.token, Json(), R"("GET" "/api/v1/me" route=/api/v1/me 200 )"},
      {"GET", "/api/v1/me", "garbage-token-0123456789", Json(),
       R"("GET" "/api/v1/me" route=/api/v1/me 401 )"},
      {"GET", "/api/v1/users?limit=1", admin.token, Json(),
       R"("GET" "/api/v1/users" route=/api/v1/users 200 )"},
      {"POST", "/api/v1/instances/" + rec + "/events", sec.token, J(R"({"event":"start_review"})"),
       R"("POST" "/api/v1/instances/)" + rec +
           R"(/events" route=/api/v1/instances/{id}/events 200 )"},
      {"GET", "/nope", "", Json(), R"("GET" "/nope" route=unmatched 404 )"},
  };
  for (size_t i = 0; i < calls.size(); ++i) {
    HttpCall c;
    c.method = calls[i].method;
    c.path = calls[i].path;
    c.token = calls[i].token;
    c.has_body = !calls[i].body.is_null();
    if (c.has_body) c.body = calls[i].body.Dump();
    c.headers = {{"X-Request-Id", "log-" + std::to_string(i + 2)}};
    Send(c);
  }
  server->Stop();  // every request, and its log line, has finished

  auto line_of = [&](int n) {
    const std::vector<std::string> found =
        logs.LinesWith(" request_id=log-" + std::to_string(n) + " ");
    EXPECT_EQ(found.size(), 1u) << "request log-" << n;
    return found.empty() ? std::string() : found[0];
  };
  const std::string first = line_of(1);
  EXPECT_EQ(first.rfind(R"("POST" "/api/v1/auth/login" route=/api/v1/auth/login 200 )", 0), 0u)
      << first;
  EXPECT_NE(first.find(" user=-"), std::string::npos) << first;
  for (size_t i = 0; i < calls.size(); ++i) {
    const std::string line = line_of(static_cast<int>(i + 2));
    EXPECT_EQ(line.rfind(calls[i].expect, 0), 0u) << line;
  }
  EXPECT_NE(line_of(3).find(" user=sec.amina"), std::string::npos);
  EXPECT_NE(line_of(6).find(" user=admin.root"), std::string::npos);
  EXPECT_EQ(logs.LinesWith(" request_id=log-").size(), calls.size() + 1);
  for (const std::string& line : logs.Lines()) {
    for (const std::string& secret :
         {session_token, sec.token, admin.token, sec.password, std::string("not-the-password-42"),
          std::string("garbage-token-0123456789")}) {
      EXPECT_EQ(line.find(secret), std::string::npos) << line;
    }
  }
}

TEST_F(AuditApiTest, AQuoteOrABackslashInAPathIsEscapedInTheAccessLog) {
  LogCapture logs;
  const std::vector<std::string> lines = AccessLinesOf404s(
      logs, {{"/api/v1/me%22%20route=x", "quote-1"}, {"/api/v1/me%5C", "quote-2"}});
  EXPECT_EQ(lines[0].rfind(R"("GET" "/api/v1/me\" route=x" route=unmatched 404 )", 0), 0u)
      << lines[0];
  EXPECT_EQ(lines[1].rfind(R"("GET" "/api/v1/me\\" route=unmatched 404 )", 0), 0u) << lines[1];
}

TEST_F(AuditApiTest, PercentEncodedNewlineInAPathCannotForgeAnAccessLogLine) {
  LogCapture logs;
  const std::string forged = R"(%22GET%22%20%22/api/v1/audit%22%20route=/api/v1/audit%20200)";
  const std::vector<std::string> lines =
      AccessLinesOf404s(logs, {{"/api/v1/me%0A" + forged, "forge-1"},
                               {"/api/v1/me%0D%0A" + forged + "%1B%5B2J", "forge-2"}});
  for (const std::string& line : logs.Lines()) {
    EXPECT_NE(line.rfind(R"("GET" "/api/v1/audit")", 0), 0u) << "forged: " << line;
    EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
    EXPECT_EQ(line.find('\r'), std::string::npos) << line;
  }
  EXPECT_EQ(lines[0].rfind(
                R"("GET" "/api/v1/me\n\"GET\" \"/api/v1/audit\" route=/api/v1/audit 200" )", 0),
            0u)
      << lines[0];
  EXPECT_NE(lines[1].find(R"(/api/v1/me\r\n)"), std::string::npos) << lines[1];
  EXPECT_NE(lines[1].find(R"( 200\x1b[2J" route=unmatched 404 )"), std::string::npos) << lines[1];
}

// The engine logs each refused command with its event and reason, both of which can hold the
// caller's text: a newline in an event name stays inside its own line.
TEST_F(AuditApiTest, ANewlineInAnEventNameCannotForgeARefusalLogLine) {
  LogCapture logs;
  const std::string forged = "refused: user=admin role=admin instance=1 event=forged";
  HttpReply r = Fire(rec, sec.token, "x\n" + forged);
  EXPECT_EQ(r.status, 400);
  server->Stop();
  const std::vector<std::string> lines = logs.LinesWith("forged");
  ASSERT_FALSE(lines.empty());
  for (const std::string& line : lines) {
    EXPECT_NE(line.rfind("refused: user=admin", 0), 0u) << "forged: " << line;
    EXPECT_NE(line.find(R"(event="x\nrefused: user=admin)"), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace rsoflow::testing
