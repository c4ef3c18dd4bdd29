"""Mandates (issue 19): a Council member away next week gives a colleague a mandate for Council
ballots on the Mandates page (a mandate to itself is refused beside the form); the colleague
finds the absent member's ballot in its inbox marked "on behalf of", votes for them on the
ballot page after confirming, and the record names both: the vote is the absent member's, the
audit entry's actor the colleague."""
import datetime

import harness
from harness import Journey
from selenium.webdriver.common.by import By


class Mandates(Journey):
    def user_id(self, username):
        users = self.server.api("sec.amina", "/users?limit=200")["items"]
        return next(u["id"] for u in users if u["username"] == username)

    def set_date(self, label, value):
        el = self.field(label)
        self.driver.execute_script("arguments[0].value = arguments[1];", el, value)

    def test_a_council_member_gives_a_mandate_and_the_delegate_votes_on_its_behalf(self):
        absent, delegate = "council.abnt", "council.sabs"
        absent_id, delegate_id = self.user_id(absent), self.user_id(delegate)
        today = datetime.datetime.now(datetime.timezone.utc).date()
        ballots = self.server.api(absent, "/inbox")["items"]
        ballot = next(i for i in ballots if i["workflow"] == "council_ballot")

        self.sign_in(absent)
        self.follow("Mandates")
        self.wait_hash(r"#/mandates")
        self.wait_text("Your user ID is %s." % absent_id)
        self.wait_text("You have given no mandate.")

        # A mandate to oneself is refused, in words, beside the form.
        self.fill("Delegate’s user ID", absent_id)
        self.set_date("In force until", (today + datetime.timedelta(days=7)).isoformat())
        self.press("Give the mandate")
        self.wait_text("You cannot give a mandate to yourself")
        self.assertEqual(self.server.api(absent, "/mandates")["items"], [])

        self.fill("Delegate’s user ID", delegate_id)
        self.set_date("In force from", today.isoformat())
        self.set_date("In force until", (today + datetime.timedelta(days=7)).isoformat())
        self.field("Council ballot").click()
        self.fill("Reason", "Annual leave")
        self.press("Give the mandate")
        self.wait_text("The mandate has been given.")
        self.wait_text(delegate)
        given = self.server.api(absent, "/mandates?active=true")["items"]
        self.assertEqual(len(given), 1)
        self.assertEqual((given[0]["from_user_id"], given[0]["to_user_id"], given[0]["workflows"],
                          given[0]["reason"]),
                         (absent_id, delegate_id, ["council_ballot"], "Annual leave"))

        # The delegate's inbox lists the absent member's ballot on its behalf.
        self.press("Sign out")
        self.sign_in(delegate)
        self.wait_hash(r"#/inbox")
        self.wait_text("on behalf of %s" % absent_id)
        inbox = self.server.api(delegate, "/inbox")["items"]
        self.assertIn((ballot["instance_id"], absent_id),
                      [(i["instance_id"], i["on_behalf_of"]) for i in inbox])

        self.follow(ballot["title"])
        self.wait_text("Votes on behalf of others")
        section = self.wait(lambda d: d.find_element(By.ID, "ballot-on-behalf"),
                            "the votes on behalf of others")
        section.find_element(By.XPATH, ".//label[normalize-space()='Approve']").click()
        self.press("Vote on behalf of %s" % absent)
        self.wait_text("You are voting Approve on behalf of %s" % absent)
        self.press("Confirm the vote on behalf of %s" % absent)
        self.wait_text("The vote on behalf of %s has been recorded" % absent)

        # The vote is the absent member's; the delegate's own is still to cast.
        theirs = self.server.api(absent, "/instances/" + ballot["instance_id"])["data"]
        self.assertEqual(theirs["my_vote"], "approve")
        mine = self.server.api(delegate, "/instances/" + ballot["instance_id"])["data"]
        self.assertIsNone(mine["my_vote"])
        history = self.server.api("auditor", "/instances/%s/history" % ballot["instance_id"])
        # (The sample ballot has votes of its own; one more, cast by the delegate for the absent.)
        votes = [e for e in history["items"] if e["event"] == "vote"]
        self.assertEqual([(e["actor"]["user_id"], e["on_behalf_of"]) for e in votes
                          if e["on_behalf_of"] or e["actor"]["user_id"] == delegate_id],
                         [(delegate_id, absent_id)])
        self.assertTrue(self.server.api("auditor", "/audit/verify")["ok"])


if __name__ == "__main__":
    harness.main()
