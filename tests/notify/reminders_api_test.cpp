// Reminders (DESIGN 9): durable timers on the fake clock. A ballot reminds the members who
// have not voted 72 h and 24 h before its deadline; a momentum action reminds its RSO's
// liaisons and the secretariat 7 days before it falls due and when it becomes overdue; a
// returned dossier left untouched for 14 days reminds its liaison. Each fires once, and they
// survive a restart.
#include "engine/timer_scheduler.h"
#include "tests/notify/notify_fixture.h"

namespace rsoflow::testing {
namespace {

using RemindersApiTest = NotifyApiTest;

constexpr int64_t kHour = 3600 * 1000;

// Fires every timer due now, as the scheduler's thread would.
int FireDue(Runtime& rt, Clock& clock) {
  TimerScheduler timers(rt.engine(), clock);
  return timers.FireDue();
}

std::vector<std::string> Reminders(const Json& items) {
  std::vector<std::string> out;
  for (const Json& n : items.AsArray()) {
    if (n.GetString("type") == "reminder.due") out.push_back(n.GetString("text"));
  }
  return out;
}

TEST_F(RemindersApiTest, ABallotRemindsWhoHasNotVoted72And24HoursBeforeItsDeadlineOnceEach) {
  Persona voter = AddUser("council.ana", "council");
  WebhookReceiver receiver;
  AddWebhook(receiver.Url(), {"reminder.due"});
  const std::string ballot = CreateBallot();  // deadline: 7 days from now
  ASSERT_EQ(Fire(ballot, voter.token, "vote", J(R"({"choice":"approve"})")).status, 200);

  clock.Advance(std::chrono::milliseconds(4 * kMsPerDay - kHour));  // T-73 h
  FireDue(*runtime, clock);
  EXPECT_TRUE(Reminders(Notifications(council.token)).empty());

  clock.Advance(std::chrono::milliseconds(kHour));  // T-72 h
  EXPECT_EQ(FireDue(*runtime, clock), 1);
  EXPECT_EQ(Reminders(Notifications(council.token)),
            (std::vector<std::string>{"Reminder: due in 72 hours"}));
  EXPECT_TRUE(Reminders(Notifications(voter.token)).empty()) << "who voted is not reminded";
  EXPECT_EQ(FireDue(*runtime, clock), 0) << "fired once";

  // A restart keeps the next one.
  server->Stop();
  server.reset();
  runtime.reset();
  StartServer();
  clock.Advance(std::chrono::milliseconds(48 * kHour));  // T-24 h
  EXPECT_EQ(FireDue(*runtime, clock), 1);
  EXPECT_EQ(Reminders(Notifications(council.token)),
            (std::vector<std::string>{"Reminder: due in 24 hours", "Reminder: due in 72 hours"}));
  EXPECT_TRUE(Reminders(Notifications(voter.token)).empty());

  // The reminders did not move the ballot's own deadline (its due_at) earlier.
  EXPECT_EQ(Get("/api/v1/instances/" + ballot, council.token).json().GetString("due_at"),
            FormatTime(kT0 + 7 * kMsPerDay));

  Dispatcher()->RunOnce();
  auto got = receiver.received();
  ASSERT_EQ(got.size(), 2u);
  Json body = J(got[0].body);
  EXPECT_EQ(body.GetString("type"), "reminder.due");
  EXPECT_EQ(body.Get("instance")->GetString("id"), ballot);
  EXPECT_EQ(body.Get("reminder")->GetInt("hours"), 72);
}

TEST_F(RemindersApiTest, ABallotThatClosesEarlyRemindsNobody) {
  const std::string ballot = CreateBallot();
  ASSERT_EQ(Fire(ballot, council.token, "vote", J(R"({"choice":"reject"})")).status, 200);
  clock.Advance(std::chrono::milliseconds(7 * kMsPerDay));
  FireDue(*runtime, clock);
  EXPECT_TRUE(Reminders(Notifications(council.token)).empty());
}

TEST_F(RemindersApiTest, AReturnedDossierUntouchedFor14DaysRemindsItsLiaisonOnce) {
  const std::string rso = CreateRso("RSOA");
  Persona liaison = AddUser("liaison.a", "rso_liaison", rso);
  const std::string rec = RecognitionOf(rso);
  ASSERT_EQ(Fire(rec, sec.token, "submit").status, 200);
  ASSERT_EQ(Fire(rec, sec.token, "start_review").status, 200);
  ASSERT_EQ(
      Fire(rec, sec.token, "return_for_changes", Json::MakeObject(), "Add the statutes").status,
      200);
  clock.Advance(std::chrono::milliseconds(14 * kMsPerDay - 1));
  EXPECT_EQ(FireDue(*runtime, clock), 0);
  clock.Advance(std::chrono::milliseconds(1));
  EXPECT_EQ(FireDue(*runtime, clock), 1);
  EXPECT_EQ(Reminders(Notifications(liaison.token)),
            (std::vector<std::string>{"Reminder: untouched for 14 days (Returned for changes)"}));
  clock.Advance(std::chrono::milliseconds(30 * kMsPerDay));
  EXPECT_EQ(FireDue(*runtime, clock), 0);
  EXPECT_EQ(Reminders(Notifications(liaison.token)).size(), 1u);
}

TEST_F(RemindersApiTest, AMomentumActionRemindsItsRsosLiaisonsAndTheSecretariatBeforeAndWhenDue) {
  const std::string rso = CreateRso("ARSO");
  Recognize(rso);
  Persona liaison = AddUser("liaison.arso", "rso_liaison", rso);
  const std::string other_rso = CreateRso("CROSQ", "Americas");
  Persona other = AddUser("liaison.crosq", "rso_liaison", other_rso);
  Json plan = J(R"({"title":"Keep the momentum",
                    "actions":[{"title":"National follow-up","owner":"KEBS","due_on":"2026-05-01"}]})");
  plan.Set("rso_id", rso);
  plan.Set("iso_event_id", CreateIsoEvent({rso}));
  HttpReply created = Post("/api/v1/momentum-plans", sec.token, plan);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json().GetString("id");
  for (const char* event : {"submit", "approve", "start"}) {
    ASSERT_EQ(Fire(id, sec.token, event).status, 200) << event;
  }
  // kT0 is 2026-03-02 09:00 UTC: 2026-04-23 is more than 7 days before the action's day.
  clock.Advance(std::chrono::milliseconds(52 * kMsPerDay));
  FireDue(*runtime, clock);
  EXPECT_TRUE(Reminders(Notifications(liaison.token)).empty());

