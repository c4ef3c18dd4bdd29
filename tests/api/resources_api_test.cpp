// RSOs, ISO events, ballots, initiatives and momentum plans: creation, validation, listing,
// scope, and the dossier lock.
#include "engine/clock.h"
#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

class ResourcesApiTest : public ApiTest {};

std::vector<std::string> Fields(const HttpReply& r) {
  std::vector<std::string> out;
  const Json body = r.json();
  if (const Json* f = body.Get("fields"); f != nullptr && f->is_array()) {
    for (const Json& v : f->AsArray()) out.push_back(v.AsString());
  }
  return out;
}

TEST_F(ResourcesApiTest, CreatingAnRsoStartsItsRecognitionInDraft) {
  HttpReply r = Post("/api/v1/rsos", sec.token,
                     J(R"({"acronym":"arso","name":"African Organisation for Standardisation",
                          "kind":"regional","region":"Africa","member_bodies":["ke","NG"],
                          "website":"https://www.arso-oran.org"})"));
  ASSERT_EQ(r.status, 201) << r.body;
  Json rso = r.json();
  EXPECT_EQ(rso.GetString("acronym"), "ARSO");
  EXPECT_EQ(rso.GetString("status"), "draft");
  EXPECT_EQ(rso.GetString("basis"), "26/1992");
  EXPECT_TRUE(rso.Get("resolution")->is_null());
  EXPECT_TRUE(rso.Get("statutes_ref")->is_null());
  EXPECT_EQ(r.header("Location"), "/api/v1/rsos/" + rso.GetString("id"));
  HttpReply inst = Get("/api/v1/instances/" + rso.GetString("recognition_instance_id"), sec.token);
  EXPECT_EQ(inst.json().GetString("workflow"), "rso_recognition");
  EXPECT_EQ(inst.json().GetString("state"), "draft");
  EXPECT_EQ(inst.json().GetString("rso_id"), rso.GetString("id"));
}

TEST_F(ResourcesApiTest, SubRegionalRsoHasTheOtherLegalBasis) {
  HttpReply r = Post("/api/v1/rsos", sec.token,
                     J(R"({"acronym":"EAC","name":"East African Community","kind":"sub_regional",
                          "region":"Africa","member_bodies":["KE","TZ"]})"));
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(r.json().GetString("basis"), "34/2011");
}

TEST_F(ResourcesApiTest, DuplicateAcronymIsAConflict) {
  CreateRso("GSO");
  HttpReply r = Post("/api/v1/rsos", sec.token,
                     J(R"({"acronym":"gso","name":"Other","kind":"regional","region":"Arab region",
                          "member_bodies":["SA"]})"));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.code(), "duplicate");
}

