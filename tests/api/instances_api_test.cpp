// Workflow instances over HTTP: list (filters, scope, keyset pagination), read with ETag,
// events with If-Match and Idempotency-Key and every refusal code, history, diagrams, the
// inbox and the workflow descriptions.
#include "engine/clock.h"
#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

class InstancesApiTest : public ApiTest {
 protected:
  std::vector<std::string> Ids(const HttpReply& r) {
    std::vector<std::string> out;
    for (const Json& i : r.json().Get("items")->AsArray()) out.push_back(i.GetString("id"));
    return out;
  }
  // Takes the RSO's recognition to council_review; answers the ballot it opened ("" if none).
  std::string ReferToCouncil(const std::string& rso) {
    const std::string rec = RecognitionOf(rso);
    for (const char* event : {"submit", "start_review", "refer_to_council"}) {
      HttpReply r = Fire(rec, sec.token, event);
      EXPECT_EQ(r.status, 200) << event << ": " << r.body;
      if (r.status != 200) return "";
    }
    HttpReply list = Get("/api/v1/instances?workflow=council_ballot&rso_id=" + rso, sec.token);
    const Json* items = list.json().Get("items");
    if (items == nullptr || items->size() != 1) return "";
    return items->AsArray()[0].GetString("id");
  }
  HttpReply FireWith(const std::string& id, const std::string& token, const Json& body,
                     std::vector<std::pair<std::string, std::string>> headers) {
    return Post("/api/v1/instances/" + id + "/events", token, body, std::move(headers));
  }
};

TEST_F(InstancesApiTest, ListPagesWithAnOpaqueCursor) {
  std::vector<std::string> all;
  for (int i = 0; i < 5; ++i) all.push_back(CreateBallot("Ballot " + std::to_string(i)));
  HttpReply p1 = Get("/api/v1/instances?workflow=council_ballot&limit=2", sec.token);
  ASSERT_EQ(p1.status, 200) << p1.body;
  EXPECT_EQ(Ids(p1), (std::vector<std::string>{all[0], all[1]}));
  const std::string c1 = p1.json().GetString("next_cursor");
  EXPECT_EQ(c1.find(all[1]), std::string::npos);  // opaque, not the id itself
  HttpReply p2 = Get("/api/v1/instances?workflow=council_ballot&limit=2&cursor=" + c1, sec.token);
  EXPECT_EQ(Ids(p2), (std::vector<std::string>{all[2], all[3]}));
  HttpReply p3 = Get("/api/v1/instances?workflow=council_ballot&limit=2&cursor=" +
                         p2.json().GetString("next_cursor"),
                     sec.token);
  EXPECT_EQ(Ids(p3), (std::vector<std::string>{all[4]}));
  EXPECT_TRUE(p3.json().Get("next_cursor")->is_null());
}

TEST_F(InstancesApiTest, ListFiltersAndRejectsBadParameters) {
  const std::string a = CreateRso("ARSO");
  const std::string b = CreateRso("COPANT", "Americas");
  const std::string ballot = CreateBallot();
  EXPECT_EQ(Ids(Get("/api/v1/instances?workflow=rso_recognition", sec.token)).size(), 2u);
  EXPECT_EQ(Ids(Get("/api/v1/instances?rso_id=" + b, sec.token)),
            (std::vector<std::string>{RecognitionOf(b)}));
  EXPECT_EQ(Ids(Get("/api/v1/instances?state=open", sec.token)),
            (std::vector<std::string>{ballot}));
  EXPECT_EQ(Ids(Get("/api/v1/instances?active=false", sec.token)).size(), 0u);
  Persona liaison = AddUser("liaison.a", "rso_liaison", a);
  EXPECT_EQ(Ids(Get("/api/v1/instances", liaison.token)),
            (std::vector<std::string>{RecognitionOf(a)}));
  EXPECT_EQ(Ids(Get("/api/v1/instances?rso_id=" + b, liaison.token)).size(), 0u);
  for (const char* query : {"?limit=0", "?limit=201", "?limit=x", "?active=yes", "?workflow=nope",
                            "?cursor=bogus", "?cursor=", "?sort=id", "?limit=1&limit=2"}) {
    HttpReply r = Get(std::string("/api/v1/instances") + query, sec.token);
    EXPECT_EQ(r.status, 400) << query;
    EXPECT_EQ(r.code(), "invalid_request") << query;
  }
}

