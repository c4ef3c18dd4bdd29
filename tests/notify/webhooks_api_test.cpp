// Webhooks (API.md 1.1, "Notifications"): signed deliveries to a receiver on 127.0.0.1, the
// backoff on the fake clock, the delivery log and redelivery, refused private addresses and
// bad input.
#include "tests/notify/notify_fixture.h"

namespace rsoflow::testing {
namespace {

using WebhooksApiTest = NotifyApiTest;

// The v1 signature of a delivery checked as the documented recipe does (docs/API.md).
void ExpectSigned(const WebhookReceiver::Received& r, const std::string& secret) {
  const std::string header = r.headers.at("Rsoflow-Signature");
  ASSERT_EQ(header.rfind("t=", 0), 0u) << header;
  const size_t comma = header.find(",v1=");
  ASSERT_NE(comma, std::string::npos) << header;
  const std::string t = header.substr(2, comma - 2);
  EXPECT_EQ(header.substr(comma + 4), HmacHex(secret, t + "." + r.body));
}

TEST_F(WebhooksApiTest, AReceiverGetsEachSubscribedEventSignedWithItsSecret) {
  WebhookReceiver receiver;
  const std::string hook = AddWebhook(receiver.Url(), {"ballot.opened"});
  const std::string ballot = CreateBallot();
  auto dispatcher = Dispatcher();
  EXPECT_EQ(dispatcher->RunOnce(), 1);

  auto got = receiver.received();
  ASSERT_EQ(got.size(), 1u);
  const auto& r = got[0];
  EXPECT_EQ(r.path, "/hook");
  EXPECT_EQ(r.headers.at("Rsoflow-Event"), "ballot.opened");
  EXPECT_EQ(r.headers.at("Content-Type"), "application/json");
  ExpectSigned(r, kSecret);
  EXPECT_EQ(r.headers.at("Rsoflow-Signature").substr(0, 12),
            "t=" + std::to_string(clock.NowMs() / 1000));
  Json body = J(r.body);
  EXPECT_EQ(body.GetString("id"), r.headers.at("Rsoflow-Delivery"));
  EXPECT_EQ(body.GetString("type"), "ballot.opened");
  EXPECT_EQ(body.GetString("at"), FormatTime(clock.NowMs()));
  EXPECT_EQ(body.Get("instance")->GetString("id"), ballot);
  EXPECT_EQ(body.Get("instance")->GetString("state"), "open");
  EXPECT_FALSE(body.Get("instance")->Has("data")) << "a ballot's data holds its votes";
  EXPECT_GT(body.Get("audit")->GetInt("seq"), 0);
  EXPECT_EQ(body.Get("audit")->GetString("hash").size(), 64u);

  Json log = Deliveries(hook);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log.AsArray()[0].GetString("id"), r.headers.at("Rsoflow-Delivery"));
  EXPECT_EQ(log.AsArray()[0].GetString("status"), "delivered");
  EXPECT_EQ(log.AsArray()[0].GetInt("attempts"), 1);
  EXPECT_EQ(log.AsArray()[0].GetInt("last_status_code"), 200);
  EXPECT_TRUE(log.AsArray()[0].Get("next_attempt_at")->is_null());