TEST_F(ResourcesApiTest, InvalidRsoNamesEveryBadField) {
  HttpReply r =
      Post("/api/v1/rsos", sec.token,
           J(R"({"acronym":"A","kind":"global","region":"Mars","member_bodies":["XX"]})"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.code(), "invalid_request");
  const auto f = Fields(r);
  for (const char* field : {"acronym", "name", "kind", "region", "member_bodies"}) {
    EXPECT_NE(std::find(f.begin(), f.end(), field), f.end()) << field;
  }
}

TEST_F(ResourcesApiTest, ListFiltersByRegionKindAndStatusAndLiaisonSeesOnlyItsRso) {
  const std::string a = CreateRso("AAA", "Africa");
  const std::string b = CreateRso("BBB", "Americas");
  const std::string c = CreateRso("CCC", "Americas");
  ASSERT_EQ(Fire(RecognitionOf(c), sec.token, "submit").status, 200);
  auto ids = [&](const std::string& query, const std::string& token) {
    std::vector<std::string> out;
    HttpReply r = Get("/api/v1/rsos" + query, token);
    EXPECT_EQ(r.status, 200) << r.body;
    for (const Json& i : r.json().Get("items")->AsArray()) out.push_back(i.GetString("id"));
    return out;
  };
  EXPECT_EQ(ids("", council.token), (std::vector<std::string>{a, b, c}));
  EXPECT_EQ(ids("?region=Americas", sec.token), (std::vector<std::string>{b, c}));
  EXPECT_EQ(ids("?status=submitted", sec.token), (std::vector<std::string>{c}));
  EXPECT_EQ(ids("?kind=sub_regional", sec.token), (std::vector<std::string>{}));
  EXPECT_EQ(ids("?limit=2", sec.token), (std::vector<std::string>{a, b}));
  HttpReply first = Get("/api/v1/rsos?limit=2", sec.token);
  const std::string cursor = first.json().GetString("next_cursor");
  EXPECT_EQ(ids("?limit=2&cursor=" + cursor, sec.token), (std::vector<std::string>{c}));
  Persona liaison = AddUser("liaison.b", "rso_liaison", b);
  EXPECT_EQ(ids("", liaison.token), (std::vector<std::string>{b}));
  EXPECT_EQ(Get("/api/v1/rsos/" + a, liaison.token).status, 404);
  EXPECT_EQ(Get("/api/v1/rsos/999", sec.token).status, 404);
  EXPECT_EQ(Get("/api/v1/rsos?colour=red", sec.token).status, 400);
  // A value no RSO can have is a mistake, named, not an empty list.
  for (const auto& [query, field] :
       std::vector<std::pair<std::string, std::string>>{{"?kind=continental", "kind"},
                                                        {"?region=Atlantis", "region"},
                                                        {"?status=approved", "status"}}) {
    HttpReply bad = Get("/api/v1/rsos" + query, sec.token);
    EXPECT_EQ(bad.status, 400) << query;
    EXPECT_EQ(bad.code(), "invalid_request") << query;
    ASSERT_TRUE(bad.json().Get("fields") != nullptr) << bad.body;
    EXPECT_EQ(bad.json().Get("fields")->AsArray().at(0).AsString(), field) << query;
  }
}

TEST_F(ResourcesApiTest, DossierIsEditableInDraftAndLockedOnceSubmitted) {
  const std::string a = CreateRso("ARSO");
  Persona liaison = AddUser("liaison.a", "rso_liaison", a);
  HttpReply edited = Patch("/api/v1/rsos/" + a, liaison.token,
                           J(R"({"contact_email":"info@arso.example","website":"https://a.org"})"));
  ASSERT_EQ(edited.status, 200) << edited.body;
  EXPECT_EQ(edited.json().GetString("contact_email"), "info@arso.example");
  EXPECT_EQ(Get("/api/v1/rsos/" + a, sec.token).json().GetString("website"), "https://a.org");

  ASSERT_EQ(Fire(RecognitionOf(a), liaison.token, "submit").status, 200);
  HttpReply locked = Patch("/api/v1/rsos/" + a, liaison.token, J(R"({"name":"Renamed"})"));
  EXPECT_EQ(locked.status, 409);
  EXPECT_EQ(locked.code(), "locked");
  EXPECT_EQ(Get("/api/v1/rsos/" + a, sec.token).json().GetString("name"), "Standards Organization");

  ASSERT_EQ(Fire(RecognitionOf(a), sec.token, "start_review").status, 200);
  ASSERT_EQ(Fire(RecognitionOf(a), sec.token, "return_for_changes", Json::MakeObject(),
                 "please add the statutes of 2024")
                .status,
            200);
  EXPECT_EQ(Patch("/api/v1/rsos/" + a, sec.token, J(R"({"statutes_ref":"Statutes 2024"})")).status,
            200);
  HttpReply bad = Patch("/api/v1/rsos/" + a, sec.token, J(R"({"website":"ftp://x"})"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Fields(bad), (std::vector<std::string>{"website"}));
}

// DESIGN 5: outside its scope a liaison learns nothing of an object's existence, so the 404
// for another RSO's instance or ISO event reads word for word as the one for an id that does
// not exist (the id it asked for aside). Before, the detail was "no such instance" for the
// one and "no instance N" for the other.
TEST_F(ResourcesApiTest, ALiaisonsNotFoundForAnotherRsosObjectReadsAsForNoneAtAll) {
  const std::string a = CreateRso("ARSO");
  const std::string b = CreateRso("COPANT", "Americas");
  const std::string theirs = RecognitionOf(b);
  const std::string event_b = CreateIsoEvent({b}, "Workshop B");
  const std::string missing = "987654";
  Persona liaison = AddUser("liaison.a", "rso_liaison", a);
  // The detail with the asked-for id taken out.
  auto detail = [](const HttpReply& r, const std::string& id) {
    std::string d = r.json().GetString("detail");
    const size_t at = d.find(id);
    if (at != std::string::npos) d.replace(at, id.size(), "{id}");
    return d;
  };
  for (const std::string suffix : {"", "/history", "/diagram"}) {
    HttpReply hidden = Get("/api/v1/instances/" + theirs + suffix, liaison.token);
    HttpReply none = Get("/api/v1/instances/" + missing + suffix, liaison.token);
    ASSERT_EQ(hidden.status, 404) << suffix;
    ASSERT_EQ(none.status, 404) << suffix;
    EXPECT_EQ(hidden.code(), "not_found");
    EXPECT_EQ(detail(hidden, theirs), detail(none, missing)) << suffix;
  }
  HttpReply hidden = Fire(theirs, liaison.token, "submit");
  HttpReply none = Fire(missing, liaison.token, "submit");
  ASSERT_EQ(hidden.status, 404);
  ASSERT_EQ(none.status, 404);
  EXPECT_EQ(detail(hidden, theirs), detail(none, missing));
  EXPECT_EQ(Get("/api/v1/instances/" + theirs, sec.token).json().GetString("state"), "draft");

  for (const bool patch : {false, true}) {
    const std::string path = "/api/v1/rsos/";
    HttpReply hidden_rso = patch ? Patch(path + b, liaison.token, J(R"({"website":"x"})"))
                                 : Get(path + b, liaison.token);
    HttpReply no_rso = patch ? Patch(path + missing, liaison.token, J(R"({"website":"x"})"))
                             : Get(path + missing, liaison.token);
    ASSERT_EQ(hidden_rso.status, 404) << patch;
    ASSERT_EQ(no_rso.status, 404) << patch;
    EXPECT_EQ(detail(hidden_rso, b), detail(no_rso, missing)) << patch;
  }

  HttpReply hidden_event = Get("/api/v1/iso-events/" + event_b, liaison.token);
  HttpReply no_event = Get("/api/v1/iso-events/" + missing, liaison.token);
  ASSERT_EQ(hidden_event.status, 404);
  ASSERT_EQ(no_event.status, 404);
  EXPECT_EQ(detail(hidden_event, event_b), detail(no_event, missing));
}

TEST_F(ResourcesApiTest, IsoEventsAreValidatedStoredAndScopedToTheirRsos) {
  const std::string a = CreateRso("ARSO");
  const std::string b = CreateRso("COPANT", "Americas");
  const std::string ea = CreateIsoEvent({a}, "Workshop A");
  const std::string eb = CreateIsoEvent({b}, "Workshop B");
  HttpReply got = Get("/api/v1/iso-events/" + ea, council.token);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json().GetString("title"), "Workshop A");
  EXPECT_EQ(got.json().GetString("ends_on"), "2026-02-04");
  EXPECT_EQ(got.json().GetString("id"), ea);

  Persona liaison = AddUser("liaison.a", "rso_liaison", a);
  EXPECT_EQ(Get("/api/v1/iso-events/" + eb, liaison.token).status, 404);
  HttpReply list = Get("/api/v1/iso-events", liaison.token);
  ASSERT_EQ(list.json().Get("items")->size(), 1u);
  EXPECT_EQ(Get("/api/v1/iso-events", sec.token).json().Get("items")->size(), 2u);

  HttpReply dup = Post("/api/v1/iso-events", sec.token,
                       J(R"({"title":"Workshop A","type":"regional_workshop","region":"Africa",
                            "rso_ids":[],"starts_on":"2026-02-02","ends_on":"2026-02-02"})"));
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(dup.code(), "duplicate");
  HttpReply bad = Post("/api/v1/iso-events", sec.token,
                       J(R"({"title":"X","type":"party","region":"Africa","rso_ids":[],
                            "starts_on":"2026-02-05","ends_on":"2026-02-01"})"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(Fields(bad), (std::vector<std::string>{"type", "ends_on"}));
  HttpReply unknown_rso =
      Post("/api/v1/iso-events", sec.token, J(R"({"title":"Y","type":"webinar","region":"Africa",
                                    "rso_ids":["4040"],"starts_on":"2026-02-05",
                                    "ends_on":"2026-02-05"})"));
  EXPECT_EQ(unknown_rso.status, 400);
  EXPECT_EQ(Fields(unknown_rso), (std::vector<std::string>{"rso_ids"}));
  EXPECT_EQ(Get("/api/v1/iso-events/9999", sec.token).status, 404);
}

TEST_F(ResourcesApiTest, BallotWithoutSubjectOpensForTheCouncil) {
  HttpReply r = Post("/api/v1/ballots", sec.token,
                     J(R"({"title":"Budget 2027","question":"Approve the budget?",
                          "deadline":"2026-03-09T09:00:00Z","threshold":"two_thirds"})"));
  ASSERT_EQ(r.status, 201) << r.body;
  Json inst = r.json();
  EXPECT_EQ(inst.GetString("workflow"), "council_ballot");
  EXPECT_EQ(inst.GetString("state"), "open");
  EXPECT_TRUE(inst.Get("rso_id")->is_null());
  EXPECT_TRUE(inst.Get("data")->Get("subject_instance_id")->is_null());
  EXPECT_EQ(inst.Get("data")->GetInt("electorate_size"), 1);
  EXPECT_EQ(r.header("ETag"), "\"1\"");
  EXPECT_EQ(
      Post("/api/v1/ballots", sec.token, J(R"({"title":"T","deadline":"2026-03-09"})")).status,
      400);
  HttpReply past = Post("/api/v1/ballots", sec.token,
                        J(R"({"title":"T","question":"Q","deadline":"2020-01-01T00:00:00Z"})"));
  EXPECT_EQ(past.status / 100, 4) << past.body;
}

TEST_F(ResourcesApiTest, InitiativeNeedsARecognizedRso) {
  const std::string a = CreateRso("ARSO");
  Persona liaison = AddUser("liaison.a", "rso_liaison", a);
  Json body = J(R"({"type":"training","title":"Train the trainers","objectives":["skills"]})");
  body.Set("rso_id", a);
  HttpReply refused = Post("/api/v1/initiatives", liaison.token, body);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.code(), "guard_failed");
  EXPECT_EQ(refused.json().Get("reasons")->size(), 1u);

  Recognize(a);
  HttpReply r = Post("/api/v1/initiatives", liaison.token, body);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().GetString("workflow"), "partnership_initiative");
  EXPECT_EQ(r.json().GetString("state"), "proposed");
  EXPECT_EQ(r.json().GetString("rso_id"), a);
  EXPECT_EQ(Post("/api/v1/initiatives", liaison.token, J(R"({"type":"training"})")).status, 400);
}

TEST_F(ResourcesApiTest, MomentumPlanMayBeDraftedAsSoonAsItsIsoEventIsRegistered) {
  const std::string a = CreateRso("ARSO");
  Recognize(a);
  // ISO Week is months away (it is 2026-03-02): the plan is drafted now, for after the week.
  Json event = J(R"({"title":"ISO Week","type":"iso_week","region":"Africa",
                     "starts_on":"2026-09-01","ends_on":"2026-09-05"})");
  Json rso_ids = Json::MakeArray();
  rso_ids.Push(a);
  event.Set("rso_ids", rso_ids);
  HttpReply created = Post("/api/v1/iso-events", sec.token, event);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string event_id = created.json().GetString("id");
  Json plan = J(R"({"title":"Keep the momentum",
                    "actions":[{"title":"National follow-up","owner":"KEBS","due_on":"2026-05-01"}]})");
  plan.Set("rso_id", a);
  plan.Set("iso_event_id", event_id);
  HttpReply r = Post("/api/v1/momentum-plans", sec.token, plan);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().GetString("workflow"), "momentum_plan");
  EXPECT_EQ(r.json().GetString("state"), "drafting");
  EXPECT_EQ(r.json().Get("data")->GetString("event_ends_on"), "2026-09-05");
  // Its actions fall due after the event ends: submit names the one that does not.
  const std::string id = r.json().GetString("id");
  HttpReply submit = Fire(id, sec.token, "submit");
  EXPECT_EQ(submit.status, 422) << submit.body;
  ASSERT_NE(submit.json().Get("reason_codes"), nullptr) << submit.body;
  EXPECT_EQ(submit.json().Get("reason_codes")->Dump(), R"(["action_due_before_event_end"])");
  ASSERT_EQ(Fire(id, sec.token, "revise",
                 J(R"({"actions":[{"id":"A1","due_on":"2026-09-30"}]})"))
                .status,
            200);
  EXPECT_EQ(Fire(id, sec.token, "submit").status, 200);
}

