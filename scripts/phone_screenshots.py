"""Regenerate the phone screenshots of the user guide (docs/screenshots/*.png).

Each is the first screen of a main page as the grid worker `wangge` sees it on a
375 px phone: workbench, case list, case detail, 随手拍 report, resident list and the
case map. Run it against a served demo district:

    make demo                                   # in one terminal
    .venv/bin/python scripts/phone_screenshots.py [--base-url http://127.0.0.1:8000]

Chromium is Debian's package (scripts/ensure_chromium.sh), driven by Playwright.
"""

import argparse
import os
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PASSWORD = os.environ.get("JICENG_DEMO_PASSWORD", "Jiceng2026demo")
# (file name, path or None for "the first case in the list")
PAGES = [
    ("workbench", "/"),
    ("case-list", "/cases/"),
    ("case-detail", None),
    ("case-report", "/cases/new/"),
    ("resident-list", "/people/residents/"),
    ("case-map", "/cases/map/"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="wangge")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(
            base_url=args.base_url,
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport={"width": 375, "height": 740},
            is_mobile=True,
            has_touch=True,
        )
        page = context.new_page()
        page.goto("/login/")
        page.get_by_label("账号").fill(args.user)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/")
        for name, path in PAGES:
            if path is None:
                page.goto("/cases/")
                path = page.get_by_test_id("case-table").locator("tbody a").first
                path = path.get_attribute("href")
            page.goto(path)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)  # map tiles of the base layer settle
            target = out / f"phone-{name}.png"
            page.screenshot(path=str(target))
            print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
        browser.close()


if __name__ == "__main__":
    main()
