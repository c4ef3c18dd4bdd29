// A decision the Council takes in session racing the last vote of the ballot on the same
// recognition (issue 18): both reach the one writer, so one wins and the other is refused,
// and the register holds one number for the recognition, never two.
#include <thread>

#include "tests/api/api_fixture.h"

namespace rsoflow::testing {
namespace {

class ResolutionRaceTest : public ApiTest {};

TEST_F(ResolutionRaceTest, ASessionDecisionRacingTheLastVoteLeavesOneWinnerAndOneNumber) {
  constexpr int kRounds = 6;
  int session_won = 0, vote_won = 0;
  for (int round = 0; round < kRounds; ++round) {
    const std::string rso = CreateRso("RACE" + std::to_string(round));
    const std::string rec = RecognitionOf(rso);
    ASSERT_EQ(Fire(rec, sec.token, "submit").status, 200);
    ASSERT_EQ(Fire(rec, sec.token, "start_review").status, 200);
    ASSERT_EQ(Fire(rec, sec.token, "refer_to_council").status, 200);
    HttpReply open =
        Get("/api/v1/instances?workflow=council_ballot&active=true&rso_id=" + rso, sec.token);
    ASSERT_EQ(open.json().Get("items")->size(), 1u);
    const std::string ballot = open.json().Get("items")->AsArray()[0].GetString("id");

    Json decision = J(R"({"decided_on": "2026-03-02", "title": "Recognition decided in session",
                         "outcome": "approved"})");
    decision.Set("number", std::to_string(40 + round) + "/2026");
    decision.Set("subject_instance_id", rec);
    HttpReply vote, session;
    // The fixture's Council has one reviewer: this vote is the last and closes the ballot.
    std::thread voter(
        [&] { vote = Fire(ballot, council.token, "vote", J(R"({"choice":"approve"})")); });
    std::thread secretary([&] { session = Post("/api/v1/resolutions", sec.token, decision); });
    voter.join();
    secretary.join();

    const bool session_first = session.status == 201;
    if (session_first) {
      ++session_won;
      EXPECT_EQ(vote.status, 409) << vote.body;  // the ballot was cancelled
      EXPECT_EQ(vote.code(), "invalid_transition");
    } else {
      ++vote_won;
      EXPECT_EQ(vote.status, 200) << vote.body;
      EXPECT_EQ(session.status, 409) << session.body;  // the recognition no longer waits
      EXPECT_EQ(session.code(), "invalid_transition");
    }
    HttpReply r = Get("/api/v1/rsos/" + rso, sec.token);
    EXPECT_EQ(r.json().GetString("status"), "recognized");
    // The register holds exactly one number for this recognition: the winner's.
    int numbers = 0;
    std::string number;
    HttpReply reg = Get("/api/v1/resolutions?limit=200", sec.token);  // alive for the loop
    for (const Json& row : reg.json().Get("items")->AsArray()) {
      if (row.GetString("rso_id") != rso) continue;
      ++numbers;
      number = row.GetString("number");
      EXPECT_EQ(row.GetString("source"), session_first ? "session" : "ballot");
    }
    EXPECT_EQ(numbers, 1);
    EXPECT_EQ(r.json().GetString("resolution"), number);
  }
  EXPECT_EQ(session_won + vote_won, kRounds);
}

}  // namespace
}  // namespace rsoflow::testing
