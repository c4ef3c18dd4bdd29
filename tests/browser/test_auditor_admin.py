"""The auditor verifies the chain and downloads the CSV export; the admin disables a user, whose
open session fails at once."""
import glob
import os
import tempfile

import harness
from harness import Journey


class Auditor(Journey):
    def test_the_auditor_verifies_the_chain_and_downloads_the_csv_export(self):
        downloads = tempfile.mkdtemp(prefix="rsoflow-downloads-")
        self.driver.execute_cdp_cmd("Page.setDownloadBehavior",
                                    {"behavior": "allow", "downloadPath": downloads})
        self.sign_in("auditor")
        self.open("/#/audit")
        self.press("Verify the chain")
        self.wait_text("The chain is intact")
        verify = self.server.api("auditor", "/audit/verify")
        self.assertTrue(verify["ok"])
        self.wait_text(verify["head"]["hash"])

        self.follow("Download as CSV (spreadsheet)")
        self.wait(lambda d: [f for f in glob.glob(os.path.join(downloads, "*"))
                             if not f.endswith(".crdownload")], "the CSV file to arrive")
        path = glob.glob(os.path.join(downloads, "*"))[0]
        with open(path, encoding="utf-8") as f:
            rows = f.read().splitlines()
        self.assertIn("seq", rows[0])
        # One row per entry (no entry's fields hold a line break in the sample data).
        self.assertEqual(len(rows) - 1, verify["entries"])

    def test_the_auditor_reads_cycle_times_and_mean_times_on_the_reports_page(self):
        summary = self.server.api("auditor", "/reports/summary")
        cycles = [(r["region"], c) for r in summary["by_region"] for c in r["cycle_times"]]
        self.assertTrue(cycles, "the sample data has items that ended")
        self.sign_in("auditor")
        self.open("/#/reports")
        self.wait_text("Cycle times by region")
        self.wait_text("Items ended")
        self.wait_text("Mean time")


class Admin(Journey):
    def test_the_admin_disables_a_user_whose_open_session_then_fails_at_once(self):
        status, login, _ = self.server.request("POST", "/api/v1/auth/login", body={
            "username": "sec.lucas", "password": harness.PASSWORD})
        self.assertEqual(status, 200)
        session = login["token"]
        self.assertEqual(self.server.request("GET", "/api/v1/me", session)[0], 200)

        self.sign_in("admin")
        self.open("/#/admin/users")
        self.follow("sec.lucas")
        self.press("Disable user")
        self.wait_text("The user is disabled.")
        self.assertEqual(self.server.request("GET", "/api/v1/me", session)[0], 401)
        lucas = next(u for u in self.server.api("admin", "/users?limit=200")["items"]
                     if u["username"] == "sec.lucas")
        self.assertTrue(lucas["disabled"])


if __name__ == "__main__":
    harness.main()
