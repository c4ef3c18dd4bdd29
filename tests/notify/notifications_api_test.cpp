// In-app notifications (API.md 1.1, "Notifications"; DESIGN 9): who is told, in the
// transition's own transaction, and the endpoints' answers to bad input.
#include "engine/timer_scheduler.h"
#include "tests/notify/notify_fixture.h"

namespace rsoflow::testing {
namespace {

using NotificationsApiTest = NotifyApiTest;

std::vector<std::string> Texts(const Json& items, const char* key) {
  std::vector<std::string> out;
  for (const Json& n : items.AsArray()) out.push_back(n.GetString(key));
  return out;
}

TEST_F(NotificationsApiTest, ABallotOpeningTellsEachEligibleMemberNewestFirstUntilRead) {
  Persona second = AddUser("council.ana", "council");
  const std::string first_ballot = CreateBallot("Budget 2027");
  const std::string second_ballot = CreateBallot("Budget 2028");

  Json mine = Notifications(council.token);
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(Texts(mine, "instance_id"), (std::vector<std::string>{second_ballot, first_ballot}));
  EXPECT_EQ(Texts(mine, "type"), (std::vector<std::string>{"item.waiting", "item.waiting"}));
  EXPECT_EQ(mine.AsArray()[0].GetString("title"), "Budget 2028");
  EXPECT_EQ(mine.AsArray()[0].GetString("text"), "Waiting for you: Open for voting");
  EXPECT_FALSE(mine.AsArray()[0].GetBool("read"));
  EXPECT_EQ(Notifications(second.token).size(), 2u);
  EXPECT_EQ(Notifications(sec.token).size(), 0u) << "who opened it is not told";

  const std::string older = mine.AsArray()[1].GetString("id");
  Json up_to = Json::MakeObject();
  up_to.Set("up_to_id", older);
  EXPECT_EQ(Post("/api/v1/me/notifications/read", council.token, up_to).status, 204);
  Json unread = Notifications(council.token, "?unread=true");
  ASSERT_EQ(unread.size(), 1u);
  EXPECT_EQ(unread.AsArray()[0].GetString("instance_id"), second_ballot);
  EXPECT_EQ(Notifications(second.token, "?unread=true").size(), 2u) << "only the caller's";

  Json page = Get("/api/v1/me/notifications?limit=1", council.token).json();
  ASSERT_EQ(page.Get("items")->size(), 1u);
  const std::string cursor = page.GetString("next_cursor");
  ASSERT_FALSE(cursor.empty());
  Json rest = Notifications(council.token, "?limit=1&cursor=" + cursor);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest.AsArray()[0].GetString("instance_id"), first_ballot);
}

TEST_F(NotificationsApiTest, AReturnedDossierTellsItsLiaisonInItsLanguage) {
  const std::string rso = CreateRso("RSOA");
  Persona liaison = AddUser("liaison.a", "rso_liaison", rso);
  Persona other = AddUser("liaison.b", "rso_liaison", CreateRso("RSOB"));
  ASSERT_EQ(Patch("/api/v1/me", liaison.token, J(R"({"language":"ru"})")).status, 200);
  const std::string rec = RecognitionOf(rso);
  ASSERT_EQ(Fire(rec, sec.token, "submit").status, 200);
  ASSERT_EQ(Fire(rec, sec.token, "start_review").status, 200);
  EXPECT_EQ(Notifications(liaison.token).size(), 0u);
  ASSERT_EQ(
      Fire(rec, sec.token, "return_for_changes", Json::MakeObject(), "Add the statutes").status,
      200);
  Json mine = Notifications(liaison.token);
  ASSERT_EQ(mine.size(), 1u);
  EXPECT_EQ(mine.AsArray()[0].GetString("instance_id"), rec);
  EXPECT_EQ(mine.AsArray()[0].GetString("text"),
            "Ожидает вашего действия: Возвращено на доработку");
  EXPECT_EQ(Notifications(other.token).size(), 0u) << "another RSO's liaison is not told";
}

TEST_F(NotificationsApiTest, ARolledBackTransitionWritesNoNotificationAndNoDelivery) {
  WebhookReceiver receiver;
  const std::string hook = AddWebhook(receiver.Url(), {"ballot.opened", "instance.created"});
  const int64_t audit_before = AuditCount();
  Engine& engine = runtime->engine();
  Command open;
  open.start_workflow = "council_ballot";
  open.actor = Actor{sec.user_id, sec.username, "secretariat", "", {}};
  open.data = J(R"({"title":"Rolled back","question":"Shall it?"})");
  open.data.Set("deadline", FormatTime(clock.NowMs() + 7 * kMsPerDay));
  // The ballot opens inside a write job that then fails: its savepoint is rolled back whole.
  auto job = engine
                 .SubmitJob([&engine, open](Store&) -> Result<Json> {
                   auto opened = engine.RunInJob(open);
                   if (!opened.ok()) return opened.status();
                   return Status::Unavailable("the job fails after the ballot opened");
                 })
                 .get();
  EXPECT_EQ(job.status().code(), Status::Code::kUnavailable);
  EXPECT_EQ(AuditCount(), audit_before);
  EXPECT_EQ(Notifications(council.token).size(), 0u);
  EXPECT_EQ(Deliveries(hook).size(), 0u);

  // The same command committed writes both.
  ASSERT_TRUE(engine.Execute(open).ok());
  EXPECT_EQ(Notifications(council.token).size(), 1u);
  EXPECT_EQ(Deliveries(hook).size(), 2u);  // instance.created and ballot.opened
}

TEST_F(NotificationsApiTest, ClosingABallotTellsItsElectorateAndTheSecretariat) {
  const std::string ballot = CreateBallot();
  ASSERT_EQ(Fire(ballot, council.token, "vote", J(R"({"choice":"approve"})")).status, 200);
  Json told = Notifications(sec.token);
  ASSERT_EQ(told.size(), 1u);
  EXPECT_EQ(told.AsArray()[0].GetString("type"), "ballot.closed");
  EXPECT_EQ(told.AsArray()[0].GetString("text"), "Council ballot closed: Approved");
  EXPECT_EQ(Texts(Notifications(council.token), "type"),
            (std::vector<std::string>{"ballot.closed", "item.waiting"}));
}

TEST_F(NotificationsApiTest, BadQueriesAndBodiesAreRefusedNamingTheField) {
  for (const char* q : {"?unread=yes", "?limit=0", "?limit=201", "?cursor=%%%", "?sort=at"}) {
    HttpReply r = Get(std::string("/api/v1/me/notifications") + q, council.token);
    EXPECT_EQ(r.status, 400) << q;
    EXPECT_EQ(r.code(), "invalid_request") << q;
  }
  for (const char* body : {R"({})", R"({"up_to_id":"abc"})", R"({"up_to_id":true})",
                           R"({"up_to_id":"0"})", R"({"up_to_id":"1","all":true})", R"([])"}) {
    HttpReply r = Post("/api/v1/me/notifications/read", council.token, J(body));
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(r.code(), "invalid_request") << body;
  }
  HttpReply r = Post("/api/v1/me/notifications/read", council.token, J(R"({"up_to_id":"x"})"));
  ASSERT_NE(r.json().Get("fields"), nullptr);
  EXPECT_EQ(r.json().Get("fields")->AsArray()[0].AsString(), "up_to_id");
}

}  // namespace
}  // namespace rsoflow::testing
