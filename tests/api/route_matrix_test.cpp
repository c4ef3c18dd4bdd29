// Role x route matrix: for every route of the routing table and every kind of caller, the
// status the API answers. A route missing from the matrix (or a matrix row that names no
// route) fails the test, so a new endpoint cannot ship without its access rules.
#include <array>
#include <functional>
#include <map>
#include <set>

#include "api/routes.h"
#include "engine/clock.h"
#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

// The callers, in the order of the expected-status arrays.
enum Caller { kAnonymous, kSecretariat, kCouncil, kLiaisonOwn, kLiaisonOther, kAuditor, kAdmin };
constexpr const char* kCallerNames[] = {
    "anonymous",           "secretariat", "council", "liaison (own RSO)",
    "liaison (other RSO)", "auditor",     "admin"};

struct Case {
  // The concrete path; `own` is false for the liaison-of-another-RSO column.
  std::function<std::string(bool own)> path;
  std::function<std::string()> body;  // empty: no body
  std::array<int, 7> expected;
  bool fresh_token = false;  // the call consumes the caller's token (logout)
  std::string content_type = "application/json";
};

class RouteMatrixTest : public ApiTest {};

TEST_F(RouteMatrixTest, EveryRouteAnswersEachCallerAsSpecified) {
  // A webhook first, so that the instances started below leave deliveries in its log.
  const std::string hook_body = R"({"url":"http://127.0.0.1:9/hook","events":["instance.created"]})";
  const std::string hook = Post("/api/v1/webhooks", admin.token, J(hook_body)).json().GetString("id");
  const std::string a = CreateRso("RSOA");
  const std::string b = CreateRso("RSOB", "Americas");
  Persona liaison = AddUser("liaison.a", "rso_liaison", a);
  const std::string rec_a = RecognitionOf(a), rec_b = RecognitionOf(b);
  const std::string doc_a = UploadText(rec_a, "a.txt"), doc_b = UploadText(rec_b, "b.txt");
  const std::string event_a = CreateIsoEvent({a}, "Workshop A");
  const std::string event_b = CreateIsoEvent({b}, "Workshop B");
  int n = 0;
  auto unique = [&n](const std::string& prefix) { return prefix + std::to_string(++n); };
  auto rso = [&](bool own) { return own ? a : b; };
  const std::string deadline = FormatTime(kT0 + 7 * kMsPerDay);

  std::map<std::pair<std::string, std::string>, Case> matrix;
  auto row = [&](const char* method, const char* pattern, Case c) {
    matrix[{method, pattern}] = std::move(c);
  };
  auto fixed = [](std::string p) { return [p](bool) { return p; }; };
  //                               anon  sec  cncl  l-own l-oth  aud  admin
  row("GET", "/healthz", {fixed("/healthz"), {}, {200, 200, 200, 200, 200, 200, 200}});
  row("GET", "/readyz", {fixed("/readyz"), {}, {200, 200, 200, 200, 200, 200, 200}});
  row("GET", "/metrics", {fixed("/metrics"), {}, {200, 200, 200, 200, 200, 200, 200}});
  row("POST", "/api/v1/auth/login",
      {fixed("/api/v1/auth/login"),
       [&] { return R"({"username":"sec.amina","password":")" + sec.password + "\"}"; },
       {200, 200, 200, 200, 200, 200, 200}});
  row("POST", "/api/v1/auth/logout",
      {fixed("/api/v1/auth/logout"), {}, {401, 204, 204, 204, 204, 204, 204}, true});
  row("GET", "/api/v1/me", {fixed("/api/v1/me"), {}, {401, 200, 200, 200, 200, 200, 200}});
  row("PATCH", "/api/v1/me",
      {fixed("/api/v1/me"),
       [] { return std::string(R"({"language":"ru"})"); },
       {401, 200, 200, 200, 200, 200, 200}});
  // A wrong current password: every user reaches the check (and none is locked out by one).
  row("POST", "/api/v1/me/password",
      {fixed("/api/v1/me/password"),
       [] {
         return std::string(
             R"({"current_password":"not the password","new_password":"a new password 12"})");
       },
       {401, 422, 422, 422, 422, 422, 422}});
  row("PATCH", "/api/v1/users/{id}",
      {fixed("/api/v1/users/" + auditor.user_id),
       [] { return std::string(R"({"display_name":"Audit Office"})"); },
       {401, 403, 403, 403, 403, 403, 200}});
  row("GET", "/api/v1/users/{id}/tokens",
      {fixed("/api/v1/users/" + auditor.user_id + "/tokens"),
       {},
       {401, 403, 403, 403, 403, 403, 200}});
  row("GET", "/api/v1/labels",
      {fixed("/api/v1/labels?lang=ru"), {}, {401, 200, 200, 200, 200, 200, 200}});
  row("GET", "/api/v1/openapi.yaml",
      {fixed("/api/v1/openapi.yaml"), {}, {401, 200, 200, 200, 200, 200, 200}});
  row("GET", "/api/v1/users", {fixed("/api/v1/users"), {}, {401, 200, 403, 403, 403, 403, 200}});
  row("POST", "/api/v1/users",
      {fixed("/api/v1/users"),
       [&] {
         return R"({"username":")" + unique("user") +
                R"(","display_name":"U","role":"auditor","password":"a long password 1"})";
       },
       {401, 403, 403, 403, 403, 403, 201}});
  row("POST", "/api/v1/users/{id}/tokens",
      {fixed("/api/v1/users/" + auditor.user_id + "/tokens"),
       [] { return std::string(R"({"name":"ci"})"); },
       {401, 403, 403, 403, 403, 403, 201}});
  row("DELETE", "/api/v1/tokens/{id}",
      {[&](bool) {
         std::string id;
         IssueToken(auditor, &id);
         return "/api/v1/tokens/" + id;
       },
       {},
       {401, 403, 403, 403, 403, 403, 204}});
  row("POST", "/api/v1/rsos",
      {fixed("/api/v1/rsos"),
       [&] {
         return R"({"acronym":")" + unique("NEW") +
                R"(","name":"N","kind":"regional","region":"Africa","member_bodies":["KE"]})";
       },
       {401, 201, 403, 403, 403, 403, 403}});
  row("GET", "/api/v1/rsos", {fixed("/api/v1/rsos"), {}, {401, 200, 200, 200, 200, 200, 403}});
  row("GET", "/api/v1/rsos/{id}",
      {[&](bool own) { return "/api/v1/rsos/" + rso(own); },
       {},
       {401, 200, 200, 200, 404, 200, 403}});
  row("PATCH", "/api/v1/rsos/{id}",
      {[&](bool own) { return "/api/v1/rsos/" + rso(own); },
       [] { return std::string(R"({"website":"https://rso.example.org"})"); },
       {401, 200, 403, 200, 404, 403, 403}});
  row("GET", "/api/v1/instances",
      {fixed("/api/v1/instances"), {}, {401, 200, 200, 200, 200, 200, 403}});
  auto instance = [&](const std::string& suffix) {
    return [&, suffix](bool own) { return "/api/v1/instances/" + (own ? rec_a : rec_b) + suffix; };
  };
  row("GET", "/api/v1/instances/{id}", {instance(""), {}, {401, 200, 200, 200, 404, 200, 403}});
  row("POST", "/api/v1/instances/{id}/events",
      {instance("/events"),
       [] { return std::string(R"({"event":"edit_dossier","data":{"contact_email":"a@b.org"}})"); },
       {401, 200, 403, 200, 404, 403, 403}});
  row("GET", "/api/v1/instances/{id}/history",
      {instance("/history"), {}, {401, 200, 200, 200, 404, 200, 403}});
  row("GET", "/api/v1/instances/{id}/diagram",
      {instance("/diagram"), {}, {401, 200, 200, 200, 404, 200, 403}});
  row("POST", "/api/v1/instances/{id}/documents",
      {instance("/documents?filename=statute.txt"), [] { return std::string("Statute, art. 1"); },
       {401, 201, 403, 201, 404, 403, 403}, false, "text/plain"});
  row("GET", "/api/v1/instances/{id}/documents",
      {instance("/documents"), {}, {401, 200, 200, 200, 404, 200, 403}});
  row("GET", "/api/v1/documents/{id}",
      {[&](bool own) { return "/api/v1/documents/" + (own ? doc_a : doc_b); },
       {},
       {401, 200, 200, 200, 404, 200, 403}});
  row("POST", "/api/v1/ballots",
      {fixed("/api/v1/ballots"),
       [&] { return R"({"title":"T","question":"Q?","deadline":")" + deadline + "\"}"; },
       {401, 201, 403, 403, 403, 403, 403}});
  // RSO A is not recognized: a permitted caller reaches the workflow's guard (422).
  row("POST", "/api/v1/initiatives",
      {fixed("/api/v1/initiatives"), {}, {401, 422, 403, 422, 404, 403, 403}});
  matrix[{"POST", "/api/v1/initiatives"}].body = {};
  row("POST", "/api/v1/iso-events",
      {fixed("/api/v1/iso-events"),
       [&] {
         return R"({"title":")" + unique("Event ") +
                R"(","type":"webinar","region":"Africa","rso_ids":[],"starts_on":"2026-01-05","ends_on":"2026-01-05"})";
       },
       {401, 201, 403, 403, 403, 403, 403}});
  row("GET", "/api/v1/iso-events",
      {fixed("/api/v1/iso-events"), {}, {401, 200, 200, 200, 200, 200, 403}});
  row("GET", "/api/v1/iso-events/{id}",
      {[&](bool own) { return "/api/v1/iso-events/" + (own ? event_a : event_b); },
       {},
       {401, 200, 200, 200, 404, 200, 403}});
  row("POST", "/api/v1/momentum-plans",
      {fixed("/api/v1/momentum-plans"), {}, {401, 422, 403, 422, 404, 403, 403}});
  row("POST", "/api/v1/resolutions",
      {fixed("/api/v1/resolutions"),
       [&] {
         static int n = 0;
         return R"({"number":")" + std::to_string(++n) +
                R"(/2020","decided_on":"2020-09-24","title":"T","outcome":"approved"})";
       },
       {401, 201, 403, 403, 403, 403, 403}});
  row("GET", "/api/v1/resolutions",
      {fixed("/api/v1/resolutions"), {}, {401, 200, 200, 200, 200, 200, 403}});
  // The historical import: an admin's only (each call imports a resolution of its own).
  row("POST", "/api/v1/import",
      {fixed("/api/v1/import"),
       [&] {
         static int n = 0;
         return R"({"resolutions":[{"number":")" + std::to_string(++n) +
                R"(/2019","decided_on":"2019-03-01","title":"T","outcome":"approved"}]})";
       },
       {401, 403, 403, 403, 403, 403, 201}});
  row("GET", "/api/v1/inbox", {fixed("/api/v1/inbox"), {}, {401, 200, 200, 200, 200, 200, 403}});
  // Mandates: the secretariat and an admin give one for the Council member, the member for
  // itself; any user lists (its own); the member revokes the one it gave, an admin any, and
  // the others who read it may not (those who do not read it get 404).
  Persona alternate = AddUser("council.alternate", "council");
  const std::string mandate_body = R"({"from_user_id":")" + council.user_id +
                                   R"(","to_user_id":")" + alternate.user_id +
                                   R"(","starts_on":"2026-03-01","ends_on":"2026-03-10"})";
  HttpReply given = Post("/api/v1/mandates", council.token, J(mandate_body));
  ASSERT_EQ(given.status, 201) << given.body;
  row("POST", "/api/v1/mandates",
      {fixed("/api/v1/mandates"),
       [&] { return mandate_body; },
       {401, 201, 201, 403, 403, 403, 201}});
  row("GET", "/api/v1/mandates",
      {fixed("/api/v1/mandates"), {}, {401, 200, 200, 200, 200, 200, 200}});
  row("DELETE", "/api/v1/mandates/{id}",
      {fixed("/api/v1/mandates/" + given.json().GetString("id")),
       {},
       {401, 403, 204, 404, 404, 403, 204}});
  row("GET", "/api/v1/workflows",
      {fixed("/api/v1/workflows"), {}, {401, 200, 200, 200, 200, 200, 200}});
  row("GET", "/api/v1/workflows/{name}/diagram",
      {fixed("/api/v1/workflows/council_ballot/diagram"), {}, {401, 200, 200, 200, 200, 200, 200}});
  row("GET", "/api/v1/audit", {fixed("/api/v1/audit"), {}, {401, 200, 403, 403, 403, 200, 403}});
  row("GET", "/api/v1/audit/verify",
      {fixed("/api/v1/audit/verify"), {}, {401, 200, 403, 403, 403, 200, 403}});
  row("GET", "/api/v1/audit/export",
      {fixed("/api/v1/audit/export"), {}, {401, 403, 403, 403, 403, 200, 403}});
  row("GET", "/api/v1/reports/summary",
      {fixed("/api/v1/reports/summary"), {}, {401, 200, 403, 403, 403, 200, 403}});

  row("GET", "/api/v1/me/notifications",
      {fixed("/api/v1/me/notifications"), {}, {401, 200, 200, 200, 200, 200, 200}});
  row("POST", "/api/v1/me/notifications/read",
      {fixed("/api/v1/me/notifications/read"),
       [] { return std::string(R"({"up_to_id":"1"})"); },
       {401, 204, 204, 204, 204, 204, 204}});
  row("POST", "/api/v1/webhooks",
      {fixed("/api/v1/webhooks"), [&] { return hook_body; }, {401, 403, 403, 403, 403, 403, 201}});
  row("GET", "/api/v1/webhooks", {fixed("/api/v1/webhooks"), {}, {401, 403, 403, 403, 403, 403, 200}});
  row("DELETE", "/api/v1/webhooks/{id}",
      {[&](bool) {
         return "/api/v1/webhooks/" +
                Post("/api/v1/webhooks", admin.token, J(hook_body)).json().GetString("id");
       },
       {},
       {401, 403, 403, 403, 403, 403, 204}});
  row("GET", "/api/v1/webhooks/{id}/deliveries",
      {fixed("/api/v1/webhooks/" + hook + "/deliveries"), {}, {401, 403, 403, 403, 403, 403, 200}});
  const std::string delivery =
      std::to_string(runtime->store().ListDeliveries(std::stoll(hook), 0, 1)->at(0).id);
  row("POST", "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver",
      {fixed("/api/v1/webhooks/" + hook + "/deliveries/" + delivery + "/redeliver"),
       [] { return std::string("{}"); },
       {401, 403, 403, 403, 403, 403, 202}});

  // The initiative and plan bodies name the RSO of the column: A for own, B for other.
  auto for_rso = [&](const std::string& route, std::function<std::string(const std::string&)> f) {
    matrix[{"POST", route}].path = [route, f, &rso](bool own) { return route + "#" + f(rso(own)); };
  };
  for_rso("/api/v1/initiatives", [](const std::string& r) {
    return R"({"rso_id":")" + r + R"(","type":"training","title":"Train the trainers"})";
  });
  for_rso("/api/v1/momentum-plans", [&](const std::string& r) {
    return R"({"rso_id":")" + r + R"(","iso_event_id":")" + (r == a ? event_a : event_b) +
           R"(","title":"Keep it going","actions":[{"title":"Follow-up","owner":"NSB","due_on":"2026-04-01"}]})";
  });

  // Every route of the table is in the matrix, and nothing else is.
  std::set<std::pair<std::string, std::string>> table;
  for (const api::Route& r : api::RouteTable()) {
    table.insert({r.method, r.pattern});
    EXPECT_TRUE(matrix.count({r.method, r.pattern}))
        << r.method << " " << r.pattern << " is missing from the role x route matrix";
  }
  for (const auto& [key, c] : matrix) {
    EXPECT_TRUE(table.count(key)) << key.first << " " << key.second << " is not a route";
  }

  const Persona* callers[] = {nullptr, &sec, &council, &liaison, &liaison, &auditor, &admin};
  for (const auto& [key, c] : matrix) {
    for (int who = kAnonymous; who <= kAdmin; ++who) {
      HttpCall call;
      call.method = key.first;
      std::string path = c.path(who != kLiaisonOther);
      // A '#' separates a path from a body that depends on the column.
      if (const size_t hash = path.find('#'); hash != std::string::npos) {
        call.body = path.substr(hash + 1);
        call.has_body = true;
        path = path.substr(0, hash);
      } else if (c.body) {
        call.body = c.body();
        call.has_body = true;
      }
      call.path = path;
      call.content_type = c.content_type;
      if (callers[who] != nullptr) {
        call.token = c.fresh_token ? IssueToken(*callers[who]) : callers[who]->token;
      }
      HttpReply r = Send(call);
      EXPECT_EQ(r.status, c.expected[who]) << key.first << " " << key.second << " as "
                                           << kCallerNames[who] << " (" << path << "): " << r.body;
    }
  }
}

}  // namespace
}  // namespace rsoflow::testing
