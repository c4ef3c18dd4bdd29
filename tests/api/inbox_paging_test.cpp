// The inbox read as the API serves it, page by page (issue 21: each page merges the ranges of
// the states a role acts in, read in urgency order from the cursor on). Whatever the page size,
// the pages put together are the whole inbox, in its order: overdue first, then by due time
// (undated last), then oldest first; a delegate's inbox walks its own and its delegators'.
#include <gtest/gtest.h>

#include <ostream>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

struct Listed {
  std::string id, on_behalf_of;
  bool overdue = false;
  int64_t due = 0;  // INT64_MAX: none
  bool operator==(const Listed& o) const { return id == o.id && on_behalf_of == o.on_behalf_of; }
};
void PrintTo(const Listed& l, std::ostream* os) {
  *os << l.id << (l.on_behalf_of.empty() ? "" : " for " + l.on_behalf_of)
      << (l.overdue ? " overdue" : "") << (l.due == INT64_MAX ? " undated" : "");
}

class InboxPagingTest : public ApiTest {
 protected:
  std::vector<Listed> Read(const Persona& who, int limit, int* pages = nullptr) {
    std::vector<Listed> out;
    std::string cursor;
    for (int page = 0; page < 500; ++page) {
      std::string path = "/api/v1/inbox?limit=" + std::to_string(limit);
      if (!cursor.empty()) path += "&cursor=" + cursor;
      HttpReply r = Get(path, who.token);
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) break;
      const Json::Array& items = r.json().Get("items")->AsArray();
      EXPECT_LE(static_cast<int>(items.size()), limit);
      for (const Json& i : items) {
        Listed l;
        l.id = i.GetString("instance_id");
        l.on_behalf_of = i.Get("on_behalf_of")->is_null() ? "" : i.GetString("on_behalf_of");
        l.overdue = i.GetBool("overdue");
        const Json* due = i.Get("due_at");
        l.due = due->is_null() ? INT64_MAX : *ParseTime(due->AsString());
        out.push_back(l);
      }
      if (pages != nullptr) *pages = page + 1;
      if (r.json().Get("next_cursor")->is_null()) break;
      EXPECT_EQ(static_cast<int>(items.size()), limit) << "a short page with a cursor";
      cursor = r.json().GetString("next_cursor");
    }
    return out;
  }

  std::string Ballot(int deadline_hours, const std::string& title) {
    Json body = J(R"({"question":"Q?"})");
    body.Set("title", title);
    body.Set("deadline", FormatTime(clock.NowMs() + int64_t{deadline_hours} * 3600 * 1000));
    HttpReply r = Post("/api/v1/ballots", sec.token, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().GetString("id");
  }

  // Every page size gives the whole inbox, in its order.
  void ExpectEveryPagingIsTheWhole(const Persona& who, size_t at_least) {
    const std::vector<Listed> whole = Read(who, 200);
    ASSERT_GE(whole.size(), at_least);
    for (size_t i = 1; i < whole.size(); ++i) {
      const Listed& a = whole[i - 1];
      const Listed& b = whole[i];
      EXPECT_LE(std::make_tuple(!a.overdue, a.due, std::stoll(a.id)),
                std::make_tuple(!b.overdue, b.due, std::stoll(b.id)))
          << who.username << ": " << a.id << " before " << b.id;
    }
    for (int limit : {1, 2, 3, 5, 8}) {
      SCOPED_TRACE(who.username + ", pages of " + std::to_string(limit));
      int pages = 0;
      EXPECT_EQ(Read(who, limit, &pages), whole);
      EXPECT_EQ(pages, static_cast<int>((whole.size() + limit - 1) / limit));
    }
  }
};

TEST_F(InboxPagingTest, EveryPageSizeWalksTheWholeInboxInItsOrderAcrossWorkflowsAndStates) {
  // RSOs in review, one recognized with an initiative and two momentum plans (a plan's overdue
  // comes from its data, not its due time), and ballots due at many times, some at the same.
  const std::string a = CreateRso("ARSO");
  Recognize(a);
  const std::string b = CreateRso("BRSO", "Asia-Pacific");
  const std::string c = CreateRso("CRSO", "Americas");
  ASSERT_FALSE(b.empty());
  ASSERT_FALSE(c.empty());
  Persona rosa = AddUser("council.rosa", "council");  // after the recognition's ballot
  Json initiative = J(R"({"type":"technical_assistance","title":"Training of trainers"})");
  initiative.Set("rso_id", a);
  ASSERT_EQ(Post("/api/v1/initiatives", sec.token, initiative).status, 201);
  const std::string event = CreateIsoEvent({a});
  for (const char* title : {"Follow-up A", "Follow-up B"}) {
    Json plan = J(R"({"actions":[{"title":"Adopt","owner":"ARSO","due_on":"2026-06-01"}]})");
    plan.Set("title", title);
    plan.Set("rso_id", a);
    plan.Set("iso_event_id", event);
    ASSERT_EQ(Post("/api/v1/momentum-plans", sec.token, plan).status, 201);
  }
  std::vector<std::string> ballots;
  for (int i = 0; i < 14; ++i) {
    ballots.push_back(
        Ballot(72 + (i * 37) % 200 + (i % 4 == 0 ? 0 : i), "Ballot " + std::to_string(i)));
    clock.Advance(std::chrono::minutes(7));
  }
  // Council votes on some; time passes beyond a few deadlines.
  for (size_t i = 0; i < ballots.size(); i += 3) {
    ASSERT_EQ(Fire(ballots[i], council.token, "vote", J(R"({"choice":"approve"})")).status, 200);
  }
  clock.Advance(std::chrono::hours(120));

  ExpectEveryPagingIsTheWhole(sec, 5);
  ExpectEveryPagingIsTheWhole(council, 5);
  ExpectEveryPagingIsTheWhole(rosa, 5);

  // The council member's inbox is the open ballots it has not voted on, neither more nor less.
  std::set<std::string> expected;
  HttpReply open =
      Get("/api/v1/instances?workflow=council_ballot&active=true&limit=200", sec.token);
  ASSERT_EQ(open.status, 200) << open.body;
  std::set<std::string> voted;
  for (size_t i = 0; i < ballots.size(); i += 3) voted.insert(ballots[i]);
  for (const Json& i : open.json().Get("items")->AsArray()) {
    if (!voted.count(i.GetString("id"))) expected.insert(i.GetString("id"));
  }
  std::set<std::string> listed;
  for (const Listed& l : Read(council, 200)) listed.insert(l.id);
  EXPECT_EQ(listed, expected);

  // A delegate's inbox: its own items and its delegator's, each page a part of the whole.
  Json mandate = J(R"({"starts_on":"2026-03-01","ends_on":"2026-04-30"})");
  mandate.Set("from_user_id", council.user_id);
  mandate.Set("to_user_id", rosa.user_id);
  HttpReply given = Post("/api/v1/mandates", council.token, mandate);
  ASSERT_EQ(given.status, 201) << given.body;
  const std::vector<Listed> delegate = Read(rosa, 200);
  size_t on_behalf = 0;
  for (const Listed& l : delegate) on_behalf += l.on_behalf_of == council.user_id ? 1 : 0;
  EXPECT_EQ(on_behalf, expected.size());
  for (int limit : {1, 2, 3, 7}) {
    SCOPED_TRACE("delegate, pages of " + std::to_string(limit));
    EXPECT_EQ(Read(rosa, limit), delegate);
  }
}

}  // namespace
}  // namespace rsoflow::testing