TEST_F(InstancesApiTest, InstanceCarriesItsETagAndCallerSpecificAllowedEvents) {
  const std::string a = CreateRso("ARSO");
  Persona liaison = AddUser("liaison.a", "rso_liaison", a);
  const std::string rec = RecognitionOf(a);
  HttpReply r = Get("/api/v1/instances/" + rec, liaison.token);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.header("ETag"), "\"1\"");
  Json inst = r.json();
  for (const char* key :
       {"id", "workflow", "workflow_version", "state", "version", "rso_id", "title", "data",
        "created_at", "created_by", "updated_at", "due_at", "terminal", "allowed_events"}) {
    EXPECT_TRUE(inst.Has(key)) << key;
  }
  EXPECT_EQ(inst.Get("allowed_events")->Dump(), R"(["edit_dossier","submit"])");
  EXPECT_EQ(Get("/api/v1/instances/" + rec, sec.token).json().Get("allowed_events")->Dump(),
            R"(["edit_dossier","submit","withdraw"])");
  EXPECT_EQ(Get("/api/v1/instances/" + rec, auditor.token).json().Get("allowed_events")->Dump(),
            "[]");
  EXPECT_EQ(Get("/api/v1/instances/99999", sec.token).status, 404);
  EXPECT_EQ(Get("/api/v1/instances/abc", sec.token).status, 404);
}

TEST_F(InstancesApiTest, FiringAnEventAnswersTheInstanceAndItsAuditLink) {
  const std::string rec = RecognitionOf(CreateRso("ARSO"));
  HttpReply r = FireWith(rec, sec.token, J(R"({"event":"submit","comment":"complete"})"),
                         {{"If-Match", "\"1\""}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().Get("instance")->GetString("state"), "submitted");
  EXPECT_EQ(r.json().Get("instance")->GetInt("version"), 2);
  EXPECT_EQ(r.header("ETag"), "\"2\"");
  const Json audit = *r.json().Get("audit");
  EXPECT_GT(audit.GetInt("seq"), 0);
  EXPECT_EQ(audit.GetString("hash").size(), 64u);
}

TEST_F(InstancesApiTest, StaleIfMatchIsAVersionMismatchAndChangesNothing) {
  const std::string rec = RecognitionOf(CreateRso("ARSO"));
  const int64_t before = AuditCount();
  HttpReply r = FireWith(rec, sec.token, J(R"({"event":"submit"})"), {{"If-Match", "\"7\""}});
  EXPECT_EQ(r.status, 412);
  EXPECT_EQ(r.code(), "version_mismatch");
  EXPECT_EQ(r.json().GetInt("current_version"), 1);
  EXPECT_EQ(AuditCount(), before);
  EXPECT_EQ(FireWith(rec, sec.token, J(R"({"event":"submit"})"), {{"If-Match", "W/x"}}).status,
            400);
}

TEST_F(InstancesApiTest, IdempotencyKeyReplaysTheResultAndRefusesAnotherRequest) {
  const std::string rec = RecognitionOf(CreateRso("ARSO"));
  HttpReply first =
      FireWith(rec, sec.token, J(R"({"event":"submit"})"), {{"Idempotency-Key", "k-1"}});
  ASSERT_EQ(first.status, 200);
  const int64_t after_first = AuditCount();
  HttpReply again =
      FireWith(rec, sec.token, J(R"({"event":"submit"})"), {{"Idempotency-Key", "k-1"}});
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.json().Get("audit")->GetInt("seq"), first.json().Get("audit")->GetInt("seq"));
  EXPECT_EQ(AuditCount(), after_first);
  HttpReply other =
      FireWith(rec, sec.token, J(R"({"event":"start_review"})"), {{"Idempotency-Key", "k-1"}});
  EXPECT_EQ(other.status, 409);
  EXPECT_EQ(other.code(), "idempotency_key_reused");
  HttpReply too_long = FireWith(rec, sec.token, J(R"({"event":"start_review"})"),
                                {{"Idempotency-Key", std::string(129, 'k')}});
  EXPECT_EQ(too_long.status, 400);
  // Bytes that are not printable ASCII would make the audit entry's canonical JSON invalid UTF-8.
  const int64_t before = AuditCount();
  HttpReply not_text = FireWith(rec, sec.token, J(R"({"event":"start_review"})"),
                                {{"Idempotency-Key", "k-\xff\xfe"}});
  EXPECT_EQ(not_text.status, 400) << not_text.body;
  ASSERT_TRUE(not_text.json().Get("fields") != nullptr) << not_text.body;
  EXPECT_EQ(not_text.json().Get("fields")->AsArray().at(0).AsString(), "Idempotency-Key");
  EXPECT_EQ(AuditCount(), before);
}