TEST_F(ResourcesApiTest, MomentumPlanNeedsAnEventListingARecognizedRso) {
  const std::string a = CreateRso("ARSO");
  const std::string unlisted = CreateIsoEvent({}, "Workshop without ARSO");
  Json plan = J(R"({"title":"Keep the momentum",
                    "actions":[{"title":"National follow-up","owner":"KEBS","due_on":"2026-05-01"}]})");
  plan.Set("rso_id", a);
  plan.Set("iso_event_id", CreateIsoEvent({a}, "ARSO workshop"));
  const int64_t before = AuditCount();
  HttpReply refused = Post("/api/v1/momentum-plans", sec.token, plan);
  EXPECT_EQ(refused.status, 422) << refused.body;
  ASSERT_NE(refused.json().Get("reason_codes"), nullptr) << refused.body;
  EXPECT_EQ(refused.json().Get("reason_codes")->Dump(), R"(["rso_not_recognized"])");
  EXPECT_EQ(AuditCount(), before);
  Recognize(a);
  plan.Set("iso_event_id", unlisted);
  HttpReply other = Post("/api/v1/momentum-plans", sec.token, plan);
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_EQ(other.json().Get("reason_codes")->Dump(), R"(["iso_event_does_not_list_rso"])");
  EXPECT_EQ(Get("/api/v1/instances?workflow=momentum_plan", sec.token).json().Get("items")->size(),
            0u);
}

