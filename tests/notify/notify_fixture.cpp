#include "tests/notify/notify_fixture.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace rsoflow::testing {

std::unique_ptr<api::NotifyDispatcher> NotifyApiTest::Dispatcher(api::SmtpSettings smtp) {
  api::DispatcherOptions o;
  o.smtp = smtp;
  o.public_url = "https://rsoflow.example.org";
  return std::make_unique<api::NotifyDispatcher>(runtime->engine(), clock, o,
                                                 api::MakeHttpWebhookSender(true, 5000),
                                                 api::MakeSmtpMailSender(smtp, 5000));
}

std::string NotifyApiTest::AddWebhook(const std::string& url,
                                      const std::vector<std::string>& events) {
  Json body = Json::MakeObject();
  body.Set("url", url);
  Json list = Json::MakeArray();
  for (const auto& e : events) list.Push(e);
  body.Set("events", std::move(list));
  body.Set("secret", kSecret);
  HttpReply r = Post("/api/v1/webhooks", admin.token, body);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.json().GetString("id");
}

Json NotifyApiTest::Notifications(const std::string& token, const std::string& query) {
  HttpReply r = Get("/api/v1/me/notifications" + query, token);
  EXPECT_EQ(r.status, 200) << r.body;
  const Json* items = r.json().Get("items");
  return items != nullptr ? *items : Json::MakeArray();
}

Json NotifyApiTest::Deliveries(const std::string& webhook_id) {
  HttpReply r = Get("/api/v1/webhooks/" + webhook_id + "/deliveries", admin.token);
  EXPECT_EQ(r.status, 200) << r.body;
  const Json* items = r.json().Get("items");
  return items != nullptr ? *items : Json::MakeArray();
}

std::string HmacHex(const std::string& key, const std::string& text) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(text.data()), text.size(), mac, &len);
  std::string hex;
  char b[3];
  for (unsigned int i = 0; i < len; ++i) {
    snprintf(b, sizeof b, "%02x", mac[i]);
    hex += b;
  }
  return hex;
}

std::string DecodeQuotedPrintable(const std::string& text, bool q_word) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '=' && i + 2 < text.size() && text[i + 1] == '\r' && text[i + 2] == '\n') {
      i += 2;  // a soft line break
    } else if (c == '=' && i + 2 < text.size() && std::isxdigit(text[i + 1]) &&
               std::isxdigit(text[i + 2])) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (q_word && c == '_') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace rsoflow::testing