TEST_F(InstancesApiTest, RefusalsCarryTheirProblemCodesAndExtensions) {
  const std::string a = CreateRso("ARSO");
  const std::string rec = RecognitionOf(a);
  HttpReply wrong_state = Fire(rec, sec.token, "start_review");
  EXPECT_EQ(wrong_state.status, 409);
  EXPECT_EQ(wrong_state.code(), "invalid_transition");
  EXPECT_EQ(wrong_state.json().GetString("state"), "draft");
  EXPECT_EQ(wrong_state.json().Get("allowed_events")->Dump(),
            R"(["edit_dossier","submit","withdraw"])");

  HttpReply unknown = Fire(rec, sec.token, "explode");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(unknown.code(), "invalid_request");

  // System events are the engine's: no user role may fire them.
  for (const char* event : {"council_approved", "council_rejected", "council_no_quorum"}) {
    HttpReply r = Fire(rec, sec.token, event, J(R"({"resolution":"01/2026"})"));
    EXPECT_EQ(r.status, 403) << event;
    EXPECT_EQ(r.code(), "forbidden");
  }
  EXPECT_EQ(Fire(rec, auditor.token, "submit").status, 403);

  ASSERT_EQ(Patch("/api/v1/rsos/" + a, sec.token, J(R"({"statutes_ref":null})")).status / 100, 2);
  HttpReply no_comment = Fire(rec, sec.token, "withdraw");
  EXPECT_EQ(no_comment.status, 422);
  EXPECT_EQ(no_comment.code(), "guard_failed");
  EXPECT_GE(no_comment.json().Get("reasons")->size(), 1u);

  HttpReply bad_data = Fire(rec, sec.token, "submit", J(R"({"colour":"red"})"));
  EXPECT_EQ(bad_data.status, 400);
  HttpReply data_not_object = PostText("/api/v1/instances/" + rec + "/events", sec.token,
                                       R"({"event":"submit","data":[1]})");
  EXPECT_EQ(data_not_object.status, 400);
  EXPECT_EQ(Fire("424242", sec.token, "submit").status, 404);
}

TEST_F(InstancesApiTest, ARecognitionBallotShowsItsExcludedMembersWithTheReason) {
  const std::string a = CreateRso("ARSO");
  Persona conflicted = AddUser("council.kofi", "council", "", {a});
  const std::string rec = RecognitionOf(a);
  ASSERT_EQ(Fire(rec, sec.token, "submit").status, 200);
  ASSERT_EQ(Fire(rec, sec.token, "start_review").status, 200);
  ASSERT_EQ(Fire(rec, sec.token, "refer_to_council").status, 200);
  const std::string ballot = Get("/api/v1/instances?workflow=council_ballot", sec.token)
                                 .json()
                                 .Get("items")
                                 ->AsArray()[0]
                                 .GetString("id");
  const std::string expected = R"([{"reason":"affiliated_with_rso","user_id":")" +
                               conflicted.user_id + R"(","username":"council.kofi"}])";
  for (const Persona* who : {&sec, &council, &auditor}) {
    HttpReply r = Get("/api/v1/instances/" + ballot, who->token);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_NE(r.json().Get("data")->Get("exclusions"), nullptr) << who->role << ": " << r.body;
    EXPECT_EQ(r.json().Get("data")->Get("exclusions")->Dump(), expected) << who->role;
  }
  // The reason has its label in both languages.
  EXPECT_EQ(Get("/api/v1/labels?lang=en", sec.token).json().Get("reasons")->GetString(
                "affiliated_with_rso"),
            "Affiliated with the RSO the ballot decides on");
  EXPECT_EQ(Get("/api/v1/labels?lang=ru", sec.token).json().Get("reasons")->GetString(
                "affiliated_with_rso"),
            "Аффилирован с РОС, по которой принимается решение");
}

