"""Documents as evidence (issue 18): the secretariat attaches a letter to a returned dossier on
the recognition's page (pressing Attach with no file first is refused in words); the document is
listed and downloads with its bytes; a PNG named .pdf is refused and nothing is stored; the
SMIIC ballot shows the two documents its referral froze."""
import os
import tempfile
import urllib.request

import harness
from harness import Journey


class Documents(Journey):
    def write(self, name, data):
        path = os.path.join(self.files, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def setUp(self):
        super().setUp()
        self.files = tempfile.mkdtemp(prefix="rsoflow-documents-")

    def test_the_secretariat_attaches_a_letter_and_a_mislabelled_file_is_refused(self):
        rsos = self.server.api("sec.amina", "/rsos?limit=200")["items"]
        ecowas = next(r for r in rsos if r["acronym"] == "ECOWAS")
        recognition = next(i for i in self.server.api(
            "sec.amina", "/instances?workflow=rso_recognition&rso_id=" + ecowas["id"])["items"])
        self.assertEqual(recognition["state"], "returned")
        pdf = b"%PDF-1.4\n% a letter of the ECOWAS secretariat\n%%EOF\n"
        letter = self.write("ECOWAS-letter.pdf", pdf)
        png = self.write("scan.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)

        self.sign_in("sec.amina")
        self.open("/#/instances/" + recognition["id"])
        self.wait_text("No documents.")
        self.press("Attach")
        self.wait_text("Choose a file to attach")

        self.field("Attach a document").send_keys(letter)
        self.press("Attach")
        self.link("ECOWAS-letter.pdf")
        docs = self.server.api("sec.amina", "/instances/%s/documents" % recognition["id"])["items"]
        self.assertEqual([(d["filename"], d["media_type"], d["size"]) for d in docs],
                         [("ECOWAS-letter.pdf", "application/pdf", len(pdf))])
        request = urllib.request.Request(
            self.server.url + "/api/v1/documents/" + docs[0]["id"],
            headers={"Authorization": "Bearer " + self.server.token("sec.amina")})
        with urllib.request.urlopen(request) as answer:
            self.assertEqual(answer.read(), pdf)
            self.assertIn("attachment", answer.headers["Content-Disposition"])

        # A PNG named .pdf: the bytes are not what the name says; refused, nothing stored.
        self.field("Attach a document").send_keys(png)
        self.press("Attach")
        self.wait_text("scan.pdf was not accepted: attach a PDF, PNG, JPEG")
        self.assertEqual(len(self.server.api(
            "sec.amina", "/instances/%s/documents" % recognition["id"])["items"]), 1)

    def test_a_ballot_shows_the_documents_its_referral_froze(self):
        ballots = self.server.api("council.din", "/instances?workflow=council_ballot&state=open")
        smiic = next(b for b in ballots["items"] if "SMIIC" in b["title"]
                     or "Standards and Metrology Institute" in b["title"])
        self.sign_in("council.din")
        self.open("/#/ballots/" + smiic["id"])
        self.wait_text("SMIIC-statute-2010.pdf")
        self.wait_text("SMIIC-member-bodies.pdf")


if __name__ == "__main__":
    harness.main()
