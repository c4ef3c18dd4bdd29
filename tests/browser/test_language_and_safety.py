"""Russian on every page; writes without the CSRF header refused; text never runs as markup."""
import harness
from harness import Journey

MARKUP = '<img src=x onerror="window.__xss=1">'


class Russian(Journey):
    def test_the_language_switch_shows_the_inbox_and_a_ballot_in_russian_and_is_kept(self):
        self.sign_in("council.din")
        self.press("Русский")
        self.wait_text("Входящие")
        ballot = self.server.api("council.din", "/inbox")["items"][0]
        self.follow(ballot["title"])
        self.wait_text("Проголосовать")
        self.assertEqual(self.server.api("council.din", "/me")["language"], "ru")
        # Kept with the user: the next sign-in is in Russian too.
        self.driver.delete_all_cookies()
        self.sign_in_ru("council.din")
        self.wait_text("Входящие")

    def sign_in_ru(self, username):
        self.open("/")
        self.fill("Username", username)
        self.fill("Password", harness.PASSWORD)
        self.press("Sign in")


class Csrf(Journey):
    def test_a_write_with_the_cookie_but_without_the_csrf_header_is_refused(self):
        self.sign_in("sec.amina")
        before = self.server.api("auditor", "/audit/verify")["entries"]
        status = self.driver.execute_async_script("""
            const done = arguments[arguments.length - 1];
            fetch('/api/v1/rsos', {method: 'POST', credentials: 'same-origin',
              headers: {'Content-Type': 'application/json'},
              body: JSON.stringify({acronym: 'FORGED', name: 'Forged', kind: 'regional',
                region: 'Africa', member_bodies: ['KE', 'TZ']})})
              .then(r => r.json().then(j => done([r.status, j.code])));""")
        self.assertEqual(status, [403, "csrf_failed"])
        self.assertEqual(self.server.api("auditor", "/audit/verify")["entries"], before)
        acronyms = [r["acronym"] for r in self.server.api("sec.amina", "/rsos?limit=200")["items"]]
        self.assertNotIn("FORGED", acronyms)


class TextStaysText(Journey):
    def test_markup_in_titles_and_names_shows_as_characters_on_every_page(self):
        rso = self.server.api("sec.amina", "/rsos", "POST", {
            "acronym": "XSS", "name": "Standards " + MARKUP, "kind": "regional",
            "region": "Africa", "member_bodies": ["KE", "TZ"], "statutes_ref": MARKUP})
        ballot = self.server.api("sec.amina", "/ballots", "POST", {
            "title": "Ballot " + MARKUP, "question": "Shall " + MARKUP + " pass?",
            "deadline": "2099-01-01T00:00:00Z"})
        self.server.api("sec.amina", "/instances/%s/events" % ballot["id"], "POST", {
            "event": "extend", "comment": "Extended " + MARKUP,
            "data": {"deadline": "2099-02-01T00:00:00Z"}})
        pages = [("sec.amina", "/#/rsos", "Standards " + MARKUP),
                 ("sec.amina", "/#/rsos/" + rso["id"], "Standards " + MARKUP),
                 ("sec.amina", "/#/instances/" + rso["recognition_instance_id"], MARKUP),
                 ("sec.amina", "/#/ballots/" + ballot["id"], "Ballot " + MARKUP),
                 ("council.din", "/#/inbox", "Ballot " + MARKUP),
                 ("council.din", "/#/ballots/" + ballot["id"], "Shall " + MARKUP + " pass?"),
                 ("auditor", "/#/audit?instance_id=" + ballot["id"], "Extended " + MARKUP)]
        user = None
        for username, path, text in pages:
            if username != user:
                self.driver.delete_all_cookies()
                self.sign_in(username)
                user = username
            self.open(path)
            self.wait_text(text)
            self.assertEqual(self.driver.find_elements("css selector", "img[src='x']"), [], path)
            self.assertIsNone(self.driver.execute_script("return window.__xss"), path)


if __name__ == "__main__":
    harness.main()