TEST_F(InstancesApiTest, TheSecretariatMayReferWithoutExcludingAffiliatedMembers) {
  const std::string a = CreateRso("ARSO");
  Persona affiliated = AddUser("council.kofi", "council", "", {a});
  const std::string rec = RecognitionOf(a);
  ASSERT_EQ(Fire(rec, sec.token, "submit").status, 200);
  ASSERT_EQ(Fire(rec, sec.token, "start_review").status, 200);
  HttpReply bad = Fire(rec, sec.token, "refer_to_council", J(R"({"exclude_affiliated":"no"})"));
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(bad.code(), "invalid_request");
  ASSERT_NE(bad.json().Get("fields"), nullptr) << bad.body;
  EXPECT_EQ(bad.json().Get("fields")->Dump(), R"(["data.exclude_affiliated"])");
  HttpReply referred =
      Fire(rec, sec.token, "refer_to_council", J(R"({"exclude_affiliated":false})"));
  ASSERT_EQ(referred.status, 200) << referred.body;
  const std::string ballot = Get("/api/v1/instances?workflow=council_ballot", sec.token)
                                 .json()
                                 .Get("items")
                                 ->AsArray()[0]
                                 .GetString("id");
  const Json data = *Get("/api/v1/instances/" + ballot, sec.token).json().Get("data");
  EXPECT_EQ(data.Get("exclusions")->Dump(), "[]");
  EXPECT_EQ(data.Get("exclude_affiliated")->Dump(), "false");
  // The audit records the choice on the referral.
  HttpReply history = Get("/api/v1/instances/" + rec + "/history", auditor.token);
  ASSERT_EQ(history.status, 200) << history.body;
  const Json& last = history.json().Get("items")->AsArray().back();
  EXPECT_EQ(last.GetString("event"), "refer_to_council");
  EXPECT_EQ(last.Get("data")->Get("exclude_affiliated")->Dump(), "false");
  // The affiliated member votes.
  EXPECT_EQ(Fire(ballot, affiliated.token, "vote", J(R"({"choice":"approve"})")).status, 200);
}

TEST_F(InstancesApiTest, CouncilVotesOnceAndConflictedReviewersMayNot) {
  const std::string a = CreateRso("ARSO");
  Persona conflicted = AddUser("council.kofi", "council", "", {a});
  Persona third = AddUser("council.ana", "council");
  const std::string rec = RecognitionOf(a);
  ASSERT_EQ(Fire(rec, sec.token, "submit").status, 200);
  ASSERT_EQ(Fire(rec, sec.token, "start_review").status, 200);
  ASSERT_EQ(Fire(rec, sec.token, "refer_to_council").status, 200);
  Persona second = AddUser("council.mei", "council");  // joined after the ballot opened
  const std::string ballot = Get("/api/v1/instances?workflow=council_ballot", sec.token)
                                 .json()
                                 .Get("items")
                                 ->AsArray()[0]
                                 .GetString("id");
  HttpReply excluded = Fire(ballot, conflicted.token, "vote", J(R"({"choice":"approve"})"));
  EXPECT_EQ(excluded.status, 403);
  EXPECT_EQ(excluded.code(), "conflict_of_interest");
  HttpReply outsider = Fire(ballot, second.token, "vote", J(R"({"choice":"approve"})"));
  EXPECT_EQ(outsider.status, 403);
  EXPECT_EQ(outsider.code(), "forbidden");
  HttpReply bad_choice = Fire(ballot, council.token, "vote", J(R"({"choice":"maybe"})"));
  EXPECT_EQ(bad_choice.status / 100, 4);
  ASSERT_EQ(Fire(ballot, council.token, "vote", J(R"({"choice":"reject"})")).status, 200);
  HttpReply twice = Fire(ballot, council.token, "vote", J(R"({"choice":"approve"})"));
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(twice.code(), "already_voted");
  ASSERT_EQ(Fire(ballot, third.token, "vote", J(R"({"choice":"reject"})")).status, 200);
  EXPECT_EQ(Get("/api/v1/rsos/" + a, sec.token).json().GetString("status"), "rejected");
}

