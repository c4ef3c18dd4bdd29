// Mandates (issue 19 item 1; API.md "Mandates (delegation)"): giving, listing and revoking them,
// their rules, and acting under one: a delegated vote is the delegator's one vote, the audit
// names both users, both users' exclusions and recusals apply, and the delegate's inbox lists
// the delegator's items. Days are the fake clock's (kT0 is 2026-03-02).
#include <string>

#include "engine/clock.h"
#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

class MandatesApiTest : public ApiTest {
 protected:
  Json MandateBody(const Persona& from, const Persona& to, const std::string& starts = "2026-03-01",
                   const std::string& ends = "2026-03-10") {
    Json b = Json::MakeObject();
    b.Set("from_user_id", from.user_id);
    b.Set("to_user_id", to.user_id);
    b.Set("starts_on", starts);
    b.Set("ends_on", ends);
    return b;
  }
  // Gives a mandate as `by` (the delegating user when none is named); its id.
  std::string Give(const Persona& from, const Persona& to, Json extra = Json::MakeObject(),
                   const Persona* by = nullptr) {
    Json body = MandateBody(from, to);
    for (const auto& [k, v] : extra.AsObject()) body.Set(k, v);
    HttpReply r = Post("/api/v1/mandates", (by != nullptr ? *by : from).token, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().GetString("id");
  }
  HttpReply VoteFor(const std::string& ballot, const Persona& delegate, const Persona& delegator,
                    const std::string& choice = "approve") {
    Json body = J(R"({"event":"vote"})");
    Json data = Json::MakeObject();
    data.Set("choice", choice);
    body.Set("data", data);
    body.Set("on_behalf_of", delegator.user_id);
    return Post("/api/v1/instances/" + ballot + "/events", delegate.token, body);
  }
  std::vector<std::string> ReasonCodes(const HttpReply& r) {
    std::vector<std::string> out;
    if (const Json* codes = r.json().Get("reason_codes")) {
      for (const Json& c : codes->AsArray()) out.push_back(c.AsString());
    }
    return out;
  }
  std::vector<std::string> ListedIds(const std::string& path, const std::string& token) {
    HttpReply r = Get(path, token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    for (const Json& m : r.json().Get("items")->AsArray()) ids.push_back(m.GetString("id"));
    return ids;
  }
  // A ballot about a new RSO, referred to the Council with its affiliated members excluded.
  std::string RsoBallot(const std::string& rso_id) {
    const std::string rec = RecognitionOf(rso_id);
    for (const char* event : {"submit", "start_review", "refer_to_council"}) {
      EXPECT_EQ(Fire(rec, sec.token, event).status, 200);
    }
    HttpReply ballots =
        Get("/api/v1/instances?workflow=council_ballot&active=true&rso_id=" + rso_id, sec.token);
    return ballots.json().Get("items")->AsArray().at(0).GetString("id");
  }
  Json HistoryEntry(const std::string& instance, const std::string& event, const Persona& viewer) {
    HttpReply h = Get("/api/v1/instances/" + instance + "/history", viewer.token);
    EXPECT_EQ(h.status, 200) << h.body;
    for (const Json& e : h.json().Get("items")->AsArray()) {
      if (e.GetString("event") == event) return e;
    }
    ADD_FAILURE() << "no " << event << " entry in " << h.body;
    return Json();
  }
};

TEST_F(MandatesApiTest, ACouncilMemberGivesAMandateForItselfAndBothUsersSeeIt) {
  Persona ivan = AddUser("council.ivan", "council");
  Persona rosa = AddUser("council.rosa", "council");
  Json body = MandateBody(council, ivan);
  body.Set("workflows", J(R"(["council_ballot"])"));
  body.Set("reason", "Leave");
  HttpReply r = Post("/api/v1/mandates", council.token, body);
  ASSERT_EQ(r.status, 201) << r.body;
  const Json& m = r.json();
  EXPECT_EQ(m.GetString("from_user_id"), council.user_id);
  EXPECT_EQ(m.GetString("to_user_id"), ivan.user_id);
  EXPECT_EQ(m.GetString("to_username"), "council.ivan");
  EXPECT_EQ(m.GetString("starts_on"), "2026-03-01");
  EXPECT_EQ(m.GetString("ends_on"), "2026-03-10");
  EXPECT_EQ(m.Get("workflows")->Dump(), R"(["council_ballot"])");
  EXPECT_EQ(m.GetString("reason"), "Leave");
  EXPECT_EQ(m.GetString("created_by"), council.user_id);
  EXPECT_EQ(m.GetString("created_at"), FormatTime(kT0));
  EXPECT_TRUE(m.Get("revoked_at")->is_null());
  EXPECT_TRUE(m.GetBool("active"));
  const std::string id = m.GetString("id");
  EXPECT_EQ(ListedIds("/api/v1/mandates", council.token), std::vector<std::string>{id});
  EXPECT_EQ(ListedIds("/api/v1/mandates", ivan.token), std::vector<std::string>{id});
  EXPECT_TRUE(ListedIds("/api/v1/mandates", rosa.token).empty());
  for (const Persona* all : {&sec, &auditor, &admin}) {
    EXPECT_EQ(ListedIds("/api/v1/mandates", all->token), std::vector<std::string>{id});
  }
}

TEST_F(MandatesApiTest, TheSecretariatAndAnAdminGiveMandatesForOthersButAMemberOnlyForItself) {
  Persona ivan = AddUser("council.ivan", "council");
  Persona rosa = AddUser("council.rosa", "council");
  HttpReply other = Post("/api/v1/mandates", rosa.token, MandateBody(council, ivan));
  EXPECT_EQ(other.status, 403) << other.body;
  EXPECT_EQ(other.code(), "forbidden");
  Give(council, ivan, Json::MakeObject(), &sec);
  Give(rosa, ivan, Json::MakeObject(), &admin);
}

TEST_F(MandatesApiTest, AMandateToOneselfIsRefused) {
  HttpReply r = Post("/api/v1/mandates", council.token, MandateBody(council, council));
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.code(), "guard_failed");
  EXPECT_EQ(ReasonCodes(r), std::vector<std::string>{"self_mandate"});
}

TEST_F(MandatesApiTest, BothUsersMustHaveTheSameRoleAndALiaisonsDeputyTheSameRso) {
  Persona ivan = AddUser("council.ivan", "council");
  HttpReply cross = Post("/api/v1/mandates", sec.token, MandateBody(sec, ivan));
  EXPECT_EQ(cross.status, 422) << cross.body;
  EXPECT_EQ(ReasonCodes(cross), std::vector<std::string>{"role_mismatch"});

  const std::string arso = CreateRso("ARSO");
  const std::string sarso = CreateRso("SARSO");
  Persona amara = AddUser("liaison.amara", "rso_liaison", arso);
  Persona deputy = AddUser("liaison.deputy", "rso_liaison", arso);
  Persona other = AddUser("liaison.other", "rso_liaison", sarso);
  HttpReply elsewhere = Post("/api/v1/mandates", amara.token, MandateBody(amara, other));
  EXPECT_EQ(elsewhere.status, 422) << elsewhere.body;
  EXPECT_EQ(ReasonCodes(elsewhere), std::vector<std::string>{"role_mismatch"});
  Give(amara, deputy);

  HttpReply nobody = Post("/api/v1/mandates", sec.token, J(R"({"from_user_id":"9999",
      "to_user_id":")" + ivan.user_id + R"(","starts_on":"2026-03-01","ends_on":"2026-03-02"})"));
  EXPECT_EQ(nobody.status, 422) << nobody.body;
  EXPECT_EQ(ReasonCodes(nobody), std::vector<std::string>{"unknown_user"});
}

TEST_F(MandatesApiTest, ADelegateCannotPassItsMandateOnNorTakeOneWhileGivingOne) {
  Persona ivan = AddUser("council.ivan", "council");
  Persona rosa = AddUser("council.rosa", "council");
  Give(council, ivan);  // 2026-03-01 .. 2026-03-10
  HttpReply onward = Post("/api/v1/mandates", ivan.token, MandateBody(ivan, rosa));
  EXPECT_EQ(onward.status, 422) << onward.body;
  EXPECT_EQ(ReasonCodes(onward), std::vector<std::string>{"mandate_chain"});
  HttpReply backward = Post("/api/v1/mandates", rosa.token, MandateBody(rosa, council));
  EXPECT_EQ(backward.status, 422) << backward.body;
  EXPECT_EQ(ReasonCodes(backward), std::vector<std::string>{"mandate_chain"});
  // Days the first mandate does not cover are free.
  HttpReply later =
      Post("/api/v1/mandates", ivan.token, MandateBody(ivan, rosa, "2026-03-11", "2026-03-20"));
  EXPECT_EQ(later.status, 201) << later.body;
}

TEST_F(MandatesApiTest, MalformedMandatesAreRefusedNamingTheField) {
  Persona ivan = AddUser("council.ivan", "council");
  struct Case {
    std::string field;
    Json body;
  };
  auto with = [&](const char* key, Json value) {
    Json b = MandateBody(council, ivan);
    b.Set(key, std::move(value));
    return b;
  };
  Json missing = MandateBody(council, ivan);
  missing.Erase("to_user_id");
  const std::vector<Case> cases = {
      {"to_user_id", missing},
      {"from_user_id", with("from_user_id", Json(int64_t{7}))},
      {"starts_on", with("starts_on", Json("2026-02-30"))},
      {"ends_on", with("ends_on", Json("10/03/2026"))},
      {"ends_on", with("ends_on", Json("2026-02-28"))},
      {"workflows", with("workflows", J(R"(["no_such_workflow"])"))},
      {"workflows", with("workflows", Json("council_ballot"))},
      {"reason", with("reason", Json(true))},
      {"colour", with("colour", Json("blue"))},
  };
  for (const Case& c : cases) {
    HttpReply r = Post("/api/v1/mandates", council.token, c.body);
    EXPECT_EQ(r.status, 400) << c.body.Dump() << " " << r.body;
    EXPECT_EQ(r.code(), "invalid_request");
    const Json* fields = r.json().Get("fields");
    ASSERT_NE(fields, nullptr) << r.body;
    EXPECT_NE(fields->Dump().find('"' + c.field + '"'), std::string::npos) << r.body;
  }
  HttpReply flag = Get("/api/v1/mandates?active=yes", council.token);
  EXPECT_EQ(flag.status, 400);
  EXPECT_EQ(flag.json().Get("fields")->Dump(), R"(["active"])");
  EXPECT_EQ(Get("/api/v1/mandates?cursor=zzz", council.token).status, 400);
  EXPECT_EQ(Get("/api/v1/mandates?colour=blue", council.token).status, 400);
  EXPECT_EQ(Delete("/api/v1/mandates/abc", council.token).status, 404);
  EXPECT_EQ(Delete("/api/v1/mandates/424242", council.token).code(), "not_found");
}

TEST_F(MandatesApiTest, ARevokedMandateIsKeptWithItsRevocationTimeAndNoLongerActive) {
  Persona ivan = AddUser("council.ivan", "council");
  Persona rosa = AddUser("council.rosa", "council");
  const std::string mine = Give(council, ivan);
  const std::string by_sec = Give(rosa, ivan, Json::MakeObject(), &sec);
  // The delegate may not revoke it; another member does not even see it.
  EXPECT_EQ(Delete("/api/v1/mandates/" + mine, ivan.token).status, 403);
  EXPECT_EQ(Delete("/api/v1/mandates/" + mine, rosa.token).status, 404);
  clock.Advance(std::chrono::hours(1));
  EXPECT_EQ(Delete("/api/v1/mandates/" + mine, council.token).status, 204);
  EXPECT_EQ(Delete("/api/v1/mandates/" + by_sec, sec.token).status, 204);  // its creator
  EXPECT_TRUE(ListedIds("/api/v1/mandates?active=true", ivan.token).empty());
  HttpReply all = Get("/api/v1/mandates", ivan.token);
  ASSERT_EQ(all.json().Get("items")->size(), 2u);
  const Json& first = all.json().Get("items")->AsArray()[0];
  EXPECT_EQ(first.GetString("revoked_at"), FormatTime(kT0 + 3600000));
  EXPECT_FALSE(first.GetBool("active"));
  const std::string again = Give(council, ivan);
  EXPECT_EQ(Delete("/api/v1/mandates/" + again, admin.token).status, 204);
}

TEST_F(MandatesApiTest, ActiveTrueListsOnlyTheMandatesInForceToday) {
  Persona ivan = AddUser("council.ivan", "council");
  Persona rosa = AddUser("council.rosa", "council");
  const std::string now = Give(council, ivan);
  Json later = MandateBody(rosa, ivan, "2026-04-01", "2026-04-30");
  ASSERT_EQ(Post("/api/v1/mandates", rosa.token, later).status, 201);
  EXPECT_EQ(ListedIds("/api/v1/mandates?active=true", ivan.token), std::vector<std::string>{now});
  EXPECT_EQ(ListedIds("/api/v1/mandates?active=false", ivan.token).size(), 2u);
}

TEST_F(MandatesApiTest, ADelegateCastsTheAbsentMembersOneVoteAndTheAuditNamesBoth) {
  Persona ivan = AddUser("council.ivan", "council");
  Persona rosa = AddUser("council.rosa", "council");  // keeps the ballot open
  const std::string ballot = CreateBallot();
  Give(council, ivan, J(R"({"workflows":["council_ballot"]})"));

  HttpReply voted = VoteFor(ballot, ivan, council, "reject");
  ASSERT_EQ(voted.status, 200) << voted.body;
  // The vote is the delegator's: it reads it as its own; the delegate's own is still to cast.
  HttpReply as_delegator = Get("/api/v1/instances/" + ballot, council.token);
  EXPECT_EQ(as_delegator.json().Get("data")->GetString("my_vote"), "reject") << as_delegator.body;
  HttpReply as_delegate = Get("/api/v1/instances/" + ballot, ivan.token);
  EXPECT_TRUE(as_delegate.json().Get("data")->Get("my_vote")->is_null()) << as_delegate.body;
  HttpReply as_sec = Get("/api/v1/instances/" + ballot, sec.token);
  EXPECT_EQ(as_sec.json().Get("data")->GetInt("votes_cast"), 1) << as_sec.body;
  EXPECT_EQ(as_sec.json().Get("data")->Get("tally")->GetInt("reject"), 1);

  Json entry = HistoryEntry(ballot, "vote", auditor);
  EXPECT_EQ(entry.Get("actor")->GetString("user_id"), ivan.user_id);
  EXPECT_EQ(entry.GetString("on_behalf_of"), council.user_id);

  // One vote per member: neither the delegator nor the delegate again for it.
  HttpReply own = Fire(ballot, council.token, "vote", J(R"({"choice":"approve"})"));
  EXPECT_EQ(own.status, 409) << own.body;
  EXPECT_EQ(own.code(), "already_voted");
  HttpReply twice = VoteFor(ballot, ivan, council);
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.code(), "already_voted");
  // The delegate's own vote is its own.
  EXPECT_EQ(Fire(ballot, ivan.token, "vote", J(R"({"choice":"approve"})")).status, 200);

