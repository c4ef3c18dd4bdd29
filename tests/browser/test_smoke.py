"""Smoke: the app loads, a person signs in and sees their inbox."""
import harness
from harness import Journey


class SignIn(Journey):
    def test_a_council_member_signs_in_and_sees_the_inbox(self):
        self.sign_in("council.din")
        self.wait_hash(r"#/inbox")
        self.wait_text("Jonas Becker")


if __name__ == "__main__":
    harness.main()