TEST_F(InstancesApiTest, ReviewerWhoRecusedMayNotVoteAndTheBallotIsUnchanged) {
  // A second member keeps the ballot open once the first has recused.
  Persona mei = AddUser("council.mei", "council");
  const std::string ballot = CreateBallot();
  HttpReply recused =
      Fire(ballot, council.token, "recuse", Json::MakeObject(), "I sit on the budget committee");
  ASSERT_EQ(recused.status, 200) << recused.body;
  ASSERT_EQ(recused.json().Get("instance")->GetString("state"), "open");
  HttpReply before = Get("/api/v1/instances/" + ballot, sec.token);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_EQ(before.json().Get("data")->Get("recused")->Dump(),
            Json(Json::Array{Json(council.user_id)}).Dump());
  const int64_t audit_before = AuditCount();

  HttpReply vote = Fire(ballot, council.token, "vote", J(R"({"choice":"approve"})"));
  EXPECT_EQ(vote.status, 403) << vote.body;
  EXPECT_EQ(vote.code(), "conflict_of_interest");
  EXPECT_EQ(AuditCount(), audit_before);
  HttpReply after = Get("/api/v1/instances/" + ballot, sec.token);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.json().GetString("state"), "open");
  EXPECT_EQ(after.json().GetInt("version"), before.json().GetInt("version"));
  EXPECT_EQ(after.header("ETag"), before.header("ETag"));
  EXPECT_EQ(after.json().Get("data")->GetInt("votes_cast", -1), 0);
  HttpReply own = Get("/api/v1/instances/" + ballot, council.token);
  ASSERT_TRUE(own.json().Get("data")->Get("my_vote") != nullptr) << own.body;
  EXPECT_TRUE(own.json().Get("data")->Get("my_vote")->is_null()) << own.body;
  EXPECT_FALSE(own.json().Get("data")->GetBool("eligible", true));

  // The remaining member's vote completes the ballot; the roll-call holds that vote alone.
  ASSERT_EQ(Fire(ballot, mei.token, "vote", J(R"({"choice":"approve"})")).status, 200);
  HttpReply closed = Get("/api/v1/instances/" + ballot, sec.token);
  EXPECT_EQ(closed.json().GetString("state"), "approved");
  const Json* roll = closed.json().Get("data")->Get("roll_call");
  ASSERT_TRUE(roll != nullptr) << closed.body;
  ASSERT_EQ(roll->size(), 1u) << closed.body;
  EXPECT_EQ(roll->AsArray()[0].GetString("user_id"), mei.user_id);
}

TEST_F(InstancesApiTest, HistoryIsOldestFirstAndHidesOthersVotesWhileTheBallotIsOpen) {
  Persona second = AddUser("council.mei", "council");
  const std::string ballot = CreateBallot();
  ASSERT_EQ(Fire(ballot, council.token, "vote", J(R"({"choice":"approve"})")).status, 200);
  HttpReply mine = Get("/api/v1/instances/" + ballot + "/history", council.token);
  ASSERT_EQ(mine.status, 200);
  const auto& items = mine.json().Get("items")->AsArray();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].GetString("event"), "create");
  EXPECT_TRUE(items[0].Get("from_state")->is_null());
  EXPECT_EQ(items[1].GetString("event"), "vote");
  EXPECT_EQ(items[1].Get("actor")->GetString("username"), "council.lena");
  EXPECT_EQ(items[1].Get("data")->GetString("choice"), "approve");  // own vote
  EXPECT_EQ(items[1].GetString("prev_hash"), items[0].GetString("hash"));
  HttpReply theirs = Get("/api/v1/instances/" + ballot + "/history", second.token);
  EXPECT_FALSE(theirs.json().Get("items")->AsArray()[1].Get("data")->Has("choice"));
  // The roll-call is secret from everyone while the ballot is open (DESIGN 4.2).
  HttpReply secretariat = Get("/api/v1/instances/" + ballot + "/history", sec.token);
  EXPECT_TRUE(secretariat.json().Get("items")->AsArray()[1].GetBool("redacted"));
  EXPECT_FALSE(secretariat.json().Get("items")->AsArray()[1].Get("data")->Has("choice"));
  // The last vote closes the ballot; then the roll-call, and the history, are open.
  ASSERT_EQ(Fire(ballot, second.token, "vote", J(R"({"choice":"reject"})")).status, 200);
  HttpReply closed = Get("/api/v1/instances/" + ballot + "/history", sec.token);
  EXPECT_EQ(closed.json().Get("items")->AsArray()[1].Get("data")->GetString("choice"), "approve");
  EXPECT_FALSE(closed.json().Get("items")->AsArray()[1].Has("redacted"));
}