  HttpReply verify = Get("/api/v1/audit/verify", auditor.token);
  ASSERT_EQ(verify.status, 200);
  EXPECT_TRUE(verify.json().GetBool("ok")) << verify.body;
}

TEST_F(MandatesApiTest, AnotherMemberReadingAnOpenBallotSeesNeitherWhoVotedNorForWhom) {
  Persona ivan = AddUser("council.ivan", "council");
  Persona rosa = AddUser("council.rosa", "council");
  const std::string ballot = CreateBallot();
  Give(council, ivan);
  ASSERT_EQ(VoteFor(ballot, ivan, council).status, 200);
  Json seen = HistoryEntry(ballot, "vote", rosa);
  EXPECT_TRUE(seen.Get("actor")->Get("user_id")->is_null());
  EXPECT_TRUE(seen.Get("on_behalf_of")->is_null());
  // The delegator reads its own vote.
  Json own = HistoryEntry(ballot, "vote", council);
  EXPECT_EQ(own.GetString("on_behalf_of"), council.user_id);
  EXPECT_FALSE(own.GetBool("redacted"));
}

TEST_F(MandatesApiTest, ActingWithoutAMandateCoveringTheWorkflowAndDayIsForbidden) {
  Persona ivan = AddUser("council.ivan", "council");
  Persona rosa = AddUser("council.rosa", "council");
  const std::string ballot = CreateBallot();
  HttpReply none = VoteFor(ballot, ivan, council);
  EXPECT_EQ(none.status, 403) << none.body;
  EXPECT_EQ(none.code(), "forbidden");
  EXPECT_EQ(ReasonCodes(none), std::vector<std::string>{"no_mandate"});

  Give(council, ivan, J(R"({"workflows":["momentum_plan"]})"));
  EXPECT_EQ(VoteFor(ballot, ivan, council).status, 403);  // outside its workflows

  Json later = MandateBody(rosa, ivan, "2026-03-05", "2026-03-06");
  ASSERT_EQ(Post("/api/v1/mandates", rosa.token, later).status, 201);
  const int64_t entries = AuditCount();
  EXPECT_EQ(VoteFor(ballot, ivan, rosa).status, 403);  // 2026-03-02: not yet
  EXPECT_EQ(AuditCount(), entries);                    // a refusal writes nothing
  clock.Set(kT0 + 3 * kMsPerDay);                      // 2026-03-05
  EXPECT_EQ(VoteFor(ballot, ivan, rosa).status, 200);
  clock.Set(kT0 + 5 * kMsPerDay);  // 2026-03-07: over (refused before the ballot is asked)
  HttpReply over = VoteFor(ballot, ivan, rosa);
  EXPECT_EQ(over.status, 403) << over.body;
  EXPECT_EQ(ReasonCodes(over), std::vector<std::string>{"no_mandate"});
}

