"""An RSO liaison: edits its own dossier, cannot reach another RSO, reports progress on a plan."""
import harness
from harness import Journey


class Liaison(Journey):
    def rso(self, acronym):
        return next(r for r in self.server.api("sec.amina", "/rsos?limit=200")["items"]
                    if r["acronym"] == acronym)

    def test_a_liaison_edits_the_dossier_of_its_returned_application(self):
        ecowas = self.rso("ECOWAS")
        self.server.api("admin", "/users", "POST", {
            "username": "liaison.ecowas", "display_name": "Ama Owusu (ECOWAS)",
            "role": "rso_liaison", "rso_id": ecowas["id"], "password": harness.PASSWORD})
        self.sign_in("liaison.ecowas")
        self.open("/#/rsos/" + ecowas["id"])
        self.wait_text(ecowas["name"])
        self.follow("Edit the dossier")
        self.fill("Website", "https://www.ecowas.int/standards")
        self.press("Save the dossier")
        self.wait_text("The dossier has been saved.")
        self.assertEqual(self.rso("ECOWAS")["website"], "https://www.ecowas.int/standards")

    def test_another_rsos_page_is_not_found_and_shows_none_of_its_data(self):
        cen = self.rso("CEN")
        self.sign_in("liaison.arso")
        self.open("/#/rsos/" + cen["id"])
        self.wait_text("Page not found")
        self.assertNotIn(cen["name"], self.page_text())
        self.open("/#/instances/" + cen["recognition_instance_id"])
        self.wait_text("Page not found")
        self.assertNotIn("CEN", self.page_text().replace("CENTRAL", ""))

    def test_a_liaison_reports_progress_on_a_plan_action(self):
        plan = next(i for i in self.server.api("liaison.arso", "/instances?workflow=momentum_plan")
                    ["items"] if "report_progress" in i["allowed_events"])
        action = next(a for a in plan["data"]["actions"] if a["status"] != "done")
        self.sign_in("liaison.arso")
        self.open("/#/instances/" + plan["id"])
        self.wait_text(action["title"])
        # Each action has its own progress form, found by the action's title.
        form = self.wait(lambda d: next(
            (f for f in d.find_elements("xpath", "//form[.//*[contains(normalize-space(), %s)]]"
                                        % harness.xpath_literal(action["title"]))
             if f.find_elements("xpath", ".//select")), False), "the action's progress form")
        from selenium.webdriver.support.ui import Select
        Select(form.find_element("xpath", ".//select")).select_by_visible_text("Done")
        form.find_element("xpath", ".//textarea").send_keys("Report sent to all 42 members.")
        form.find_element("xpath", ".//button[normalize-space()='Report progress']").click()
        self.wait(lambda d: next(a for a in self.server.api(
            "liaison.arso", "/instances/" + plan["id"])["data"]["actions"]
            if a["id"] == action["id"])["status"] == "done", "the action to be done")
        self.wait_text("Progress reported")


if __name__ == "__main__":
    harness.main()