TEST_F(InstancesApiTest, HistoryPagesOldestFirstWithAnOpaqueCursor) {
  Persona second = AddUser("council.mei", "council");
  Persona third = AddUser("council.ana", "council");
  const std::string ballot = CreateBallot();
  for (const Persona* who : {&council, &second, &third}) {
    ASSERT_EQ(Fire(ballot, who->token, "vote", J(R"({"choice":"approve"})")).status, 200);
  }
  const std::string path = "/api/v1/instances/" + ballot + "/history";
  HttpReply all = Get(path, sec.token);  // create, three votes, close
  ASSERT_EQ(all.status, 200) << all.body;
  ASSERT_EQ(all.json().Get("items")->size(), 5u);
  EXPECT_TRUE(all.json().Get("next_cursor")->is_null());
  std::vector<int64_t> want, got;
  for (const Json& e : all.json().Get("items")->AsArray()) want.push_back(e.GetInt("seq"));
  std::string query = "?limit=2";
  std::vector<size_t> sizes;
  for (int page = 0; page < 5; ++page) {
    HttpReply r = Get(path + query, sec.token);
    ASSERT_EQ(r.status, 200) << r.body;
    sizes.push_back(r.json().Get("items")->size());
    for (const Json& e : r.json().Get("items")->AsArray()) got.push_back(e.GetInt("seq"));
    if (r.json().Get("next_cursor")->is_null()) break;
    query = "?limit=2&cursor=" + r.json().GetString("next_cursor");
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 2, 1}));
  EXPECT_EQ(got, want);
  for (const char* bad : {"?limit=0", "?limit=201", "?cursor=bogus", "?since=1"}) {
    HttpReply r = Get(path + bad, sec.token);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.code(), "invalid_request") << bad;
  }
}

TEST_F(InstancesApiTest, AHistoryPageSkipsWhatBallotSecrecyHidesAndEndsWithTheLastReadableEntry) {
  const std::string a = CreateRso("ARSO");
  Persona liaison = AddUser("liaison.a", "rso_liaison", a);
  const std::string ballot = ReferToCouncil(a);
  ASSERT_FALSE(ballot.empty());
  ASSERT_EQ(Fire(ballot, council.token, "vote", J(R"({"choice":"approve"})")).status, 200);
  // Of create, vote and close the liaison reads only the close: one page, and no next one.
  HttpReply r = Get("/api/v1/instances/" + ballot + "/history?limit=1", liaison.token);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json().Get("items")->size(), 1u);
  EXPECT_EQ(r.json().Get("items")->AsArray()[0].GetString("event"), "close");
  EXPECT_TRUE(r.json().Get("next_cursor")->is_null()) << r.body;
}

TEST_F(InstancesApiTest, HistoryOfAnOpenBallotHidesTheCommentOfAnotherMembersVote) {
  Persona second = AddUser("council.mei", "council");
  const std::string ballot = CreateBallot();
  ASSERT_EQ(Fire(ballot, council.token, "vote", J(R"({"choice":"reject"})"),
                 "I reject: the budget is too high")
                .status,
            200);
  for (const Persona* viewer : {&second, &sec}) {
    HttpReply r = Get("/api/v1/instances/" + ballot + "/history", viewer->token);
    ASSERT_EQ(r.status, 200);
    const Json vote = r.json().Get("items")->AsArray()[1];
    EXPECT_EQ(vote.GetString("event"), "vote");
    // The secretariat knows who voted; another Council member only that someone did.
    if (viewer == &sec) {
      EXPECT_EQ(vote.Get("actor")->GetString("username"), "council.lena");
    } else {
      EXPECT_TRUE(vote.Get("actor")->Get("username")->is_null());
      EXPECT_TRUE(vote.Get("actor")->Get("user_id")->is_null());
      EXPECT_EQ(vote.Get("actor")->GetString("role"), "council");
      EXPECT_EQ(r.body.find("council.lena"), std::string::npos);
    }
    EXPECT_TRUE(vote.Get("comment")->is_null()) << viewer->username;
    EXPECT_EQ(r.body.find("reject"), std::string::npos) << viewer->username;
  }
  HttpReply own = Get("/api/v1/instances/" + ballot + "/history", council.token);
  EXPECT_EQ(own.json().Get("items")->AsArray()[1].GetString("comment"),
            "I reject: the budget is too high");
}

TEST_F(InstancesApiTest, AuditorReadsEveryVoteOfAnOpenBallotInItsHistory) {
  AddUser("council.mei", "council");
  const std::string ballot = CreateBallot();
  ASSERT_EQ(Fire(ballot, council.token, "vote", J(R"({"choice":"abstain"})")).status, 200);
  HttpReply r = Get("/api/v1/instances/" + ballot + "/history", auditor.token);
  ASSERT_EQ(r.status, 200);
  const Json vote = r.json().Get("items")->AsArray()[1];
  EXPECT_EQ(vote.Get("data")->GetString("choice"), "abstain");
  EXPECT_FALSE(vote.Has("redacted"));
  // ... while the ballot itself still shows the auditor only the tally (DESIGN 4.2).
  EXPECT_FALSE(
      Get("/api/v1/instances/" + ballot, auditor.token).json().Get("data")->Has("roll_call"));
}

