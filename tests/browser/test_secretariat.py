"""The secretariat reviews a dossier: a refusal explained beside the form, a return with a
comment, a referral to the Council that lands on the new ballot."""
import harness
from harness import Journey


class SecretariatReview(Journey):
    def recognition_of(self, acronym):
        items = self.server.api("sec.amina", "/instances?workflow=rso_recognition&limit=200")
        return next(i for i in items["items"] if i["title"].endswith(acronym))

    def fire(self, event, comment=None):
        # The button reads as the API labels the event.
        event_label = self.server.api("sec.amina", "/labels?lang=en")["events"][event]
        self.press(event_label)
        if comment is not None:
            self.fill("Comment", comment)
        self.press("Confirm: " + event_label)

    def state_of(self, instance_id):
        return self.server.api("sec.amina", "/instances/" + instance_id)["state"]

    def wait_state(self, instance_id, state):
        self.wait(lambda d: self.state_of(instance_id) == state, "the state " + state)

    def test_a_return_needs_a_comment_and_a_referral_lands_on_the_new_ballot(self):
        rec = self.recognition_of("ECOWAS")  # returned for changes in the sample data
        self.sign_in("sec.amina")
        self.open("/#/instances/" + rec["id"])
        self.wait_text(rec["title"])
        self.fire("submit")
        self.wait_state(rec["id"], "submitted")
        self.fire("start_review")
        self.wait_state(rec["id"], "secretariat_review")

        # Without a comment: the refusal is shown and nothing changes.
        version = self.server.api("sec.amina", "/instances/" + rec["id"])["version"]
        self.fire("return_for_changes")
        # The engine's reason, as the API labels its code, beside the form.
        reason = self.server.api("sec.amina", "/labels?lang=en")["reasons"]["comment_required"]
        self.wait_text(reason)
        after = self.server.api("sec.amina", "/instances/" + rec["id"])
        self.assertEqual((after["state"], after["version"]), ("secretariat_review", version))

        # With one: returned, and the comment is in the history.
        self.fill("Comment", "Add the member list signed by each national body.")
        self.press("Confirm: " + self.server.api("sec.amina", "/labels?lang=en")["events"][
            "return_for_changes"])
        self.wait_state(rec["id"], "returned")
        history = self.server.api("sec.amina", "/instances/%s/history" % rec["id"])["items"]
        self.assertEqual(history[-1]["comment"], "Add the member list signed by each national body.")

        # Resubmitted, reviewed, referred: the page moves to the ballot it opened.
        self.open("/#/instances/" + rec["id"])
        self.fire("submit")
        self.wait_state(rec["id"], "submitted")
        self.fire("start_review")
        self.wait_state(rec["id"], "secretariat_review")
        self.fire("refer_to_council")
        match = self.wait_hash(r"#/ballots/(\d+)")
        ballot = self.server.api("sec.amina", "/instances/" + match.group(1))
        self.assertEqual(ballot["workflow"], "council_ballot")
        self.assertEqual(ballot["data"]["subject_instance_id"], rec["id"])
        self.assertEqual(self.state_of(rec["id"]), "council_review")
        self.wait_text(ballot["title"])


if __name__ == "__main__":
    harness.main()
