"""The register of Council resolutions: the secretariat records a decision the Council took in
session about SMIIC (waiting in council_review in the sample data); SMIIC is recognized with
that number, its open ballot cancelled, and SMIIC's liaison reads the decision in the register."""
import datetime

import harness
from harness import Journey


class Resolutions(Journey):
    def test_a_session_decision_recorded_in_the_register_recognizes_the_rso(self):
        today = datetime.datetime.now(datetime.timezone.utc).date()
        number = "77/%d" % today.year
        smiic = next(r for r in self.server.api("sec.amina", "/rsos?limit=200")["items"]
                     if r["acronym"] == "SMIIC")
        self.assertEqual(smiic["status"], "council_review")
        ballots = self.server.api(
            "sec.amina", "/instances?workflow=council_ballot&active=true&rso_id=" + smiic["id"])
        ballot = ballots["items"][0]["id"]
        recognition = self.server.api("sec.amina", "/instances/" + smiic["recognition_instance_id"])

        self.sign_in("sec.amina")
        self.follow("Resolutions")
        self.wait_hash(r"#/resolutions")
        self.wait_text("Record a decision taken in session")

        # A number the Council does not write is refused beside the form, before any request.
        self.fill("Resolution number", "77-%d" % today.year)
        self.press("Record the decision")
        self.wait_text("Enter the number as N/YYYY")

        self.fill("Resolution number", number)
        date = self.field("Decided on")
        self.driver.execute_script("arguments[0].value = arguments[1];", date, today.isoformat())
        self.fill("Decision", "Recognition of SMIIC as a regional standards organization")
        self.choose("Outcome", "Approved")
        self.choose("Recognition decided", recognition["title"])
        self.press("Record the decision")
        self.wait_text("Resolution %s is recorded in the register." % number)

        register = self.server.api("sec.amina", "/resolutions")["items"]
        recorded = next(r for r in register if r["number"] == number)
        self.assertEqual((recorded["source"], recorded["outcome"], recorded["rso_id"]),
                         ("session", "approved", smiic["id"]))
        after = self.server.api("sec.amina", "/rsos/" + smiic["id"])
        self.assertEqual((after["status"], after["resolution"]), ("recognized", number))
        self.assertEqual(self.server.api("sec.amina", "/instances/" + ballot)["state"], "cancelled")

        # SMIIC's liaison reads the decision in its register, and only its RSO's decisions.
        self.press("Sign out")
        self.sign_in("liaison.smiic")
        self.follow("Resolutions")
        self.wait_text(number)
        self.wait_text("Session")
        mine = self.server.api("liaison.smiic", "/resolutions")["items"]
        self.assertTrue(mine)
        self.assertTrue(all(r["rso_id"] == smiic["id"] for r in mine))


if __name__ == "__main__":
    harness.main()
