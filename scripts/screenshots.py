"""The pictures of scripts/screenshots: each main page of the app, as each role sees it."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "browser"))
import harness  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

SIZES = {"desktop": (1280, 800), "phone": (390, 844)}


def main():
    out = os.path.abspath(sys.argv[-1])
    os.makedirs(out, exist_ok=True)
    server = harness.Server()
    driver = harness._chromium()
    try:
        shots = plan(server)
        journey = harness.Journey()
        journey.server, journey.driver = server, driver
        for username, pages in shots:
            driver.delete_all_cookies()
            journey.sign_in(username)
            for name, path, ready in pages:
                for size, (w, h) in SIZES.items():
                    viewport(driver, w, h, size == "phone")
                    journey.open("/#" + path)
                    journey.driver.refresh()
                    journey.wait(lambda d: ready in journey.page_text(),
                                 "%s to show %r" % (name, ready))
                    journey.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "[aria-busy=true]"),
                                 "%s to finish loading" % name)
                    path_png = os.path.join(out, "%s-%s.png" % (name, size))
                    driver.save_screenshot(path_png)
                    print(path_png)
        driver.delete_all_cookies()
        for size, (w, h) in SIZES.items():
            viewport(driver, w, h, size == "phone")
            journey.open("/")
            journey.field("Username")
            driver.save_screenshot(os.path.join(out, "signin-%s.png" % size))
    finally:
        driver.quit()
        server.stop()


def viewport(driver, width, height, mobile):
    """The page's own size, exactly (a window size would include the browser's frame)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def plan(server):
    """(user, [(picture name, app path, text that shows the page is ready)])."""
    ballot = server.api("council.din", "/inbox")["items"][0]
    rsos = server.api("sec.amina", "/rsos?limit=200")["items"]
    arso = next(r for r in rsos if r["acronym"] == "ARSO")
    review = server.api("sec.amina", "/instances?workflow=rso_recognition&active=true")["items"]
    recognition = next((i for i in review if i["state"] == "secretariat_review"), review[0])
    plans = server.api("liaison.arso", "/instances?workflow=momentum_plan")["items"]
    return [
        ("council.din", [("inbox", "/inbox", ballot["title"]),
                         ("ballot", "/ballots/" + ballot["instance_id"], ballot["title"])]),
        ("sec.amina", [("rsos", "/rsos", "ARSO"),
                       ("rso", "/rsos/" + arso["id"], arso["name"]),
                       ("recognition", "/instances/" + recognition["id"], recognition["title"]),
                       ("reports", "/reports", ""),
                       ("resolutions", "/resolutions", "annual report")]),
        ("liaison.arso", [("plan", "/instances/" + plans[0]["id"], plans[0]["title"])]
         if plans else []),
        ("auditor", [("audit", "/audit", "")]),
        ("admin", [("users", "/admin/users", "sec.amina")]),
    ]


if __name__ == "__main__":
    main()