  // Not subscribed: a vote is an instance.transitioned, which this webhook did not ask for.
  ASSERT_EQ(Fire(ballot, council.token, "vote", J(R"({"choice":"approve"})")).status, 200);
  EXPECT_EQ(dispatcher->RunOnce(), 0);
  EXPECT_EQ(receiver.received().size(), 1u);
}

TEST_F(WebhooksApiTest, AFailingReceiverIsTriedAgainAfter10SecondsThen20UntilItAnswers2xx) {
  WebhookReceiver receiver;
  receiver.AnswerWith(500);
  const std::string hook = AddWebhook(receiver.Url(), {"instance.created"});
  CreateBallot();
  auto dispatcher = Dispatcher();
  EXPECT_EQ(dispatcher->RunOnce(), 1);
  Json d = Deliveries(hook).AsArray()[0];
  EXPECT_EQ(d.GetString("status"), "pending");
  EXPECT_EQ(d.GetInt("attempts"), 1);
  EXPECT_EQ(d.GetInt("last_status_code"), 500);
  EXPECT_EQ(d.GetString("next_attempt_at"), FormatTime(clock.NowMs() + 10000));

  EXPECT_EQ(dispatcher->RunOnce(), 0) << "not before its time";
  clock.Advance(std::chrono::seconds(10));
  EXPECT_EQ(dispatcher->RunOnce(), 1);
  d = Deliveries(hook).AsArray()[0];
  EXPECT_EQ(d.GetInt("attempts"), 2);
  EXPECT_EQ(d.GetString("next_attempt_at"), FormatTime(clock.NowMs() + 20000));

  receiver.AnswerWith(204);
  clock.Advance(std::chrono::seconds(19));
  EXPECT_EQ(dispatcher->RunOnce(), 0);
  clock.Advance(std::chrono::seconds(1));
  EXPECT_EQ(dispatcher->RunOnce(), 1);
  d = Deliveries(hook).AsArray()[0];
  EXPECT_EQ(d.GetString("status"), "delivered");
  EXPECT_EQ(d.GetInt("attempts"), 3);
  EXPECT_EQ(d.GetInt("last_status_code"), 204);

  auto got = receiver.received();
  ASSERT_EQ(got.size(), 3u);
  for (const auto& r : got) {
    EXPECT_EQ(r.headers.at("Rsoflow-Delivery"), d.GetString("id")) << "the same delivery id";
    ExpectSigned(r, kSecret);
  }
}

TEST_F(WebhooksApiTest, ADeliveryNeverAnsweredIsFailedAfter24HoursAndCanBeRedelivered) {
  WebhookReceiver receiver;
  receiver.AnswerWith(503);
  const std::string hook = AddWebhook(receiver.Url(), {"instance.created"});
  CreateBallot();
  auto dispatcher = Dispatcher();
  int attempts = 0;
  for (int i = 0; i < 40; ++i) {
    attempts += dispatcher->RunOnce();
    Json d = Deliveries(hook).AsArray()[0];
    if (d.GetString("status") != "pending") break;
    clock.Set(*ParseTime(d.GetString("next_attempt_at")));
  }
  Json d = Deliveries(hook).AsArray()[0];
  EXPECT_EQ(d.GetString("status"), "failed");
  // 10 s doubling: the 14th wait (10 s * 2^13 = 22.8 h) would end after 24 h.
  EXPECT_EQ(attempts, 14);
  EXPECT_EQ(d.GetInt("attempts"), 14);
  EXPECT_LE(clock.NowMs() - kT0, 24LL * 3600 * 1000);

  receiver.AnswerWith(200);
  HttpReply again =
      Post("/api/v1/webhooks/" + hook + "/deliveries/" + d.GetString("id") + "/redeliver",
           admin.token, Json::MakeObject());
  EXPECT_EQ(again.status, 202) << again.body;
  EXPECT_EQ(dispatcher->RunOnce(), 1);
  EXPECT_EQ(Deliveries(hook).AsArray()[0].GetString("status"), "delivered");
}

TEST_F(WebhooksApiTest, ListingNeverShowsTheSecretAndDeletingStopsDeliveries) {
  WebhookReceiver receiver;
  const std::string hook = AddWebhook(receiver.Url(), {"instance.created"});
  HttpReply list = Get("/api/v1/webhooks", admin.token);
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.json().Get("items")->size(), 1u);
  EXPECT_FALSE(list.json().Get("items")->AsArray()[0].Has("secret"));
  EXPECT_EQ(list.body.find(kSecret), std::string::npos);
  CreateBallot();
  EXPECT_EQ(Delete("/api/v1/webhooks/" + hook, admin.token).status, 204);
  EXPECT_EQ(Dispatcher()->RunOnce(), 0);
  EXPECT_TRUE(receiver.received().empty());
  EXPECT_EQ(Get("/api/v1/webhooks", admin.token).json().Get("items")->size(), 0u);
  EXPECT_EQ(Delete("/api/v1/webhooks/" + hook, admin.token).status, 404);
}

