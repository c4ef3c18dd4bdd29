#include "tests/support/partnership_world.h"

#include "workflows/rso_records.h"

namespace rsoflow::testing {

PartnershipWorld::PartnershipWorld(Harness& harness) : h(harness) {
  sec = h.AddUser("world.sec", "secretariat");
  auditor = h.AddUser("world.auditor", "auditor");
  for (int i = 0; i < 5; ++i) {
    council.push_back(h.AddUser("world.c" + std::to_string(i), "council"));
  }
}

std::string PartnershipWorld::RegisterRso(const std::string& acronym) {
  Json d = J(R"({"name": "Test Regional Standards Body", "kind": "sub_regional",
                 "region": "Africa", "member_bodies": ["KE", "TZ", "UG"],
                 "statutes_ref": "Treaty 1999"})");
  d.Set("acronym", acronym);
  auto r = h.Start("rso_recognition", sec, d);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return "";
  recognition_[r->instance.rso_id] = r->instance.id;
  return r->instance.rso_id;
}

std::string PartnershipWorld::RecognizedRso(const std::string& acronym) {
  const std::string rso = RegisterRso(acronym);
  const int64_t id = recognition_[rso];
  for (const char* e : {"submit", "start_review", "refer_to_council"}) {
    auto r = h.Fire(id, e, sec);
    EXPECT_TRUE(r.ok()) << e << ": " << r.status().ToString();
  }
  const int64_t ballot = OpenBallotOf(rso);
  if (ballot == 0) return rso;
  for (const Actor& c : council) {
    auto r = h.Fire(ballot, "vote", c, J(R"({"choice": "approve"})"));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
  }
  EXPECT_EQ(h.Load(id).state, "recognized");
  return rso;
}

int64_t PartnershipWorld::OpenBallotOf(const std::string& rso_id) {
  InstanceQuery q;
  q.workflow = "council_ballot";
  q.state = "open";
  q.rso_id = rso_id;
  auto ballots = h.store->ListInstances(q);
  EXPECT_TRUE(ballots.ok() && ballots->size() == 1);
  return ballots.ok() && ballots->size() == 1 ? ballots->front().id : 0;
}

std::string PartnershipWorld::AddIsoEvent(const std::string& title, const std::string& starts_on,
                                          const std::string& ends_on,
                                          const std::vector<std::string>& rso_ids,
                                          const std::string& type) {
  Json body = Json::MakeObject();
  body.Set("title", title);
  body.Set("type", type);
  body.Set("region", "Africa");
  Json ids = Json::MakeArray();
  for (const auto& r : rso_ids) ids.Push(r);
  body.Set("rso_ids", ids);
  body.Set("starts_on", starts_on);
  body.Set("ends_on", ends_on);
  auto fields = rso::ValidateIsoEvent(body);
  EXPECT_TRUE(fields.ok()) << fields.status().ToString();
  if (!fields.ok()) return "";
  Record record;
  record.kind = rso::kIsoEventKind;
  record.key = rso::IsoEventKey(*fields);
  record.data = *fields;
  record.created_at = record.updated_at = h.clock.NowMs();
  auto id = h.engine
                ->SubmitJob([record](Store& s) -> Result<Json> {
                  auto r = s.InsertRecord(record);
                  if (!r.ok()) return r.status();
                  return Json(*r);
                })
                .get();
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  return id.ok() ? id->AsString() : "";
}

}  // namespace rsoflow::testing
