"""A Council reviewer's day: the open ballot in the inbox, a vote with confirmation, a recusal."""
import harness
from harness import Journey


class CouncilBallot(Journey):
    def open_ballot_from_inbox(self, username):
        inbox = self.server.api(username, "/inbox")["items"]
        ballot = next(i for i in inbox if i["workflow"] == "council_ballot")
        self.sign_in(username)
        self.wait_hash(r"#/inbox")
        self.follow(ballot["title"])
        self.wait_text(ballot["title"])
        self.wait_text("You have not voted yet.")
        return ballot

    def test_a_reviewer_votes_after_confirming_and_the_ballot_leaves_the_inbox(self):
        ballot = self.open_ballot_from_inbox("council.din")
        self.field("Approve").click()
        self.press("Vote")
        self.wait_text("Check your vote")
        self.wait_text("You are voting Approve")
        # Nothing is recorded until the vote is confirmed.
        data = self.server.api("council.din", "/instances/" + ballot["instance_id"])["data"]
        self.assertIsNone(data.get("my_vote"))
        self.press("Confirm vote")
        self.wait_text("Your vote has been recorded")
        data = self.server.api("council.din", "/instances/" + ballot["instance_id"])["data"]
        self.assertEqual(data["my_vote"]["choice"] if isinstance(data["my_vote"], dict)
                         else data["my_vote"], "approve")
        self.follow("Inbox")
        self.wait_hash(r"#/inbox")
        self.wait(lambda d: ballot["title"] not in self.page_text() and "Inbox" in self.page_text(),
                  "the ballot to leave the inbox")
        ids = [i["instance_id"] for i in self.server.api("council.din", "/inbox")["items"]]
        self.assertNotIn(ballot["instance_id"], ids)

    def test_going_back_from_the_confirmation_records_nothing(self):
        ballot = self.open_ballot_from_inbox("council.kebs")
        self.field("Reject").click()
        self.press("Vote")
        self.press("Go back")
        self.button("Vote")
        data = self.server.api("council.kebs", "/instances/" + ballot["instance_id"])["data"]
        self.assertIsNone(data.get("my_vote"))

    def test_another_reviewer_recuses_after_confirming(self):
        ballot = self.open_ballot_from_inbox("council.sac")
        self.press("Recuse myself")
        self.wait_text("Check your recusal")
        self.press("Confirm recusal")
        self.wait_text("Your recusal has been recorded")
        data = self.server.api("sec.amina", "/instances/" + ballot["instance_id"])["data"]
        council_sac = next(u for u in self.server.api("sec.amina", "/users?limit=200")["items"]
                           if u["username"] == "council.sac")
        self.assertIn(council_sac["id"], data["recused"])
        ids = [i["instance_id"] for i in self.server.api("council.sac", "/inbox")["items"]]
        self.assertNotIn(ballot["instance_id"], ids)


if __name__ == "__main__":
    harness.main()