  clock.Advance(std::chrono::milliseconds(2 * kMsPerDay));  // 2026-04-25: within the 7 days
  EXPECT_GE(FireDue(*runtime, clock), 1);
  const std::vector<std::string> week = {"Reminder: due in 168 hours"};
  EXPECT_EQ(Reminders(Notifications(liaison.token)), week);
  EXPECT_EQ(Reminders(Notifications(sec.token)), week);
  EXPECT_TRUE(Reminders(Notifications(other.token)).empty()) << "another RSO's liaison";
  EXPECT_EQ(FireDue(*runtime, clock), 0) << "fired once";

  clock.Advance(std::chrono::milliseconds(7 * kMsPerDay));  // 2026-05-02: overdue
  EXPECT_GE(FireDue(*runtime, clock), 1);
  const std::vector<std::string> both = {"Reminder: overdue", "Reminder: due in 168 hours"};
  EXPECT_EQ(Reminders(Notifications(liaison.token)), both);
  EXPECT_EQ(Reminders(Notifications(sec.token)), both);
  EXPECT_EQ(Get("/api/v1/instances/" + id, sec.token).json().GetString("state"), "at_risk");
  EXPECT_EQ(FireDue(*runtime, clock), 0);
  EXPECT_EQ(Reminders(Notifications(liaison.token)).size(), 2u);
}

}  // namespace
}  // namespace rsoflow::testing
