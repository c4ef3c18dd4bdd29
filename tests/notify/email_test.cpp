// E-mail notifications (DESIGN 9) to a small SMTP server on 127.0.0.1: sent to users with an
// address, in their language, with a link to the instance's page; none to the others.
#include "tests/notify/notify_fixture.h"

namespace rsoflow::testing {
namespace {

using EmailTest = NotifyApiTest;

std::string Header(const std::string& data, const std::string& name) {
  const size_t at = data.find("\r\n" + name + ": ");
  const size_t from = at == std::string::npos ? data.find(name + ": ") : at + 2;
  if (from == std::string::npos || (at == std::string::npos && from != 0)) return "";
  const size_t value = from + name.size() + 2;
  return data.substr(value, data.find("\r\n", value) - value);
}

std::string Body(const std::string& data) {
  return DecodeQuotedPrintable(data.substr(data.find("\r\n\r\n") + 4));
}

TEST_F(EmailTest, AWaitingBallotIsMailedInEachMembersLanguageWithALinkToIt) {
  Persona ru = AddUser("council.ivan", "council");
  Persona silent = AddUser("council.nomail", "council");
  ASSERT_EQ(Patch("/api/v1/users/" + council.user_id, admin.token,
                  J(R"({"email":"lena@example.org"})"))
                .status,
            200);
  ASSERT_EQ(Patch("/api/v1/users/" + ru.user_id, admin.token,
                  J(R"({"email":"ivan@example.org","language":"ru"})"))
                .status,
            200);
  const std::string ballot = CreateBallot("Budget 2027");
  SmtpReceiver smtp;
  api::SmtpSettings settings;
  settings.host = "127.0.0.1";
  settings.port = smtp.port();
  settings.from = "rsoflow@example.org";
  EXPECT_EQ(Dispatcher(settings)->RunOnce(), 3) << "one look at each of the three notifications";

  auto sent = smtp.messages();
  ASSERT_EQ(sent.size(), 2u) << "none to the member without an address";
  std::map<std::string, SmtpReceiver::Message> by_to;
  for (const auto& m : sent) by_to[Header(m.data, "To")] = m;
  const std::string link = "https://rsoflow.example.org/#/instances/" + ballot;

  const auto& en = by_to.at("lena@example.org");
  EXPECT_EQ(en.mail_from, "<rsoflow@example.org>");
  EXPECT_EQ(Header(en.data, "From"), "rsoflow@example.org");
  EXPECT_EQ(DecodeQuotedPrintable(Header(en.data, "Subject"), true),
            "=?UTF-8?q?[rsoflow] Waiting for you: Open for voting: Budget 2027?=");
  EXPECT_NE(Body(en.data).find("Waiting for you: Open for voting"), std::string::npos);
  EXPECT_NE(Body(en.data).find(link), std::string::npos) << Body(en.data);

  const auto& ru_mail = by_to.at("ivan@example.org");
  EXPECT_NE(Header(ru_mail.data, "Content-Type").find("charset=UTF-8"), std::string::npos);
  EXPECT_NE(Body(ru_mail.data).find("Ожидает вашего действия: Открыто для голосования"),
            std::string::npos)
      << Body(ru_mail.data);
  EXPECT_NE(Body(ru_mail.data).find(link), std::string::npos);
  EXPECT_NE(DecodeQuotedPrintable(Header(ru_mail.data, "Subject"), true).find("Ожидает"),
            std::string::npos);

  EXPECT_EQ(Dispatcher(settings)->RunOnce(), 0) << "each sent once";
  (void)silent;
}

TEST_F(EmailTest, AnUnreachableSmtpServerIsTriedAgainLater) {
  ASSERT_EQ(Patch("/api/v1/users/" + council.user_id, admin.token,
                  J(R"({"email":"lena@example.org"})"))
                .status,
            200);
  CreateBallot();
  api::SmtpSettings settings;
  settings.from = "rsoflow@example.org";
  settings.host = "127.0.0.1";
  {
    SmtpReceiver closed;  // a port that was just free, now refusing
    settings.port = closed.port();
  }
  auto dispatcher = Dispatcher(settings);
  EXPECT_EQ(dispatcher->RunOnce(), 1);
  EXPECT_EQ(dispatcher->RunOnce(), 0) << "not again before 10 s";
  SmtpReceiver smtp;
  settings.port = smtp.port();
  clock.Advance(std::chrono::seconds(10));
  EXPECT_EQ(Dispatcher(settings)->RunOnce(), 1);
  EXPECT_EQ(smtp.messages().size(), 1u);
}

}  // namespace
}  // namespace rsoflow::testing
