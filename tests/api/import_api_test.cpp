// POST /api/v1/import: the historical import (API.md 1.1, DESIGN 8). Facts from before rsoflow
// enter with their real dates, each object one audit entry by the importing admin; resolutions
// enter the register; all of a document or nothing, and never twice.
#include <functional>
#include <map>

#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

const char* kHistory = R"({
  "rsos": [
    {"acronym": "SARSO", "name": "South Asian Regional Standards Organisation",
     "kind": "sub_regional", "region": "Asia-Pacific",
     "member_bodies": ["AF", "BD", "BT", "IN", "LK", "MV", "NP", "PK"],
     "statutes_ref": "SAARC agreement establishing SARSO", "recognized_on": "2015-09-18",
     "resolution": "24/2015"},
    {"acronym": "CEN", "name": "European Committee for Standardization", "kind": "regional",
     "region": "Europe & Central Asia", "member_bodies": ["AT", "BE", "DE"],
     "statutes_ref": "CEN Statutes", "recognized_on": null, "resolution": null}
  ],
  "iso_events": [
    {"key": "ga-2022", "title": "ISO at the SARSO General Assembly", "type": "rso_general_assembly",
     "region": "Asia-Pacific", "rsos": ["SARSO"], "starts_on": "2022-05-10",
     "ends_on": "2022-05-12", "location": "Dhaka"}
  ],
  "resolutions": [
    {"number": "39/2020", "decided_on": null, "title": "ISO Regional Engagement Policy",
     "outcome": "approved"}
  ],
  "ballots": [
    {"key": "b-quorum", "title": "A statement", "question": "Shall we?", "outcome": "no_quorum",
     "opened_on": "2025-02-03", "closed_on": "2025-02-17",
     "tally": {"approve": 1, "reject": 0, "abstain": 1}, "electorate_size": 5},
    {"key": "b-yes", "title": "Observers", "question": "Shall RSOs observe?",
     "outcome": "approved", "resolution": "12/2024", "opened_on": "2024-03-04",
     "closed_on": "2024-03-18", "tally": {"approve": 4, "reject": 0, "abstain": 1}}
  ],
  "initiatives": [
    {"key": "i-done", "rso": "SARSO", "state": "completed", "closed_on": "2023-11-29",
     "type": "training", "title": "Training on the ISO/IEC Directives",
     "outcome_summary": "Four workshops held."},
    {"key": "i-no", "rso": "CEN", "state": "declined", "closed_on": "2023-10-12",
     "type": "event_promotion", "title": "Promotion of ISO Week"}
  ],
  "momentum_plans": [
    {"key": "p-lapsed", "rso": "SARSO", "iso_event": "ga-2022", "state": "lapsed",
     "closed_on": "2023-06-30", "title": "Follow-up of the General Assembly",
     "actions": [{"title": "Survey members", "owner": "SARSO", "due_on": "2022-09-30"}]}
  ]
})";

class ImportApiTest : public ApiTest {
 protected:
  HttpReply Import(const Json& document, const std::string& token = "") {
    return Post("/api/v1/import", token.empty() ? admin.token : token, document);
  }

  // What an import could have written: audit entries, RSOs, instances, resolutions.
  std::vector<int64_t> Counts() {
    InstanceQuery q;
    q.limit = 10000;
    ResolutionQuery r;
    r.limit = 10000;
    return {AuditCount(),
            static_cast<int64_t>(runtime->store().ListRecords("rso", 0, 10000)->size()),
            static_cast<int64_t>(runtime->store().ListRecords("iso_event", 0, 10000)->size()),
            static_cast<int64_t>(runtime->store().ListInstances(q)->size()),
            static_cast<int64_t>(runtime->store().ListResolutions(r)->size())};
  }

  static std::vector<std::string> Fields(const HttpReply& r) {
    std::vector<std::string> out;
    if (const Json* f = r.json().Get("fields"); f != nullptr && f->is_array()) {
      for (const Json& v : f->AsArray()) out.push_back(v.AsString());
    }
    return out;
  }