TEST_F(InstancesApiTest, LiaisonReadsOnlyTheOutcomeAndResolutionOfABallotAboutItsRso) {
  const std::string a = CreateRso("ARSO");
  Persona liaison = AddUser("liaison.a", "rso_liaison", a);
  const std::string ballot = ReferToCouncil(a);
  ASSERT_FALSE(ballot.empty());
  ASSERT_EQ(Get("/api/v1/instances/" + ballot, liaison.token).status, 200);
  HttpReply open = Get("/api/v1/instances/" + ballot + "/history", liaison.token);
  ASSERT_EQ(open.status, 200);
  EXPECT_EQ(open.json().Get("items")->size(), 0u) << open.body;

  ASSERT_EQ(Fire(ballot, council.token, "vote", J(R"({"choice":"approve"})"),
                 "Known to me from the regional forum")
                .status,
            200);  // the only eligible member: the ballot closes
  HttpReply closed = Get("/api/v1/instances/" + ballot + "/history", liaison.token);
  ASSERT_EQ(closed.status, 200);
  const auto& items = closed.json().Get("items")->AsArray();
  ASSERT_EQ(items.size(), 1u) << closed.body;
  EXPECT_EQ(items[0].GetString("event"), "close");
  EXPECT_EQ(items[0].GetString("to_state"), "approved");
  const std::string resolution =
      Get("/api/v1/rsos/" + a, liaison.token).json().GetString("resolution");
  ASSERT_FALSE(resolution.empty());
  EXPECT_EQ(items[0].Get("data")->Dump(),
            R"({"outcome":"approved","resolution":")" + resolution + R"("})");
  EXPECT_TRUE(items[0].Get("comment")->is_null());
  EXPECT_EQ(closed.body.find("council.lena"), std::string::npos) << closed.body;
  EXPECT_EQ(closed.body.find("regional forum"), std::string::npos);
  EXPECT_EQ(closed.body.find("choice"), std::string::npos);
  // The secretariat still reads the whole history of the closed ballot.
  EXPECT_EQ(Get("/api/v1/instances/" + ballot + "/history", sec.token).json().Get("items")->size(),
            3u);
}

TEST_F(InstancesApiTest, DiagramsHighlightTheCurrentState) {
  const std::string rec = RecognitionOf(CreateRso("ARSO"));
  HttpReply mermaid = Get("/api/v1/instances/" + rec + "/diagram", sec.token);
  ASSERT_EQ(mermaid.status, 200);
  EXPECT_EQ(mermaid.header("Content-Type").rfind("text/plain", 0), 0u);
  EXPECT_NE(mermaid.body.find("stateDiagram-v2"), std::string::npos);
  EXPECT_NE(mermaid.body, Get("/api/v1/workflows/rso_recognition/diagram", sec.token).body);
  HttpReply dot = Get("/api/v1/instances/" + rec + "/diagram?format=dot", sec.token);
  EXPECT_NE(dot.body.find("digraph"), std::string::npos);
  EXPECT_EQ(Get("/api/v1/instances/" + rec + "/diagram?format=png", sec.token).status, 400);
}

TEST_F(InstancesApiTest, WorkflowsDescribeAllFourMachines) {
  HttpReply r = Get("/api/v1/workflows", admin.token);
  ASSERT_EQ(r.status, 200);
  std::vector<std::string> names;
  for (const Json& w : r.json().AsArray()) {
    names.push_back(w.GetString("name"));
    for (const char* key : {"version", "title", "states", "events", "transitions"}) {
      EXPECT_TRUE(w.Has(key)) << key;
    }
  }
  EXPECT_EQ(names, (std::vector<std::string>{"council_ballot", "momentum_plan",
                                             "partnership_initiative", "rso_recognition"}));
  EXPECT_EQ(Get("/api/v1/workflows/nope/diagram", sec.token).status, 404);
  EXPECT_NE(
      Get("/api/v1/workflows/momentum_plan/diagram?format=dot", sec.token).body.find("digraph"),
      std::string::npos);
  EXPECT_EQ(Get("/api/v1/workflows/momentum_plan/diagram?format=png", sec.token).status, 400);
}