TEST_F(ResourcesApiTest, ApprovingOrStartingAMomentumPlanNeedsTheRsoRecognized) {
  const std::string a = CreateRso("ARSO");
  Recognize(a);
  Json plan = J(R"({"title":"Keep the momentum",
                    "actions":[{"title":"National follow-up","owner":"KEBS","due_on":"2026-05-01"}]})");
  plan.Set("rso_id", a);
  plan.Set("iso_event_id", CreateIsoEvent({a}));
  HttpReply created = Post("/api/v1/momentum-plans", sec.token, plan);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json().GetString("id");
  ASSERT_EQ(Fire(id, sec.token, "submit").status, 200);
  const std::string recognition = RecognitionOf(a);
  ASSERT_EQ(Fire(recognition, sec.token, "suspend", Json::MakeObject(), "dues unpaid").status, 200);
  for (const char* event : {"approve", "start"}) {
    HttpReply r = Fire(id, sec.token, event);
    EXPECT_EQ(r.status, 422) << event << ": " << r.body;
    EXPECT_EQ(r.code(), "guard_failed");
    ASSERT_NE(r.json().Get("reason_codes"), nullptr) << r.body;
    EXPECT_EQ(r.json().Get("reason_codes")->Dump(), R"(["rso_not_recognized"])") << event;
    ASSERT_EQ(Fire(recognition, sec.token, "reinstate", Json::MakeObject(), "paid").status, 200);
    ASSERT_EQ(Fire(id, sec.token, event).status, 200) << event;
    ASSERT_EQ(Fire(recognition, sec.token, "suspend", Json::MakeObject(), "again").status, 200);
  }
  EXPECT_EQ(Get("/api/v1/instances/" + id, sec.token).json().GetString("state"), "in_progress");
}