TEST_F(MandatesApiTest, ARevokedMandateNoLongerLetsTheDelegateAct) {
  Persona ivan = AddUser("council.ivan", "council");
  Persona rosa = AddUser("council.rosa", "council");
  const std::string ballot = CreateBallot();
  const std::string id = Give(council, ivan);
  ASSERT_EQ(Delete("/api/v1/mandates/" + id, council.token).status, 204);
  EXPECT_EQ(VoteFor(ballot, ivan, council).status, 403);
}

TEST_F(MandatesApiTest, TheExclusionsAndRecusalsOfBothUsersApplyToADelegatedVote) {
  const std::string rso = CreateRso("ARSO");
  Persona affiliated = AddUser("council.kofi", "council", "", {rso});
  Persona ivan = AddUser("council.ivan", "council");
  Persona rosa = AddUser("council.rosa", "council");
  const std::string ballot = RsoBallot(rso);
  // The delegate is excluded (affiliated with the RSO): it cannot vote for anyone.
  Give(council, affiliated);
  HttpReply by_excluded = VoteFor(ballot, affiliated, council);
  EXPECT_EQ(by_excluded.status, 403) << by_excluded.body;
  EXPECT_EQ(by_excluded.code(), "conflict_of_interest");
  // The delegator is excluded: nobody votes for it.
  HttpReply mandates = Get("/api/v1/mandates", sec.token);
  ASSERT_EQ(Delete("/api/v1/mandates/" + mandates.json().Get("items")->AsArray()[0].GetString("id"),
                   sec.token)
                .status,
            403);  // the secretariat did not give it: the delegating user revokes it
  ASSERT_EQ(Delete("/api/v1/mandates/" + mandates.json().Get("items")->AsArray()[0].GetString("id"),
                   council.token)
                .status,
            204);
  Give(affiliated, ivan, Json::MakeObject(), &sec);
  HttpReply for_excluded = VoteFor(ballot, ivan, affiliated);
  EXPECT_EQ(for_excluded.status, 403) << for_excluded.body;
  EXPECT_EQ(for_excluded.code(), "conflict_of_interest");
  // A delegate that recused itself does not vote for another either.
  ASSERT_EQ(Fire(ballot, ivan.token, "recuse", Json::MakeObject(), "I advised them").status, 200);
  Give(rosa, ivan, J(R"({"starts_on":"2026-03-02","ends_on":"2026-03-02"})"), &sec);
  HttpReply by_recused = VoteFor(ballot, ivan, rosa);
  EXPECT_EQ(by_recused.status, 403) << by_recused.body;
  EXPECT_EQ(by_recused.code(), "conflict_of_interest");
}