  // kHistory with `edit` applied to one of its objects.
  static Json Edited(const std::string& section, size_t index,
                     const std::function<void(Json&)>& edit) {
    Json doc = J(kHistory);
    Json list = *doc.Get(section);
    edit(list.AsArray()[index]);
    doc.Set(section, list);
    return doc;
  }

  void ExpectRefused(const Json& doc, const std::string& field, int status = 400) {
    const std::vector<int64_t> before = Counts();
    HttpReply r = Import(doc);
    EXPECT_EQ(r.status, status) << r.body;
    if (status == 400) {
      EXPECT_EQ(r.code(), "invalid_request");
      EXPECT_EQ(Fields(r), std::vector<std::string>{field}) << r.body;
    }
    EXPECT_EQ(Counts(), before) << "a refused import wrote something: " << r.body;
  }
};

TEST_F(ImportApiTest, AnImportedRsoIsRecognizedOnItsDateWithItsResolutionInTheRegister) {
  HttpReply r = Import(J(kHistory));
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string sarso = r.json().Get("rsos")->GetString("SARSO");
  EXPECT_EQ(r.json().Get("imported")->GetInt("rsos"), 2);

  HttpReply rso = Get("/api/v1/rsos/" + sarso, sec.token);
  ASSERT_EQ(rso.status, 200) << rso.body;
  EXPECT_EQ(rso.json().GetString("status"), "recognized");
  EXPECT_EQ(rso.json().GetString("recognized_on"), "2015-09-18");
  EXPECT_EQ(rso.json().GetString("resolution"), "24/2015");
  const std::string cen = r.json().Get("rsos")->GetString("CEN");
  EXPECT_TRUE(Get("/api/v1/rsos/" + cen, sec.token).json().Get("recognized_on")->is_null());

  HttpReply reg = Get("/api/v1/resolutions?year=2015", sec.token);
  ASSERT_EQ(reg.json().Get("items")->size(), 1u) << reg.body;
  const Json& row = reg.json().Get("items")->AsArray()[0];
  EXPECT_EQ(row.GetString("number"), "24/2015");
  EXPECT_EQ(row.GetString("source"), "import");
  EXPECT_EQ(row.GetString("decided_on"), "2015-09-18");
  EXPECT_EQ(row.GetString("rso_id"), sarso);
  HttpReply policy = Get("/api/v1/resolutions?year=2020", sec.token);
  EXPECT_TRUE(policy.json().Get("items")->AsArray()[0].Get("decided_on")->is_null());
}

TEST_F(ImportApiTest, EachImportedObjectIsOneAuditEntryByTheAdminWithItsHistoricalDate) {
  const int64_t before = AuditCount();
  HttpReply r = Import(J(kHistory));
  ASSERT_EQ(r.status, 201) << r.body;
  // 2 RSOs, 1 ISO event, 1 resolution, 2 ballots, 2 initiatives, 1 plan.
  EXPECT_EQ(AuditCount(), before + 9);
  std::map<std::string, std::string> effective;  // key -> data.effective_on
  runtime->store().ForEachAudit(before, [&](const AuditEntry& e) {
    EXPECT_EQ(e.event, "import");
    EXPECT_EQ(e.actor_username, admin.username);
    EXPECT_EQ(e.actor_user_id, admin.user_id);
    EXPECT_EQ(e.at, kT0);  // the real time of the import
    const Json* on = e.data.Get("effective_on");
    effective[e.data.GetString("key")] = on->is_null() ? "null" : on->AsString();
    return true;
  });
  EXPECT_EQ(effective.size(), 9u);
  EXPECT_EQ(effective["SARSO"], "2015-09-18");
  EXPECT_EQ(effective["CEN"], "null");
  EXPECT_EQ(effective["ga-2022"], "2022-05-10");
  EXPECT_EQ(effective["b-quorum"], "2025-02-17");
  EXPECT_EQ(effective["p-lapsed"], "2023-06-30");

  // An instance's history is its one import entry.
  const std::string plan = r.json().Get("instances")->GetString("p-lapsed");
  HttpReply h = Get("/api/v1/instances/" + plan + "/history", sec.token);
  ASSERT_EQ(h.json().Get("items")->size(), 1u) << h.body;
  EXPECT_EQ(h.json().Get("items")->AsArray()[0].GetString("to_state"), "lapsed");
}

