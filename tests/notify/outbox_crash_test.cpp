// The outbox under kill -9 (issue 19): a child process commits a transition whose webhook
// delivery is in the outbox and is killed with SIGKILL before anything delivers it. A new
// process on the same database delivers it, with the delivery id written at the commit.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api/notify_dispatcher.h"
#include "app/runtime.h"
#include "tests/notify/receivers.h"
#include "tests/support/harness.h"

namespace rsoflow::testing {
namespace {

constexpr const char* kCrashSecret = "the secret of the crash test";

// In the child: commits a webhook and a ballot that opens (its delivery is now in the outbox),
// then dies at once, without stopping anything.
[[noreturn]] void CommitThenDie(const std::string& db_path, const std::string& url) {
  FakeClock clock{kT0};
  auto rt = Runtime::Open(db_path, clock, false);
  if (!rt.ok()) _exit(2);
  Engine& engine = (*rt)->engine();
  WebhookRow hook;
  hook.url = url;
  hook.events = {"ballot.opened"};
  hook.secret = kCrashSecret;
  hook.created_at = kT0;
  hook.created_by = "1";
  auto added = engine
                   .SubmitJob([hook](Store& store) -> Result<Json> {
                     auto id = store.InsertWebhook(hook);
                     if (!id.ok()) return id.status();
                     return Json(*id);
                   })
                   .get();
  if (!added.ok()) _exit(3);
  UserRecord member;  // a ballot needs a Council to open
  member.username = "council.lena";
  member.display_name = "Lena";
  member.role = "council";
  member.password_hash = "not used";
  member.created_at = kT0;
  auto joined = engine
                    .SubmitJob([member](Store& store) -> Result<Json> {
                      auto id = store.InsertUser(member);
                      if (!id.ok()) return id.status();
                      return Json(*id);
                    })
                    .get();
  if (!joined.ok()) _exit(6);
  Command open;
  open.start_workflow = "council_ballot";
  open.actor = Actor{"1", "sec.amina", "secretariat", "", {}};
  open.data = J(R"({"title":"Budget 2027","question":"Shall it be approved?"})");
  open.data.Set("deadline", FormatTime(kT0 + 7 * kMsPerDay));
  if (!engine.Execute(open).ok()) _exit(4);
  kill(getpid(), SIGKILL);
  _exit(5);
}

TEST(NotificationOutbox, ADeliveryCommittedBeforeAKillIsDeliveredAfterTheRestartWithItsId) {
  TempDir dir;
  const std::string db_path = dir.File("outbox.db");
  // Forked while this process has one thread (a thread's lock held at the fork, say the
  // allocator's under ASan, would stay held in the child forever): the receiver starts after,
  // and its URL goes into the webhook once the child is dead (the delivery reads it then).
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) CommitThenDie(db_path, "http://127.0.0.1:9/not-yet");
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "exit code " << WEXITSTATUS(status);
  ASSERT_EQ(WTERMSIG(status), SIGKILL);
  WebhookReceiver receiver;
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(db_path.c_str(), &db), SQLITE_OK);
    const std::string sql = "UPDATE webhooks SET url = '" + receiver.Url() + "'";
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    EXPECT_EQ(sqlite3_changes(db), 1);
    sqlite3_close(db);
  }

  // The restart: the delivery waits in the outbox, as the commit left it.
  FakeClock clock{kT0 + 60 * 1000};
  auto rt = Runtime::Open(db_path, clock, false);
  ASSERT_TRUE(rt.ok()) << rt.status().ToString();
  auto pending = (*rt)->store().DueDeliveries(clock.NowMs(), 10);
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  const DeliveryRow committed = pending->front();
  EXPECT_EQ(committed.event, "ballot.opened");
  EXPECT_EQ(committed.attempts, 0);

  api::NotifyDispatcher dispatcher((*rt)->engine(), clock, api::DispatcherOptions(),
                                   api::MakeHttpWebhookSender(true, 5000), nullptr);
  EXPECT_EQ(dispatcher.RunOnce(), 1);
  auto got = receiver.received();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].headers.at("Rsoflow-Delivery"), std::to_string(committed.id));
  EXPECT_EQ(J(got[0].body).GetString("id"), std::to_string(committed.id));
  auto after = (*rt)->store().GetDelivery(committed.id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->status, "delivered");
  EXPECT_EQ(dispatcher.RunOnce(), 0) << "delivered once";
}

}  // namespace
}  // namespace rsoflow::testing
