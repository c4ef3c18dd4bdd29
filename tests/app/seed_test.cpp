// Seeding: the sample data set is loaded through the engine with a clean audit trail, a failed
// seed leaves nothing behind, and a database with data is never overwritten.
#include "app/seed.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "app/runtime.h"
#include "engine/audit.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

const char* kDataset = R"({
  "history": {"rsos": [
    {"acronym": "SARSO", "name": "South Asian Regional Standards Organization",
     "kind": "sub_regional", "region": "Asia-Pacific", "member_bodies": ["BD", "IN", "LK"],
     "statutes_ref": "SAARC 2008", "recognized_on": null, "resolution": "24/2015"}]},
  "rsos": [
    {"acronym": "NEWRSO", "name": "A New Standards Body", "kind": "regional",
     "region": "Americas", "member_bodies": ["BR", "AR"], "statutes_ref": "Charter 2020"}
  ],
  "users": [
    {"username": "sec.amina", "display_name": "Amina", "role": "secretariat"},
    {"username": "liaison.sarso", "display_name": "L", "role": "rso_liaison", "rso": "SARSO"},
    {"username": "council.kebs", "display_name": "K", "role": "council", "affiliated": ["SARSO"]}
  ],
  "iso_events": [
    {"key": "ws", "title": "South Asia workshop", "type": "regional_workshop",
     "region": "Asia-Pacific", "rsos": ["SARSO"], "starts_on": "${today-20}",
     "ends_on": "${today-18}", "location": "Dhaka"}
  ],
  "activity": [
    {"start": "partnership_initiative", "as": "liaison.sarso", "rso": "SARSO", "ref": "i1",
     "data": {"type": "event_promotion", "title": "Promote", "iso_event_id": "${event:ws}"}},
    {"fire": "i1", "event": "start_review", "as": "sec.amina"},
    {"start": "momentum_plan", "as": "liaison.sarso", "rso": "SARSO", "ref": "p1",
     "data": {"iso_event_id": "${event:ws}", "title": "Plan", "initiative_id": "${ref:i1}",
              "actions": [{"title": "Report", "owner": "SARSO", "due_on": "${today+10}"}]}},
    {"fire": "rso:NEWRSO", "event": "submit", "as": "sec.amina"}
  ]
})";

Json Dataset(const std::string& text = kDataset) {
  auto j = ParseJson(text, nullptr, 64);
  EXPECT_TRUE(j.has_value());
  return j.value_or(Json());
}

seed::SeedOptions Options(const TempDir& dir) {
  seed::SeedOptions o;
  o.db_path = dir.File("seed.db");
  o.password = "demo-password-1";
  o.pbkdf2_iterations = 1000;
  return o;
}

TEST(Seed, LoadsEverythingThroughTheEngineWithAnAuditedImport) {
  TempDir dir;
  FakeClock clock(kT0);
  auto report = seed::SeedDatabase(Dataset(), Options(dir), clock);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rsos, 2);
  EXPECT_EQ(report->users, 3);
  EXPECT_EQ(report->iso_events, 1);
  EXPECT_EQ(report->steps, 4);

  auto rt = Runtime::Open(Options(dir).db_path, clock, false);
  ASSERT_TRUE(rt.ok());
  Store& store = (*rt)->store();
  InstanceQuery q;
  q.workflow = "rso_recognition";
  auto recognitions = store.ListInstances(q);
  ASSERT_EQ(recognitions->size(), 2u);
  const Instance& sarso = (*recognitions)[0];
  EXPECT_EQ(sarso.state, "recognized");
  EXPECT_EQ(sarso.data.GetString("resolution"), "24/2015");
  EXPECT_EQ((*recognitions)[1].state, "submitted");

  auto history = store.InstanceHistory(sarso.id, 0, -1);
  ASSERT_EQ(history->size(), 1u);
  EXPECT_EQ((*history)[0].event, "import");
  EXPECT_EQ((*history)[0].actor_role, "system");
  EXPECT_EQ((*history)[0].to_state, "recognized");
  EXPECT_EQ((*history)[0].data.Get("imported")->GetString("resolution"), "24/2015");
  EXPECT_TRUE((*history)[0].data.Get("effective_on")->is_null());
  // The imported number is a row of the register, so nothing can take it again.
  ResolutionQuery rq;
  rq.year = 2015;
  auto register_rows = store.ListResolutions(rq);
  ASSERT_EQ(register_rows->size(), 1u);
  EXPECT_EQ(register_rows->at(0).source, "import");
  EXPECT_EQ(register_rows->at(0).rso_id, sarso.rso_id);

  q.workflow = "momentum_plan";
  auto plans = store.ListInstances(q);
  ASSERT_EQ(plans->size(), 1u);
  EXPECT_EQ((*plans)[0].data.Get("actions")->AsArray()[0].GetString("due_on"), "2026-03-12");
  q.workflow = "partnership_initiative";
  EXPECT_EQ(store.ListInstances(q)->at(0).state, "under_review");
  auto user = store.GetUserByName("council.kebs");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->affiliated_rso_ids, std::vector<std::string>{sarso.rso_id});

  AuditVerifier verifier;
  auto st = store.ForEachAudit(0, [&](const AuditEntry& e) { return verifier.Add(e); });
  EXPECT_TRUE(st.ok());
  EXPECT_TRUE(verifier.Finish().ok);
}

