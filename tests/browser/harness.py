"""Browser journeys against a real `rsoflow serve` with the sample data set.

Each test class gets its own server on 127.0.0.1 (ephemeral port) over a freshly seeded
database, and one headless Chromium driven through chromium-driver, as Debian packages them.
Tests act as a person would: a field is found by its label, a button by its text; then the API
is asked (with a bearer token) what the action really changed. Waits poll with a deadline,
never sleep.

Run by ctest (tests/CMakeLists.txt) as:
  /usr/bin/python3 tests/browser/test_<journey>.py --rsoflow build/rsoflow
"""

import ctypes
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import (NoSuchElementException,
                                        StaleElementReferenceException,
                                        TimeoutException)
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PASSWORD = "demo-password-1"
WAIT_SECONDS = 15


def _binary():
    for i, arg in enumerate(sys.argv):
        if arg == "--rsoflow" and i + 1 < len(sys.argv):
            return os.path.abspath(sys.argv[i + 1])
    return os.environ.get("RSOFLOW_BIN", os.path.join(ROOT, "build", "rsoflow"))


def main():
    """unittest.main without our own --rsoflow argument."""
    argv = [sys.argv[0]]
    skip = False
    for arg in sys.argv[1:]:
        if skip:
            skip = False
            continue
        if arg == "--rsoflow":
            skip = True
            continue
        argv.append(arg)
    unittest.main(argv=argv, verbosity=2)


def _die_with_parent():
    # The server stops itself if this test process dies (PR_SET_PDEATHSIG = 1).
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    libc.prctl(1, signal.SIGTERM)


def xpath_literal(text):
    if "'" not in text:
        return "'" + text + "'"
    if '"' not in text:
        return '"' + text + '"'
    return "concat('" + text.replace("'", "',\"'\",'") + "')"