TEST_F(ResourcesApiTest, InitiativeOfTypeOtherNeedsADescription) {
  const std::string a = CreateRso("ARSO");
  Recognize(a);
  Json body = J(R"({"type":"other","title":"Secondment to an ISO working group"})");
  body.Set("rso_id", a);
  const int64_t before = AuditCount();
  HttpReply refused = Post("/api/v1/initiatives", sec.token, body);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(refused.code(), "invalid_request");
  EXPECT_EQ(Fields(refused), std::vector<std::string>{"description"});
  EXPECT_EQ(AuditCount(), before);
  body.Set("description", "An ARSO expert joins ISO/TC 176 for a year");
  HttpReply r = Post("/api/v1/initiatives", sec.token, body);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().Get("data")->GetString("type"), "other");
  // Emptying the description of an `other` initiative is refused too, naming the payload field.
  HttpReply revise = Fire(r.json().GetString("id"), sec.token, "revise",
                          J(R"({"description":""})"));
  EXPECT_EQ(revise.status, 400) << revise.body;
  EXPECT_EQ(Fields(revise), std::vector<std::string>{"data.description"});
  body = J(R"({"type":"technical_cooperation","title":"Metrology cooperation"})");
  body.Set("rso_id", a);
  EXPECT_EQ(Post("/api/v1/initiatives", sec.token, body).status, 201);
  body.Set("type", "lobbying");
  HttpReply unknown = Post("/api/v1/initiatives", sec.token, body);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(Fields(unknown), std::vector<std::string>{"type"});
}