// The sample data's evidence: documents on a dossier, which the referral's ballot freezes, and
// a decision taken in session in the register beside the imported one.
TEST(Seed, AttachesDocumentsThatTheBallotFreezesAndRecordsADecisionTakenInSession) {
  TempDir dir;
  FakeClock clock(kT0);
  std::string text = kDataset;
  const std::string submit = R"({"fire": "rso:NEWRSO", "event": "submit", "as": "sec.amina"})";
  text.replace(text.find(submit), submit.size(),
               R"({"attach": "rso:NEWRSO", "as": "sec.amina", "filename": "statutes.pdf",
                   "lines": ["Charter of 2020", "Article 1, purpose"]},
                  {"attach": "rso:NEWRSO", "as": "sec.amina", "filename": "members.pdf",
                   "lines": ["BR, AR"]},
                  )" +
                   submit + R"(,
                  {"fire": "rso:NEWRSO", "event": "start_review", "as": "sec.amina"},
                  {"fire": "rso:NEWRSO", "event": "refer_to_council", "as": "sec.amina",
                   "ballot_ref": "b1"},
                  {"decide": {"number": "20/${year}", "decided_on": "${today}",
                              "title": "Report noted", "outcome": "approved"},
                   "as": "sec.amina"})");
  auto report = seed::SeedDatabase(Dataset(text), Options(dir), clock);
  ASSERT_TRUE(report.ok()) << report.status().ToString();

  auto rt = Runtime::Open(Options(dir).db_path, clock, false);
  ASSERT_TRUE(rt.ok());
  Store& store = (*rt)->store();
  InstanceQuery q;
  q.workflow = "rso_recognition";
  q.state = "council_review";
  auto referred = store.ListInstances(q);
  ASSERT_EQ(referred->size(), 1u);
  auto documents = store.ListDocuments(referred->at(0).id);
  ASSERT_TRUE(documents.ok());
  ASSERT_EQ(documents->size(), 2u);
  for (const Document& d : *documents) {
    EXPECT_EQ(d.media_type, "application/pdf");
    std::string bytes;
    ASSERT_TRUE(store
                    .ReadDocument(d.id,
                                  [&](const char* data, size_t size) {
                                    bytes.append(data, size);
                                    return true;
                                  })
                    .ok());
    EXPECT_EQ(bytes.rfind("%PDF-1.4\n", 0), 0u) << d.filename;
    // A reader finds the cross-reference table where the trailer says it is.
    const size_t at = bytes.rfind("startxref\n");
    ASSERT_NE(at, std::string::npos);
    EXPECT_EQ(bytes.compare(std::stoul(bytes.substr(at + 10)), 4, "xref"), 0) << d.filename;
  }
  q.workflow = "council_ballot";
  q.state = "open";
  auto ballots = store.ListInstances(q);
  ASSERT_EQ(ballots->size(), 1u);
  ASSERT_TRUE(ballots->at(0).data.Get("documents") != nullptr);
  EXPECT_EQ(ballots->at(0).data.Get("documents")->size(), 2u);

  ResolutionQuery rq;
  rq.year = 2026;
  auto decided = store.ListResolutions(rq);
  ASSERT_EQ(decided->size(), 1u);
  EXPECT_EQ(decided->at(0).number, "20/2026");
  EXPECT_EQ(decided->at(0).source, "session");
  EXPECT_EQ(decided->at(0).decided_on, "2026-03-02");
}