TEST_F(InstancesApiTest, InboxShowsWhatWaitsForTheCallerMostUrgentFirst) {
  const std::string a = CreateRso("ARSO");
  Persona liaison = AddUser("liaison.a", "rso_liaison", a);
  const std::string rec = RecognitionOf(a);
  const std::string late = CreateBallot("Late ballot");
  clock.Advance(std::chrono::hours(1));
  Json early_body = J(R"({"title":"Early","question":"Q?"})");
  early_body.Set("deadline", FormatTime(clock.NowMs() + 3 * kMsPerDay));  // the shortest allowed
  const std::string early = Post("/api/v1/ballots", sec.token, early_body).json().GetString("id");

  auto inbox = [&](const Persona& who) {
    HttpReply r = Get("/api/v1/inbox", who.token);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    for (const Json& i : r.json().Get("items")->AsArray())
      ids.push_back(i.GetString("instance_id"));
    return ids;
  };
  EXPECT_EQ(inbox(council), (std::vector<std::string>{early, late}));
  EXPECT_EQ(inbox(liaison), (std::vector<std::string>{rec}));
  EXPECT_EQ(inbox(auditor), (std::vector<std::string>{}));
  ASSERT_EQ(Fire(early, council.token, "vote", J(R"({"choice":"approve"})")).status, 200);
  EXPECT_EQ(inbox(council), (std::vector<std::string>{late}));

  clock.Advance(std::chrono::hours(24 * 8));  // the late ballot's deadline has passed
  HttpReply r = Get("/api/v1/inbox", sec.token);
  const auto& items = r.json().Get("items")->AsArray();
  ASSERT_GE(items.size(), 2u);
  EXPECT_EQ(items[0].GetString("instance_id"), late);
  EXPECT_TRUE(items[0].GetBool("overdue"));
  EXPECT_FALSE(items[1].GetBool("overdue"));
  EXPECT_EQ(items[0].Get("allowed_events")->Dump(), R"(["cancel","close","extend"])");
}

TEST_F(InstancesApiTest, InboxPagesInItsUrgencyOrderWithAnOpaqueCursor) {
  // Created in one order, due in the reverse one; one of them already past its deadline.
  std::vector<std::string> by_due;
  for (int i = 0; i < 4; ++i) {
    Json body = J(R"({"question":"Q?"})");
    body.Set("title", "Ballot " + std::to_string(i));
    body.Set("deadline", FormatTime(clock.NowMs() + (10 - i) * kMsPerDay));
    HttpReply r = Post("/api/v1/ballots", sec.token, body);
    ASSERT_EQ(r.status, 201) << r.body;
    by_due.insert(by_due.begin(), r.json().GetString("id"));
  }
  Json soon = J(R"({"title":"Soon","question":"Q?"})");
  soon.Set("deadline", FormatTime(clock.NowMs() + 3 * kMsPerDay));  // the shortest allowed
  const std::string overdue = Post("/api/v1/ballots", sec.token, soon).json().GetString("id");
  clock.Advance(std::chrono::hours(73));
  by_due.insert(by_due.begin(), overdue);

  HttpReply whole = Get("/api/v1/inbox", council.token);
  ASSERT_EQ(whole.status, 200) << whole.body;
  EXPECT_TRUE(whole.json().Get("next_cursor")->is_null());
  std::vector<std::string> all;
  for (const Json& i : whole.json().Get("items")->AsArray())
    all.push_back(i.GetString("instance_id"));
  EXPECT_EQ(all, by_due);

  std::vector<std::string> paged;
  std::vector<size_t> sizes;
  std::string query = "?limit=2";
  for (int page = 0; page < 5; ++page) {
    HttpReply r = Get("/api/v1/inbox" + query, council.token);
    ASSERT_EQ(r.status, 200) << r.body;
    sizes.push_back(r.json().Get("items")->size());
    for (const Json& i : r.json().Get("items")->AsArray())
      paged.push_back(i.GetString("instance_id"));
    if (r.json().Get("next_cursor")->is_null()) break;
    query = "?limit=2&cursor=" + r.json().GetString("next_cursor");
  }
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 2, 1}));
  EXPECT_EQ(paged, by_due);

  // An instance list's cursor is not an inbox cursor.
  const std::string list_cursor =
      Get("/api/v1/instances?limit=1", sec.token).json().GetString("next_cursor");
  const std::vector<std::string> bad_queries = {"?limit=0", "?limit=201", "?cursor=bogus",
                                                "?cursor=" + list_cursor, "?state=open"};
  for (const std::string& bad : bad_queries) {
    HttpReply r = Get("/api/v1/inbox" + bad, council.token);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(r.code(), "invalid_request") << bad;
  }
}

}  // namespace
}  // namespace rsoflow::testing
