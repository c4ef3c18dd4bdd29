// Reminders (DESIGN 9): durable timers on the fake clock. A ballot reminds the members who
// have not voted 72 h and 24 h before its deadline; a returned dossier left untouched for 14
// days reminds its liaison. Each fires once, and they survive a restart.
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

}  // namespace
}  // namespace rsoflow::testing