TEST(Seed, AFailingStepLeavesNoDatabaseBehind) {
  TempDir dir;
  FakeClock clock(kT0);
  std::string text = kDataset;
  text.replace(text.find(R"("event": "start_review")"), 23, R"("event": "approve")");
  auto report = seed::SeedDatabase(Dataset(text), Options(dir), clock);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("activity[1] (fire i1 approve): invalid_transition"),
            std::string::npos)
      << report.status().message();
  EXPECT_FALSE(std::ifstream(Options(dir).db_path).good());
  EXPECT_FALSE(std::ifstream(Options(dir).db_path + ".seeding").good());
}

TEST(Seed, UnknownSubstitutionsAndUsersAreNamed) {
  TempDir dir;
  FakeClock clock(kT0);
  std::string text = kDataset;
  text.replace(text.find("${event:ws}"), 11, "${event:nope}");
  auto report = seed::SeedDatabase(Dataset(text), Options(dir), clock);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("unknown substitution ${event:nope}"), std::string::npos)
      << report.status().message();
}

TEST(Seed, RefusesADatabaseThatHoldsData) {
  TempDir dir;
  FakeClock clock(kT0);
  ASSERT_TRUE(seed::SeedDatabase(Dataset(), Options(dir), clock).ok());
  auto again = seed::SeedDatabase(Dataset(), Options(dir), clock);
  EXPECT_EQ(again.status().code(), Status::Code::kDuplicate);
  EXPECT_FALSE(*seed::DatabaseIsEmpty(Options(dir).db_path));
  // An existing, migrated but empty database may be seeded.
  TempDir other;
  { ASSERT_TRUE(Runtime::Open(Options(other).db_path, clock, false).ok()); }
  EXPECT_TRUE(*seed::DatabaseIsEmpty(Options(other).db_path));
  EXPECT_TRUE(seed::SeedDatabase(Dataset(), Options(other), clock).ok());
}

// An imported recognition's resolution number is taken: a ballot closing in the same year gets
// the next number, never the imported one again (DESIGN 2: sequential per year, unique).
TEST(Seed, AnImportedResolutionReservesItsNumberForTheNextBallotOfThatYear) {
  TempDir dir;
  FakeClock clock(kT0);  // 2026
  const char* dataset = R"({
    "history": {"rsos": [
             {"acronym": "SARSO", "name": "South Asian Regional Standards Organization",
              "kind": "sub_regional", "region": "Asia-Pacific", "member_bodies": ["BD", "IN"],
              "statutes_ref": "SAARC 2008", "recognized_on": "2026-02-01",
              "resolution": "07/2026"},
             {"acronym": "OLDRSO", "name": "An Old Standards Body", "kind": "regional",
              "region": "Africa", "member_bodies": ["KE", "GH"], "statutes_ref": "Charter",
              "resolution": "12/1999"}]},
    "users": [{"username": "sec.amina", "display_name": "Amina", "role": "secretariat"},
              {"username": "council.a", "display_name": "A", "role": "council"},
              {"username": "council.b", "display_name": "B", "role": "council"}],
    "activity": [
      {"start": "council_ballot", "as": "sec.amina", "ref": "b1",
       "data": {"title": "Work programme", "question": "Endorse it?",
                "deadline": "${now+10d}"}},
      {"fire": "b1", "event": "vote", "as": "council.a", "data": {"choice": "approve"}},
      {"fire": "b1", "event": "vote", "as": "council.b", "data": {"choice": "approve"}}]
  })";
  auto report = seed::SeedDatabase(Dataset(dataset), Options(dir), clock);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  auto rt = Runtime::Open(Options(dir).db_path, clock, false);
  ASSERT_TRUE(rt.ok());
  InstanceQuery q;
  q.workflow = "council_ballot";
  auto ballots = (*rt)->store().ListInstances(q);
  ASSERT_TRUE(ballots.ok());
  ASSERT_EQ(ballots->size(), 1u);
  EXPECT_EQ(ballots->at(0).state, "approved");
  EXPECT_EQ(ballots->at(0).data.GetString("resolution"), "08/2026");
}