class Server:
    """rsoflow serve over a seeded copy of the sample data, on an ephemeral loopback port."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="rsoflow-browser-")
        self.db = os.path.join(self.dir, "rsoflow.db")
        self.log_path = os.path.join(self.dir, "serve.log")
        env = dict(os.environ)
        env["RSOFLOW_PBKDF2_ITERATIONS"] = "1000"
        env["RSOFLOW_DEMO_PASSWORD"] = PASSWORD
        for key in ("RSOFLOW_DB", "RSOFLOW_BIND", "RSOFLOW_PORT", "RSOFLOW_WEB_DIR"):
            env.pop(key, None)
        subprocess.run([_binary(), "seed", "--db", self.db, "--dataset",
                        os.path.join(ROOT, "samples", "dataset.json")],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        self.log = open(self.log_path, "w")
        command = [_binary(), "serve", "--db", self.db, "--bind", "127.0.0.1", "--port", "0"]
        # While working on the app: its files from the source tree, not the built-in copy.
        if os.environ.get("RSOFLOW_BROWSER_WEB_DIR"):
            command += ["--web-dir", os.environ["RSOFLOW_BROWSER_WEB_DIR"]]
        self.proc = subprocess.Popen(
            command,
            env=env, stdout=self.log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)
        self.port = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and self.port is None:
            if self.proc.poll() is not None:
                raise RuntimeError("rsoflow serve exited:\n" + open(self.log_path).read())
            with open(self.log_path) as log:
                m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", log.read())
            if m:
                self.port = int(m.group(1))
            else:
                # Poll the log with a deadline; meanwhile notice at once if the server exits.
                try:
                    self.proc.wait(timeout=0.05)
                except subprocess.TimeoutExpired:
                    pass
        if self.port is None:
            raise RuntimeError("rsoflow serve did not start:\n" + open(self.log_path).read())
        self.url = "http://127.0.0.1:%d" % self.port
        self._tokens = {}

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # --- the API, to check what the pages did ---
    def request(self, method, path, token=None, body=None, headers=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", "Bearer " + token)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=30) as res:
                raw = res.read()
                return res.status, (json.loads(raw) if raw and "json" in res.headers.get(
                    "Content-Type", "") else raw), res.headers
        except urllib.error.HTTPError as e:
            raw = e.read()
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = raw
            return e.code, parsed, e.headers

    def token(self, username):
        if username not in self._tokens:
            status, body, _ = self.request("POST", "/api/v1/auth/login",
                                           body={"username": username, "password": PASSWORD})
            assert status == 200, (status, body)
            self._tokens[username] = body["token"]
        return self._tokens[username]

    def api(self, username, path, method="GET", body=None):
        status, parsed, _ = self.request(method, "/api/v1" + path, self.token(username), body)
        assert status < 300, (method, path, status, parsed)
        return parsed


def _chromium():
    options = webdriver.ChromeOptions()
    for name in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.path.exists(name):
            options.binary_location = name
            break
    options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--disable-gpu")
    options.add_argument("--window-size=1280,900")
    options.add_argument("--lang=en-GB")
    options.add_argument("--no-proxy-server")
    options.add_experimental_option("prefs", {
        "download.default_directory": tempfile.gettempdir(),
        "intl.accept_languages": "en-GB,en"})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver")
    return webdriver.Chrome(service=service, options=options)


class Journey(unittest.TestCase):
    """A server and a browser for the test class; helpers that act as a person would."""

    server = None
    driver = None

    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        try:
            cls.driver = _chromium()
        except Exception:
            cls.server.stop()
            raise

    @classmethod
    def tearDownClass(cls):
        if cls.driver:
            cls.driver.quit()
        if cls.server:
            cls.server.stop()

    def setUp(self):
        # Each test starts signed out, in English.
        self.driver.delete_all_cookies()
        self.open("/")
        self.driver.execute_script("window.sessionStorage.clear(); window.localStorage.clear();")

    def tearDown(self):
        # On failure, leave a screenshot and the page's text for the log.
        if hasattr(self, "_outcome") and self._outcome is not None:
            errors = getattr(self._outcome, "errors", None) or []
            result = getattr(self._outcome, "result", None)
            failed = any(e for _, e in errors) or (
                result is not None and any(t is self for t, _ in
                                           result.failures + result.errors))
            if failed:
                path = os.path.join(tempfile.gettempdir(), "browser-%s.png" % self.id())
                self.driver.save_screenshot(path)
                print("\nscreenshot: %s\npage text:\n%s" % (path, self.page_text()[:3000]))

    # --- navigation and waiting ---
    def open(self, path):
        self.driver.get(self.server.url + path)

    def wait(self, condition, message="", seconds=WAIT_SECONDS):
        def safe(driver):
            try:
                return condition(driver)
            except (NoSuchElementException, StaleElementReferenceException):
                return False
        try:
            return WebDriverWait(self.driver, seconds, poll_frequency=0.05).until(safe)
        except TimeoutException:
            self.fail("waited %ss for: %s\npage text:\n%s" % (seconds, message,
                                                             self.page_text()[:3000]))

    def page_text(self):
        try:
            return self.driver.find_element(By.TAG_NAME, "body").text
        except Exception:
            return ""

    def wait_text(self, text, seconds=WAIT_SECONDS):
        self.wait(lambda d: text in self.page_text(), "the text %r" % text, seconds)

    def wait_hash(self, pattern):
        self.wait(lambda d: re.search(pattern, d.current_url), "the address to match %r" % pattern)
        return re.search(pattern, self.driver.current_url)

    # --- finding things as a person does ---
    def field(self, label):
        """The control whose <label> reads `label` (exactly, or starting with it)."""
        lit = xpath_literal(label)

        def find(d):
            labels = d.find_elements(By.XPATH, "//label[normalize-space()=%s]" % lit)
            if not labels:
                labels = d.find_elements(
                    By.XPATH, "//label[starts-with(normalize-space(), %s)]" % lit)
            for lab in labels:
                if not lab.is_displayed():
                    continue
                target = lab.get_attribute("for")
                if target:
                    return d.find_element(By.ID, target)
                inner = lab.find_elements(By.XPATH, ".//input|.//select|.//textarea")
                if inner:
                    return inner[0]
            return False
        return self.wait(find, "a field labelled %r" % label)

    def fill(self, label, text):
        el = self.field(label)
        el.clear()
        el.send_keys(text)
        return el

    def choose(self, label, option_text):
        from selenium.webdriver.support.ui import Select
        Select(self.field(label)).select_by_visible_text(option_text)

    def button(self, text):
        lit = xpath_literal(text)
        xp = ("//button[normalize-space()=%s]|//input[@type='submit' and @value=%s]" % (lit, lit))
        return self.wait(lambda d: next((b for b in d.find_elements(By.XPATH, xp)
                                         if b.is_displayed()), False), "a button %r" % text)

    def press(self, text):
        self.button(text).click()

    def link(self, text):
        lit = xpath_literal(text)
        xp = "//a[normalize-space()=%s]|//a[contains(normalize-space(), %s)]" % (lit, lit)
        return self.wait(lambda d: next((a for a in d.find_elements(By.XPATH, xp)
                                         if a.is_displayed()), False), "a link %r" % text)

    def follow(self, text):
        self.link(text).click()

    def sign_in(self, username, password=PASSWORD):
        self.open("/")
        self.fill("Username", username)
        self.fill("Password", password)
        self.press("Sign in")
        self.wait(lambda d: "/signin" not in d.current_url and
                  d.find_elements(By.XPATH, "//button[normalize-space()='Sign out']"),
                  "signed in as " + username)

    def cookie_header(self):
        return "; ".join("%s=%s" % (c["name"], c["value"]) for c in self.driver.get_cookies())