TEST_F(ResourcesApiTest, DossierEditWithAStaleIfMatchIsAVersionMismatchAndChangesNothing) {
  const std::string a = CreateRso("ARSO");
  const std::string rec = RecognitionOf(a);
  EXPECT_EQ(Get("/api/v1/rsos/" + a, sec.token).header("ETag"), "\"1\"");
  ASSERT_EQ(Patch("/api/v1/rsos/" + a, sec.token, J(R"({"website":"https://a.org"})")).status,
            200);  // the recognition is now at version 2
  const int64_t before = AuditCount();
  HttpCall stale;
  stale.method = "PATCH";
  stale.path = "/api/v1/rsos/" + a;
  stale.token = sec.token;
  stale.body = R"({"name":"Renamed"})";
  stale.has_body = true;
  stale.headers = {{"If-Match", "\"1\""}};
  HttpReply r = Send(stale);
  EXPECT_EQ(r.status, 412) << r.body;
  EXPECT_EQ(r.code(), "version_mismatch");
  EXPECT_EQ(r.json().GetInt("current_version"), 2);
  EXPECT_EQ(AuditCount(), before);
  EXPECT_EQ(Get("/api/v1/rsos/" + a, sec.token).json().GetString("name"), "Standards Organization");
  // The RSO's own answers name the version to send: its recognition's, as an ETag.
  HttpReply current = Get("/api/v1/rsos/" + a, sec.token);
  EXPECT_EQ(current.header("ETag"), "\"2\"");
  stale.headers = {{"If-Match", current.header("ETag")}};
  HttpReply renamed = Send(stale);
  EXPECT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.header("ETag"), "\"3\"");
  EXPECT_EQ(Get("/api/v1/rsos/" + a, sec.token).json().GetString("name"), "Renamed");
}

TEST_F(ResourcesApiTest, DossierEditTakingAnotherRsosAcronymIsADuplicateAndChangesNothing) {
  CreateRso("GSO", "Arab region");
  const std::string a = CreateRso("ARSO");
  const std::string rec = RecognitionOf(a);
  HttpReply current = Get("/api/v1/rsos/" + a, sec.token);
  ASSERT_EQ(current.status, 200) << current.body;
  const std::string etag = current.header("ETag");
  ASSERT_FALSE(etag.empty());
  const std::string title = Get("/api/v1/instances/" + rec, sec.token).json().GetString("title");
  const int64_t before = AuditCount();
  HttpCall edit;
  edit.method = "PATCH";
  edit.path = "/api/v1/rsos/" + a;
  edit.token = sec.token;
  edit.body = R"({"acronym":"gso","website":"https://arso.example"})";
  edit.has_body = true;
  edit.headers = {{"If-Match", etag}};
  HttpReply r = Send(edit);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(r.code(), "duplicate");
  EXPECT_EQ(AuditCount(), before);
  // Nothing of the edit is kept: neither the acronym nor the other field sent with it.
  HttpReply after = Get("/api/v1/rsos/" + a, sec.token);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.json().GetString("acronym"), "ARSO");
  EXPECT_TRUE(after.json().Get("website")->is_null()) << after.body;
  EXPECT_EQ(after.header("ETag"), etag);
  EXPECT_EQ(Get("/api/v1/instances/" + rec, sec.token).json().GetString("title"), title);

  // A free acronym, with the same If-Match, is accepted.
  edit.body = R"({"acronym":"afso"})";
  HttpReply renamed = Send(edit);
  EXPECT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(Get("/api/v1/rsos/" + a, sec.token).json().GetString("acronym"), "AFSO");
}