TEST(Seed, RefusesAnImportedResolutionThatIsNotNSlashYYYYOrIsImportedTwice) {
  const std::string rso =
      R"({"acronym": "SARSO", "name": "South Asian Regional Standards Organization",
          "kind": "sub_regional", "region": "Asia-Pacific", "member_bodies": ["BD", "IN"],
          "statutes_ref": "SAARC 2008", "resolution": RES})";
  auto with = [&](const std::string& resolution) {
    std::string r = rso;
    r.replace(r.find("RES"), 3, resolution);
    return r;
  };
  for (const char* bad :
       {R"("07-2026")", R"("ab/2026")", R"("07/26")", R"("00/2026")", R"("07/2026 ")", "7"}) {
    TempDir dir;
    FakeClock clock(kT0);
    auto report = seed::SeedDatabase(Dataset(R"({"history": {"rsos": [)" + with(bad) + "]}}"),
                                     Options(dir), clock);
    EXPECT_EQ(report.status().code(), Status::Code::kInvalidRequest) << bad;
    EXPECT_EQ(report.status().fields(), std::vector<std::string>{"history.rsos[0].resolution"})
        << report.status().message();
    EXPECT_TRUE(*seed::DatabaseIsEmpty(Options(dir).db_path)) << bad;
  }
  TempDir dir;
  FakeClock clock(kT0);
  std::string second = with(R"("24/2015")");
  second.replace(second.find("SARSO"), 5, "ARSO");
  auto twice = seed::SeedDatabase(
      Dataset(R"({"history": {"rsos": [)" + with(R"("24/2015")") + "," + second + "]}}"),
      Options(dir), clock);
  EXPECT_EQ(twice.status().code(), Status::Code::kInvalidRequest);
  EXPECT_NE(twice.status().message().find("rsos[1].resolution: resolution 24/2015 is already"),
            std::string::npos)
      << twice.status().message();
  EXPECT_TRUE(*seed::DatabaseIsEmpty(Options(dir).db_path));
}

TEST(Seed, RefusesADatabaseAnotherProcessWritesAndAFileThatIsNotADatabase) {
  TempDir dir;
  FakeClock clock(kT0);
  {
    auto writer = db::SqliteStore::Open(Options(dir).db_path);
    ASSERT_TRUE(writer.ok());
    auto refused = seed::SeedDatabase(Dataset(), Options(dir), clock);
    EXPECT_EQ(refused.status().code(), Status::Code::kUnavailable);
    EXPECT_NE(refused.status().message().find("in use by another rsoflow process"),
              std::string::npos)
        << refused.status().message();
  }
  EXPECT_TRUE(*seed::DatabaseIsEmpty(Options(dir).db_path));  // nothing was written

  // A mistyped --db naming some other file must not be replaced by the demo data.
  TempDir other;
  const std::string path = Options(other).db_path;
  { std::ofstream(path) << "not a database, but someone's notes\n"; }
  auto refused = seed::SeedDatabase(Dataset(), Options(other), clock);
  EXPECT_EQ(refused.status().code(), Status::Code::kInvalidRequest);
  EXPECT_NE(refused.status().message().find("not an rsoflow database"), std::string::npos)
      << refused.status().message();
  std::ifstream in(path);
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first, "not a database, but someone's notes");
}

TEST(Import, OnlyTheSystemImportsAndOnlyIntoAKnownState) {
  Harness h;
  const Actor sec = h.AddUser("sec", "secretariat");
  Command c;
  c.start_workflow = "rso_recognition";
  c.data = J(R"({"acronym": "ARSO", "name": "African Organisation for Standardisation",
                 "kind": "regional", "region": "Africa", "member_bodies": ["KE", "GH"]})");
  c.import_state = "recognized";
  c.actor = sec;
  EXPECT_EQ(h.engine->Execute(c).status().code(), Status::Code::kForbidden);
  c.actor = Actor::System();
  c.import_state = "approved_by_magic";
  auto r = h.engine->Execute(c);
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidRequest);
  EXPECT_EQ(h.AuditCount(), 0);
  c.import_state = "recognized";
  r = h.engine->Execute(c);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->instance.state, "recognized");
  EXPECT_EQ(h.History(r->instance.id).at(0).event, "import");
  h.engine->Stop();
}

}  // namespace
}  // namespace rsoflow::testing
