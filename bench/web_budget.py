"""The web app's budgets (issue 16), measured in headless Chromium against a real server over
the sample data set:
  - first load: bytes of everything the sign-in page loads (HTML, modules, styles, fonts);
  - per page: API calls, and how many of them are sequential (each waits for an earlier one);
  - per page: milliseconds from navigation to the page showing its content (interactive).

  /usr/bin/python3 bench/web_budget.py --rsoflow build/rsoflow [--rounds 5]

Budgets: first load <= 300 KB; <= 3 sequential API calls per page; interactive <= 300 ms.
"""
import os
import statistics
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "browser"))
import harness  # noqa: E402

CHAIN = """
const api = performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v1/'));
const depth = [];
api.forEach((e, i) => {
  let d = 1;
  api.forEach((f, j) => { if (j < i && f.responseEnd <= e.startTime + 0.01) d = Math.max(d, depth[j] + 1); });
  depth.push(d);
});
return [api.length, depth.length ? Math.max(...depth) : 0, api.map(e => e.name.split('/api/v1')[1])];
"""


# Records when the page first shows `ready` (and nothing is loading), from the moment the
# address changes: measured in the page, so the driver's polling does not count.
WATCH = """
const ready = arguments[0];
window.__shown = 0;
performance.clearResourceTimings();
window.__t0 = performance.now();
const check = () => {
  if (!window.__shown && document.body.innerText.includes(ready) &&
      !document.querySelector('[aria-busy=true]')) { window.__shown = performance.now(); }
};
new MutationObserver(check).observe(document.body, {subtree: true, childList: true,
                                                    characterData: true, attributes: true});
"""


def main():
    rounds = 5
    if "--rounds" in sys.argv:
        rounds = int(sys.argv[sys.argv.index("--rounds") + 1])
    server = harness.Server()
    driver = harness._chromium()
    j = harness.Journey()
    j.server, j.driver = server, driver
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
        j.open("/")
        j.field("Username")
        j.wait(lambda d: d.execute_script(
            "return document.readyState === 'complete'"), "the page to load")
        total = driver.execute_script(
            "const n = performance.getEntriesByType('navigation')[0];"
            "return n.transferSize + performance.getEntriesByType('resource')"
            ".reduce((s, e) => s + e.transferSize, 0);")
        files = driver.execute_script(
            "return performance.getEntriesByType('resource').length + 1")
        print("first load: %.1f KB in %d files (budget 300 KB)" % (total / 1024, files))
        driver.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": False})

        ballot = server.api("council.din", "/inbox")["items"][0]
        rsos = server.api("sec.amina", "/rsos?limit=200")["items"]
        arso = next(r for r in rsos if r["acronym"] == "ARSO")
        pages = [("council.din", "inbox", "/inbox", ballot["title"]),
                 ("council.din", "ballot", "/ballots/" + ballot["instance_id"], ballot["title"]),
                 ("sec.amina", "rsos", "/rsos", "ARSO"),
                 ("sec.amina", "rso", "/rsos/" + arso["id"], arso["name"]),
                 ("sec.amina", "recognition", "/instances/" + arso["recognition_instance_id"],
                  "ARSO"),
                 ("sec.amina", "reports", "/reports", "Items by workflow and state"),
                 ("auditor", "audit", "/audit", "Audit entries")]
        user = None
        print("full load of the page's address, then moving to it inside the app (p50 of %d)"
              % rounds)
        print("%-12s %5s %10s %12s" % ("page", "calls", "sequential", "interactive"))
        for username, name, path, ready in pages:
            if username != user:
                driver.delete_all_cookies()
                j.sign_in(username)
                user = username
            reload_times, nav_times = [], []
            for _ in range(rounds):
                # A full load of the page's address (a bookmark, a link in an e-mail).
                driver.get(server.url + "/#" + path)
                driver.refresh()
                j.wait(lambda d: ready in j.page_text(), "%s to show %r" % (name, ready))
                j.wait(lambda d: not d.find_elements("css selector", "[aria-busy=true]"),
                       name + " to finish")
                # The app marks when a page is shown (core/router.js): the last mark's time
                # since navigation started, not when the driver's polling noticed.
                reload_times.append(driver.execute_script(
                    "const m = performance.getEntriesByName('rsoflow:shown');"
                    "return m.length ? m[m.length - 1].startTime : performance.now()"))
                calls, sequential, names = driver.execute_script(CHAIN)
                # Moving to it from another page of the app (the usual way).
                driver.execute_script("location.hash = '#/account'")
                j.wait(lambda d: "#/account" in d.current_url and ready not in j.page_text(),
                       "the account page")
                driver.execute_script(WATCH, ready)
                driver.execute_script("location.hash = arguments[0]", "#" + path)
                j.wait(lambda d: d.execute_script("return window.__shown"), name + " to show")
                nav_times.append(driver.execute_script("return window.__shown - window.__t0"))
                nav_calls, nav_seq, _ = driver.execute_script(CHAIN)
            print("%-12s %5d %10d %9.0f ms | in app: %d calls, %d sequential, %.0f ms   %s" % (
                name, calls, sequential, statistics.median(reload_times), nav_calls, nav_seq,
                statistics.median(nav_times), " ".join(names)))
    finally:
        driver.quit()
        server.stop()


if __name__ == "__main__":
    main()