TEST_F(ResourcesApiTest, IdempotencyKeyReplaysABallotCreationInsteadOfOpeningASecond) {
  const Json body = J(R"({"title":"Budget 2027","question":"Approve the budget?",
                          "deadline":"2026-03-09T09:00:00Z"})");
  HttpReply first = Post("/api/v1/ballots", sec.token, body, {{"Idempotency-Key", "ballot-1"}});
  ASSERT_EQ(first.status, 201) << first.body;
  const int64_t after_first = AuditCount();
  HttpReply again = Post("/api/v1/ballots", sec.token, body, {{"Idempotency-Key", "ballot-1"}});
  EXPECT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.json().GetString("id"), first.json().GetString("id"));
  EXPECT_EQ(AuditCount(), after_first);
  EXPECT_EQ(Get("/api/v1/instances?workflow=council_ballot", sec.token).json().Get("items")->size(),
            1u);
  Json other = body;
  other.Set("title", "Budget 2028");
  HttpReply reused = Post("/api/v1/ballots", sec.token, other, {{"Idempotency-Key", "ballot-1"}});
  EXPECT_EQ(reused.status, 409);
  EXPECT_EQ(reused.code(), "idempotency_key_reused");
  EXPECT_EQ(AuditCount(), after_first);
  // Too long: the header is named, as on an event.
  HttpReply too_long =
      Post("/api/v1/ballots", sec.token, other, {{"Idempotency-Key", std::string(129, 'k')}});
  EXPECT_EQ(too_long.status, 400);
  ASSERT_TRUE(too_long.json().Get("fields") != nullptr) << too_long.body;
  EXPECT_EQ(too_long.json().Get("fields")->AsArray().at(0).AsString(), "Idempotency-Key");
  EXPECT_EQ(AuditCount(), after_first);
}

// Only reads take query parameters: a write's would be ignored without a word.
TEST_F(ResourcesApiTest, AWriteWithAQueryParameterIsRefusedAndChangesNothing) {
  const Json body = J(R"({"title":"Budget 2027","question":"Approve the budget?",
                          "deadline":"2026-03-09T09:00:00Z"})");
  const int64_t before = AuditCount();
  HttpReply r = Post("/api/v1/ballots?threshold=unanimous", sec.token, body);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.code(), "invalid_request");
  ASSERT_TRUE(r.json().Get("fields") != nullptr) << r.body;
  EXPECT_EQ(r.json().Get("fields")->AsArray().at(0).AsString(), "threshold");
  EXPECT_EQ(AuditCount(), before);
  EXPECT_EQ(Get("/api/v1/me?verbose=1", sec.token).status, 400);
  EXPECT_EQ(Get("/api/v1/me", sec.token).status, 200);
}

TEST_F(ResourcesApiTest, IsoEventListRefusesACursorItDidNotIssue) {
  const std::string a = CreateRso("ARSO");
  CreateIsoEvent({a}, "Workshop A");
  CreateIsoEvent({a}, "Workshop B");
  HttpReply page = Get("/api/v1/iso-events?limit=1", sec.token);
  ASSERT_EQ(page.status, 200);
  const std::string cursor = page.json().GetString("next_cursor");
  ASSERT_FALSE(cursor.empty());
  EXPECT_EQ(Get("/api/v1/iso-events?limit=1&cursor=" + cursor, sec.token)
                .json()
                .Get("items")
                ->AsArray()[0]
                .GetString("title"),
            "Workshop B");
  for (const std::string& bad : {std::string("bogus"), std::string(""), std::string("k1.5"),
                                 std::string("azEuLTE"), std::string("MTI")}) {
    HttpReply r = Get("/api/v1/iso-events?cursor=" + bad, sec.token);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.code(), "invalid_request") << bad;
    EXPECT_EQ(r.json().Get("fields")->Dump(), R"(["cursor"])") << bad;
  }
}

}  // namespace
}  // namespace rsoflow::testing
