"""Notifications (issue 19): a Council member sees the unread count on the bell in the header,
opens the notifications (the ballots waiting for a vote, the ones that closed), marks them
read, and the bell's count goes; an admin adds a webhook on the Webhooks page (a private
address is refused in words, unless the server allows it as this one does), copies the secret
shown once, finds the delivery of the next event in the log, and sends it again."""
import os

import harness
from harness import Journey
from selenium.webdriver.common.by import By


class Notifications(Journey):
    @classmethod
    def setUpClass(cls):
        # The receiver of the test's webhook is on 127.0.0.1, which a server refuses by default.
        os.environ["RSOFLOW_WEBHOOK_ALLOW_PRIVATE"] = "true"
        try:
            super().setUpClass()
        finally:
            del os.environ["RSOFLOW_WEBHOOK_ALLOW_PRIVATE"]

    def bell_count(self):
        return self.driver.find_element(By.ID, "bell-count")

    def test_a_council_member_reads_the_notifications_and_the_bell_count_goes(self):
        member = "council.din"
        unread = self.server.api(member, "/me/notifications?unread=true&limit=100")["items"]
        self.assertTrue(unread, "the sample data leaves the member unread notifications")
        waiting = next(n for n in unread if n["type"] == "item.waiting")

        self.sign_in(member)
        self.wait(lambda d: self.bell_count().is_displayed() and
                  self.bell_count().text == str(len(unread)), "the bell to count %d" % len(unread))
        self.follow("Notifications")
        self.wait_hash(r"#/notifications")
        self.wait_text("Waiting for you: Open for voting")
        self.link(waiting["title"])
        self.press("Mark all as read")
        self.wait_text("Your notifications are marked as read.")
        self.wait(lambda d: not self.bell_count().is_displayed(), "the bell to show no count")
        self.assertEqual(self.server.api(member, "/me/notifications?unread=true")["items"], [])

    def test_an_admin_adds_a_webhook_and_redelivers_from_its_log(self):
        self.sign_in("admin")
        self.follow("Webhooks")
        self.wait_hash(r"#/admin/webhooks")
        self.wait_text("No webhook has been added.")

        # Nothing listens on port 9 of 127.0.0.1: each attempt fails and is logged.
        url = "http://127.0.0.1:9/rsoflow-events"
        self.fill("URL that receives the events", url)
        self.press("Add the webhook")
        self.wait_text("Choose at least one event")
        self.field("instance.transitioned").click()
        self.press("Add the webhook")
        self.wait_text("The webhook has been added")
        self.wait_text("Copy it now: it will not be shown again.")
        hooks = self.server.api("admin", "/webhooks")["items"]
        self.assertEqual([(h["url"], h["events"]) for h in hooks], [(url, ["instance.transitioned"])])
        self.assertNotIn("secret", hooks[0])

        # An event: the secretariat approves the initiative under review.
        review = self.server.api(
            "sec.amina", "/instances?workflow=partnership_initiative&state=under_review")["items"]
        self.server.api("sec.amina", "/instances/%s/events" % review[0]["id"], "POST",
                        {"event": "approve"})
        deliveries = "/webhooks/%s/deliveries" % hooks[0]["id"]
        self.wait(lambda d: self.server.api("admin", deliveries)["items"], "a delivery")

        self.driver.refresh()
        self.wait_text("Delivery log of " + url)
        self.wait_text("instance.transitioned")
        self.press("Redeliver")
        self.wait_text("The delivery will be sent again.")
        delivery = self.server.api("admin", deliveries)["items"][0]
        self.assertIn(delivery["status"], ("pending", "failed"))

        self.press("Remove the webhook " + url)
        self.wait_text("The webhook has been removed.")
        self.assertEqual(self.server.api("admin", "/webhooks")["items"], [])


if __name__ == "__main__":
    harness.main()
