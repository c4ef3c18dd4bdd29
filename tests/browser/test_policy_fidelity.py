"""The policy fidelity corrections (DESIGN 8) as people meet them: a referral that excludes the
Council members affiliated with the RSO (shown on the ballot with the reason) or, unticked, keeps
them; an initiative of the type "Other aspect of ISO activities" that needs a description."""
import harness
from harness import Journey

EXCLUDE = "Exclude Council members affiliated with this RSO"


class PolicyFidelity(Journey):
    def labels(self):
        return self.server.api("sec.amina", "/labels?lang=en")

    def user(self, username):
        return next(u for u in self.server.api("admin", "/users?limit=200")["items"]
                    if u["username"] == username)

    def register_for_review(self, acronym, name):
        """A new RSO with a complete dossier, submitted and under the secretariat's review."""
        rso = self.server.api("sec.amina", "/rsos", "POST", {
            "acronym": acronym, "name": name, "kind": "sub_regional", "region": "Africa",
            "member_bodies": ["KE", "TZ", "UG"], "statutes_ref": "Treaty art. 81"})
        rec = rso["recognition_instance_id"]
        for event in ("submit", "start_review"):
            self.server.api("sec.amina", "/instances/%s/events" % rec, "POST", {"event": event})
        return rso

    def refer(self, rso, untick=False):
        """Refers the recognition from its page; returns the ballot the page moved to."""
        self.sign_in("sec.amina")
        self.open("/#/instances/" + rso["recognition_instance_id"])
        event_label = self.labels()["events"]["refer_to_council"]
        self.press(event_label)
        box = self.field(EXCLUDE)
        self.assertTrue(box.is_selected(), "affiliated members are excluded by default")
        if untick:
            box.click()
            self.wait(lambda d: not self.field(EXCLUDE).is_selected(), "the box to be unticked")
        self.press("Confirm: " + event_label)
        match = self.wait_hash(r"#/ballots/(\d+)")
        return self.server.api("sec.amina", "/instances/" + match.group(1))

    def test_the_ballot_page_lists_the_affiliated_member_as_excluded_with_the_reason(self):
        rso = self.register_for_review("EACX", "East African Standards Exchange")
        din = self.user("council.din")
        self.server.api("admin", "/users/" + din["id"], "PATCH",
                        {"affiliated_rso_ids": din["affiliated_rso_ids"] + [rso["id"]]})
        ballot = self.refer(rso)
        self.assertEqual([x["user_id"] for x in ballot["data"]["exclusions"]], [din["id"]])
        self.wait_text("Excluded members")
        self.wait_text(self.labels()["reasons"]["affiliated_with_rso"])
        # Named as the ballot recorded them when it opened.
        self.assertIn("council.din", self.page_text())

    def test_a_referral_unticked_keeps_affiliated_members_and_the_audit_records_it(self):
        rso = self.register_for_review("SADCX", "Southern African Standards Exchange")
        kebs = self.user("council.kebs")
        self.server.api("admin", "/users/" + kebs["id"], "PATCH",
                        {"affiliated_rso_ids": kebs["affiliated_rso_ids"] + [rso["id"]]})
        ballot = self.refer(rso, untick=True)
        self.assertEqual(ballot["data"]["exclusions"], [])
        self.assertIs(ballot["data"]["exclude_affiliated"], False)
        self.wait_text("without excluding the Council members affiliated with the RSO")
        history = self.server.api(
            "sec.amina", "/instances/%s/history" % rso["recognition_instance_id"])["items"]
        self.assertEqual(history[-1]["event"], "refer_to_council")
        self.assertIs(history[-1]["data"]["exclude_affiliated"], False)

    def test_an_initiative_of_another_aspect_of_iso_activities_needs_a_description(self):
        self.sign_in("liaison.arso")
        self.open("/#/new/initiative")
        self.choose("Type of initiative", self.labels()["initiative_types"]["other"])
        self.fill("Title", "Secondment of an ARSO expert to ISO/TC 176")
        self.press("Propose the initiative")
        self.wait_text("Describe what the initiative covers")
        self.fill("Description", "A year with ISO/TC 176 to bring African practice to ISO 9001.")
        self.press("Propose the initiative")
        match = self.wait_hash(r"#/instances/(\d+)")
        inst = self.server.api("liaison.arso", "/instances/" + match.group(1))
        self.assertEqual((inst["workflow"], inst["data"]["type"]), ("partnership_initiative", "other"))


if __name__ == "__main__":
    harness.main()
