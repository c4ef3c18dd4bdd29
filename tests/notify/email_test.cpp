// E-mail notifications (DESIGN 9) to a small SMTP server on 127.0.0.1: sent to users with an
// address, in their language, with a link to the instance's page; none to the others.
#include <sstream>

#include "tests/notify/notify_fixture.h"

namespace rsoflow::testing {
namespace {

using EmailTest = NotifyApiTest;

// A header's value, its folded lines joined.
std::string Header(const std::string& data, const std::string& name) {
  const std::string head = "\r\n" + data.substr(0, data.find("\r\n\r\n") + 2);
  const size_t at = head.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  std::string value;
  size_t from = at + 2 + name.size() + 2;
  for (;;) {
    const size_t eol = head.find("\r\n", from);
    value += head.substr(from, eol - from);
    if (eol + 2 >= head.size() || (head[eol + 2] != ' ' && head[eol + 2] != '\t')) break;
    from = eol + 2;
  }
  return value;
}

// A header as read: RFC 2047 Q words (=?UTF-8?q?...?=) decoded, adjacent ones joined.
std::string Decoded(const std::string& value) {
  std::string out;
  std::istringstream words(value);
  std::string w;
  bool last_encoded = false;
  while (words >> w) {
    const bool encoded = w.size() > 12 &&
                         (w.rfind("=?UTF-8?q?", 0) == 0 || w.rfind("=?UTF-8?Q?", 0) == 0) &&
                         w.compare(w.size() - 2, 2, "?=") == 0;
    if (!out.empty() && !(encoded && last_encoded)) out += ' ';
    out += encoded ? DecodeQuotedPrintable(w.substr(10, w.size() - 12), true) : w;
    last_encoded = encoded;
  }
  return out;
}

std::string Body(const std::string& data) {
  return DecodeQuotedPrintable(data.substr(data.find("\r\n\r\n") + 4));
}

TEST_F(EmailTest, AWaitingBallotIsMailedInEachMembersLanguageWithALinkToIt) {
  Persona ru = AddUser("council.ivan", "council");
  Persona silent = AddUser("council.nomail", "council");
  ASSERT_EQ(
      Patch("/api/v1/users/" + council.user_id, admin.token, J(R"({"email":"lena@example.org"})"))
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
  EXPECT_EQ(Dispatcher(settings)->RunOnce(), 2) << "the member without an address gets none";

  auto sent = smtp.messages();
  ASSERT_EQ(sent.size(), 2u) << "none to the member without an address";
  std::map<std::string, SmtpReceiver::Message> by_to;
  for (const auto& m : sent) by_to[Header(m.data, "To")] = m;
  const std::string link = "https://rsoflow.example.org/#/instances/" + ballot;

  ASSERT_TRUE(by_to.count("<lena@example.org>")) << sent[0].data;
  ASSERT_TRUE(by_to.count("<ivan@example.org>")) << sent[1].data;
  const auto& en = by_to.at("<lena@example.org>");
  EXPECT_EQ(en.mail_from, "<rsoflow@example.org>");
  EXPECT_EQ(Header(en.data, "From"), "rsoflow@example.org");
  EXPECT_EQ(Decoded(Header(en.data, "Subject")),
            "[rsoflow] Waiting for you: Open for voting: Budget 2027");
  EXPECT_NE(Body(en.data).find("Waiting for you: Open for voting"), std::string::npos);
  EXPECT_NE(Body(en.data).find(link), std::string::npos) << Body(en.data);

  const auto& ru_mail = by_to.at("<ivan@example.org>");
  EXPECT_NE(Header(ru_mail.data, "Content-Type").find("charset=UTF-8"), std::string::npos);
  EXPECT_NE(Body(ru_mail.data).find("Ожидает вашего действия: Открыто для голосования"),
            std::string::npos)
      << Body(ru_mail.data);
  EXPECT_NE(Body(ru_mail.data).find(link), std::string::npos);
  EXPECT_EQ(Decoded(Header(ru_mail.data, "Subject")),
            "[rsoflow] Ожидает вашего действия: Открыто для голосования: Budget 2027")
      << Header(ru_mail.data, "Subject");

  EXPECT_EQ(Dispatcher(settings)->RunOnce(), 0) << "each sent once";
  (void)silent;
}

TEST_F(EmailTest, AnUnreachableSmtpServerIsTriedAgainLater) {
  ASSERT_EQ(
      Patch("/api/v1/users/" + council.user_id, admin.token, J(R"({"email":"lena@example.org"})"))
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