TEST_F(MandatesApiTest, TheDelegatesInboxListsTheDelegatorsItemsOnItsBehalf) {
  Persona ivan = AddUser("council.ivan", "council");
  Persona rosa = AddUser("council.rosa", "council");
  const std::string ballot = CreateBallot();
  Give(council, ivan);
  HttpReply inbox = Get("/api/v1/inbox", ivan.token);
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  const Json::Array& items = inbox.json().Get("items")->AsArray();
  ASSERT_EQ(items.size(), 2u) << inbox.body;
  EXPECT_EQ(items[0].GetString("instance_id"), ballot);
  EXPECT_TRUE(items[0].Get("on_behalf_of")->is_null());
  EXPECT_EQ(items[1].GetString("instance_id"), ballot);
  EXPECT_EQ(items[1].GetString("on_behalf_of"), council.user_id);
  // Paged one by one, the cursor walks both.
  HttpReply first = Get("/api/v1/inbox?limit=1", ivan.token);
  const std::string cursor = first.json().GetString("next_cursor");
  HttpReply second = Get("/api/v1/inbox?limit=1&cursor=" + cursor, ivan.token);
  ASSERT_EQ(second.json().Get("items")->size(), 1u) << second.body;
  EXPECT_EQ(second.json().Get("items")->AsArray()[0].GetString("on_behalf_of"), council.user_id);
  // Once the delegator's vote is cast, only the delegate's own item is left.
  ASSERT_EQ(VoteFor(ballot, ivan, council).status, 200);
  HttpReply after = Get("/api/v1/inbox", ivan.token);
  ASSERT_EQ(after.json().Get("items")->size(), 1u) << after.body;
  EXPECT_TRUE(after.json().Get("items")->AsArray()[0].Get("on_behalf_of")->is_null());
  // The delegator's own inbox carries no on_behalf_of, and the third member's none.
  EXPECT_TRUE(Get("/api/v1/inbox", rosa.token)
                  .json()
                  .Get("items")
                  ->AsArray()[0]
                  .Get("on_behalf_of")
                  ->is_null());
}

TEST_F(MandatesApiTest, GivingAndRevokingAMandateAreAuditedAndTheChainVerifies) {
  Persona ivan = AddUser("council.ivan", "council");
  const int64_t before = AuditCount();
  const std::string id = Give(council, ivan);
  ASSERT_EQ(Delete("/api/v1/mandates/" + id, council.token).status, 204);
  EXPECT_EQ(AuditCount(), before + 2);
  HttpReply verify = Get("/api/v1/audit/verify", auditor.token);
  EXPECT_TRUE(verify.json().GetBool("ok")) << verify.body;
}

}  // namespace
}  // namespace rsoflow::testing