TEST_F(WebhooksApiTest, AWebhookWithoutASecretGetsAGeneratedOneShownOnce) {
  HttpReply r = Post("/api/v1/webhooks", admin.token,
                     J(R"({"url":"http://127.0.0.1:9/x","events":["ballot.closed"]})"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json().GetString("secret").size(), 64u);
  EXPECT_EQ(r.json().GetString("url"), "http://127.0.0.1:9/x");
}

TEST_F(WebhooksApiTest, BadInputsAreRefusedNamingTheField) {
  struct Case {
    const char* body;
    const char* field;
  };
  for (const Case& c : std::vector<Case>{
           {R"({"events":["ballot.closed"]})", "url"},
           {R"({"url":"http://127.0.0.1:9/"})", "events"},
           {R"({"url":"ftp://127.0.0.1/x","events":["ballot.closed"]})", "url"},
           {R"({"url":"not a url","events":["ballot.closed"]})", "url"},
           {R"({"url":"http://user:pw@127.0.0.1/","events":["ballot.closed"]})", "url"},
           {R"({"url":42,"events":["ballot.closed"]})", "url"},
           {R"({"url":"http://127.0.0.1:9/","events":[]})", "events"},
           {R"({"url":"http://127.0.0.1:9/","events":"ballot.closed"})", "events"},
           {R"({"url":"http://127.0.0.1:9/","events":["ballot.exploded"]})", "events"},
           {R"({"url":"http://127.0.0.1:9/","events":["ballot.closed","ballot.closed"]})",
            "events"},
           {R"({"url":"http://127.0.0.1:9/","events":["ballot.closed"],"secret":"short"})",
            "secret"},
           {R"({"url":"http://127.0.0.1:9/","events":["ballot.closed"],"secret":""})", "secret"},
           {R"({"url":"http://127.0.0.1:9/","events":["ballot.closed"],"owner":"me"})", "owner"},
       }) {
    HttpReply r = Post("/api/v1/webhooks", admin.token, J(c.body));
    EXPECT_EQ(r.status, 400) << c.body;
    EXPECT_EQ(r.code(), "invalid_request") << c.body;
    const Json* fields = r.json().Get("fields");
    ASSERT_NE(fields, nullptr) << c.body;
    EXPECT_EQ(fields->AsArray()[0].AsString(), c.field) << c.body;
  }
  EXPECT_EQ(Get("/api/v1/webhooks?limit=0", admin.token).status, 400);
  EXPECT_EQ(Get("/api/v1/webhooks?x=1", admin.token).status, 400);
  EXPECT_EQ(Delete("/api/v1/webhooks/abc", admin.token).status, 404);
  EXPECT_EQ(Delete("/api/v1/webhooks/999", admin.token).status, 404);
  EXPECT_EQ(Get("/api/v1/webhooks/999/deliveries", admin.token).status, 404);
  const std::string hook = AddWebhook("http://127.0.0.1:9/", {"instance.created"});
  const std::string other = AddWebhook("http://127.0.0.1:9/other", {"instance.created"});
  CreateBallot();
  const std::string delivery = Deliveries(hook).AsArray()[0].GetString("id");
  EXPECT_EQ(Get("/api/v1/webhooks/" + hook + "/deliveries?cursor=%%", admin.token).status, 400);
  EXPECT_EQ(Post("/api/v1/webhooks/" + hook + "/deliveries/999/redeliver", admin.token,
                 Json::MakeObject())
                .status,
            404);
  EXPECT_EQ(Post("/api/v1/webhooks/" + other + "/deliveries/" + delivery + "/redeliver",
                 admin.token, Json::MakeObject())
                .status,
            404)
      << "another webhook's delivery";
}

class PrivateWebhooksRefusedTest : public NotifyApiTest {
 protected:
  PrivateWebhooksRefusedTest() { webhook_allow_private = false; }
};

TEST_F(PrivateWebhooksRefusedTest, AUrlOnAPrivateLoopbackOrLinkLocalHostIsRefused) {
  for (const char* url :
       {"http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/hook",
        "http://172.16.0.9/hook", "http://192.168.1.1/hook", "http://169.254.169.254/latest",
        "http://[::1]:8080/hook", "http://[fd00::1]/hook", "http://[::ffff:127.0.0.1]/hook",
        "http://0.0.0.0/hook", "https://100.64.0.1/hook"}) {
    Json body = J(R"({"events":["ballot.closed"]})");
    body.Set("url", url);
    HttpReply r = Post("/api/v1/webhooks", admin.token, body);
    EXPECT_EQ(r.status, 422) << url;
    EXPECT_EQ(r.code(), "guard_failed") << url;
    ASSERT_NE(r.json().Get("reason_codes"), nullptr) << url;
    EXPECT_EQ(r.json().Get("reason_codes")->AsArray()[0].AsString(), "webhook_private_address")
        << url;
  }
  EXPECT_EQ(Get("/api/v1/webhooks", admin.token).json().Get("items")->size(), 0u);
}

}  // namespace
}  // namespace rsoflow::testing