TEST_F(ImportApiTest, FinishedBallotsInitiativesAndPlansKeepTheirTerminalStates) {
  HttpReply r = Import(J(kHistory));
  ASSERT_EQ(r.status, 201) << r.body;
  const Json& ids = *r.json().Get("instances");
  auto state = [&](const char* key) {
    return Get("/api/v1/instances/" + ids.GetString(key), sec.token).json().GetString("state");
  };
  EXPECT_EQ(state("b-quorum"), "no_quorum");
  EXPECT_EQ(state("b-yes"), "approved");
  EXPECT_EQ(state("i-done"), "completed");
  EXPECT_EQ(state("i-no"), "declined");
  EXPECT_EQ(state("p-lapsed"), "lapsed");
  HttpReply ballot = Get("/api/v1/instances/" + ids.GetString("b-yes"), sec.token);
  const Json& data = *ballot.json().Get("data");
  EXPECT_EQ(data.GetString("resolution"), "12/2024");
  EXPECT_EQ(data.Get("tally")->GetInt("approve"), 4);
  EXPECT_EQ(data.GetInt("votes_cast"), 5);
  EXPECT_TRUE(ballot.json().Get("allowed_events")->AsArray().empty());
  // No quorum is no resolution: the register holds the approved ballot's number only.
  HttpReply reg = Get("/api/v1/resolutions?year=2025", sec.token);
  EXPECT_EQ(reg.json().Get("items")->size(), 0u);
}

TEST_F(ImportApiTest, ImportingTheSameDocumentTwiceIsRefusedAndDoublesNothing) {
  ASSERT_EQ(Import(J(kHistory)).status, 201);
  const std::vector<int64_t> before = Counts();
  HttpReply again = Import(J(kHistory));
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(again.code(), "duplicate");
  EXPECT_NE(again.json().GetString("detail").find("rsos[0] (SARSO)"), std::string::npos)
      << again.body;
  EXPECT_EQ(Counts(), before);
  // Objects without an RSO of their own are refused by their key too.
  Json ballots = J(R"({"ballots": []})");
  ballots.Set("ballots", *J(kHistory).Get("ballots"));
  EXPECT_EQ(Import(ballots).status, 409);
  EXPECT_EQ(Counts(), before);
}

TEST_F(ImportApiTest, AMalformedObjectIsNamedByItsPathAndNothingIsWritten) {
  // The object is the last of the document: everything before it would have been written.
  ExpectRefused(Edited("momentum_plans", 0, [](Json& p) { p.Set("closed_on", "2023-02-30"); }),
                "momentum_plans[0].closed_on");
  ExpectRefused(Edited("momentum_plans", 0, [](Json& p) { p.Set("iso_event", "nope"); }),
                "momentum_plans[0].iso_event");
  ExpectRefused(Edited("initiatives", 1, [](Json& i) { i.Set("type", "lobbying"); }),
                "initiatives[1].type");
}

TEST_F(ImportApiTest, BadInputsAreRefusedNamingTheField) {
  const std::vector<int64_t> before = Counts();
  HttpCall not_json;
  not_json.method = "POST";
  not_json.path = "/api/v1/import";
  not_json.token = admin.token;
  not_json.body = "{\"rsos\": [";
  not_json.has_body = true;
  EXPECT_EQ(Send(not_json).status, 400);
  ExpectRefused(J(R"({"rsos": {}})"), "rsos");
  ExpectRefused(J(R"({"people": []})"), "people");
  ExpectRefused(J(R"([])"), "document");
  ExpectRefused(Edited("rsos", 0, [](Json& r) { r.Set("founded", "1998"); }), "rsos[0].founded");
  ExpectRefused(Edited("rsos", 0, [](Json& r) { r.Set("recognized_on", 2015); }),
                "rsos[0].recognized_on");
  ExpectRefused(Edited("rsos", 0, [](Json& r) { r.Set("recognized_on", "18/09/2015"); }),
                "rsos[0].recognized_on");
  ExpectRefused(Edited("rsos", 1, [](Json& r) { r.Set("recognized_on", "2031-01-01"); }),
                "rsos[1].recognized_on");
  ExpectRefused(Edited("rsos", 0, [](Json& r) { r.Set("resolution", "24-2015"); }),
                "rsos[0].resolution");
  ExpectRefused(Edited("rsos", 0, [](Json& r) { r.Set("resolution", "0/2015"); }),
                "rsos[0].resolution");
  // The Council numbers its resolutions by year.
  ExpectRefused(Edited("rsos", 0, [](Json& r) { r.Set("resolution", "24/2016"); }),
                "rsos[0].resolution");
  ExpectRefused(Edited("rsos", 1, [](Json& r) { r.Set("member_bodies", "AT"); }),
                "rsos[1].member_bodies");
  ExpectRefused(Edited("ballots", 0, [](Json& b) { b.Set("resolution", "3/2025"); }),
                "ballots[0].resolution");
  ExpectRefused(Edited("ballots", 1, [](Json& b) { b.Erase("resolution"); }),
                "ballots[1].resolution");
  ExpectRefused(Edited("ballots", 1, [](Json& b) { b.Set("outcome", "passed"); }),
                "ballots[1].outcome");
  ExpectRefused(Edited("ballots", 1, [](Json& b) { b.Set("closed_on", "2024-03-01"); }),
                "ballots[1].closed_on");
  ExpectRefused(Edited("initiatives", 0, [](Json& i) { i.Set("state", "active"); }),
                "initiatives[0].state");
  ExpectRefused(Edited("initiatives", 0, [](Json& i) { i.Erase("outcome_summary"); }),
                "initiatives[0].outcome_summary");
  ExpectRefused(Edited("initiatives", 0, [](Json& i) { i.Set("rso", "NOPE"); }),
                "initiatives[0].rso");
  ExpectRefused(Edited("iso_events", 0, [](Json& e) { e.Set("starts_on", "2022-13-01"); }),
                "iso_events[0].starts_on");
  ExpectRefused(Edited("resolutions", 0, [](Json& e) { e.Set("outcome", "noted"); }),
                "resolutions[0].outcome");
  EXPECT_EQ(Counts(), before);
}

TEST_F(ImportApiTest, OnlyAnAdminImports) {
  const std::vector<int64_t> before = Counts();
  EXPECT_EQ(Import(J(kHistory), sec.token).status, 403);
  EXPECT_EQ(Import(J(kHistory), auditor.token).status, 403);
  EXPECT_EQ(Import(J(kHistory), council.token).status, 403);
  EXPECT_EQ(Counts(), before);
}

TEST_F(ImportApiTest, AResolutionNumberAlreadyInTheRegisterIsRefused) {
  HttpReply session =
      Post("/api/v1/resolutions", sec.token, J(R"({"number":"24/2015","decided_on":"2015-09-18",
                                "title":"Recorded in session","outcome":"approved"})"));
  ASSERT_EQ(session.status, 201) << session.body;
  const std::vector<int64_t> before = Counts();
  HttpReply r = Import(J(kHistory));
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_NE(r.json().GetString("detail").find("rsos[0].resolution"), std::string::npos) << r.body;
  EXPECT_EQ(Counts(), before);
}

TEST_F(ImportApiTest, AnImportedNumberIsNeitherRecordedAgainNorTakenByTheNextBallot) {
  Json doc = J(R"({"resolutions": [{"number": "5/2026", "decided_on": "2026-02-10",
                                    "title": "Budget", "outcome": "approved"}]})");
  ASSERT_EQ(Import(doc).status, 201);
  HttpReply again =
      Post("/api/v1/resolutions", sec.token, J(R"({"number":"5/2026","decided_on":"2026-02-10",
                              "title":"Budget","outcome":"approved"})"));
  EXPECT_EQ(again.status, 409) << again.body;

  // A ballot of the same year closes after it: the next free number, 06/2026.
  const std::string rso = CreateRso("ARSO");
  Recognize(rso);
  HttpReply rec = Get("/api/v1/rsos/" + rso, sec.token);
  EXPECT_EQ(rec.json().GetString("resolution"), "06/2026") << rec.body;
  EXPECT_EQ(rec.json().GetString("recognized_on"), "2026-03-02");
}

}  // namespace
}  // namespace rsoflow::testing
