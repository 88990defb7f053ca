"""Every page of every demo role, on a 375 px phone set to English.

The walk starts at each role's workbench and follows the same-site links it finds
(the menu, the workbench, then what those pages link to), one page per URL pattern,
so pages added by any app are covered without being listed here. An English phone
is the hard case: the browser's own controls (date fields, file inputs) speak the
phone's language, so the site must render its own Chinese ones.

On every page: no sideways scrolling, no element wider than the screen, no English
UI chrome, primary actions at least 40 px tall, no server error, no script error.
"""

import re
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError

from jiceng.conftest import login

pytestmark = [pytest.mark.browser]

WIDTH = 375
# One account per role; the second street and grid accounts add nothing new.
ROLES = [
    "wangge",
    "dangyuan",
    "shuji",
    "shegong",
    "loudong",
    "wuye",
    "danwei",
    "bumen",
    "jiedao",
    "quadmin",
    "sysadmin",
]
MAX_DEPTH = 3  # workbench → menu page → detail → what a detail links to
MAX_PAGES = 260  # all roles together; the demo has about 150 patterns
# Not pages for a phone user, or not pages at all.
SKIP = re.compile(
    r"^/(api/|admin/|static/|media/|files/|login/|logout/)"
    r"|\.(xlsx|xls|csv|json|geojson|png|jpg|svg|pdf|ics|docx|zip)(\?|$)"
    r"|/export/|/rejected|[?&]format="
)
# Words of a browser's or a library's English chrome that must never show.
ENGLISH = re.compile(
    r"\b(Submit|Next|Previous|Choose Files?|No file chosen|Browse|Search|Save|Cancel|"
    r"Delete|Loading|Unknown|Select|Upload|Back|Close)\b|mm/dd/yyyy|-{9}"
)

# One pass over the rendered page: everything the checks need, measured in the page.
MEASURE = """(width) => {
  const problems = [];
  const shown = (el) => {
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return false;
    if (parseFloat(style.opacity) === 0) return false;
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string"
      ? "." + el.className.trim().split(/\\s+/).slice(0, 3).join(".") : "");
  const doc = document.documentElement;
  if (doc.scrollWidth > width) problems.push("scrolls sideways: " + doc.scrollWidth + "px");
  // A strip that scrolls inside its own box (a row of tabs) may hold more than the
  // screen; a table may not (a list is cards on a phone, never clipped on the right).
  const scrolls = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (a.tagName === "TABLE") return false;
      if (["auto", "scroll"].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  let wide = 0;
  for (const el of document.body.querySelectorAll("*")) {
    const skipped = ".leaflet-container, .offcanvas:not(.show), [hidden], .visually-hidden";
    if (el.closest(skipped)) continue;
    if (!shown(el) || scrolls(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right > width + 1 || r.left < -1) {
      if (wide++ < 3) problems.push("wider than the screen: " + name(el) + " " +
        Math.round(r.left) + "…" + Math.round(r.right) + "px");
    }
  }
  const native = "input[type=date], input[type=datetime-local], input[type=month], " +
    "input[type=time], input[type=file]";
  for (const el of document.querySelectorAll(native)) {
    if (shown(el) && !el.classList.contains("date-native")) {
      problems.push("browser's own " + el.type + " control shows: " + name(el));
    }
  }
  const texts = [document.body.innerText];
  const labelled = "[placeholder], input[type=submit], input[type=button]";
  for (const el of document.querySelectorAll(labelled)) {
    if (shown(el)) texts.push(el.getAttribute("placeholder") || el.value || "");
  }
  for (const opt of document.querySelectorAll("select option")) texts.push(opt.textContent);
  const small = [];
  for (const el of document.querySelectorAll(
      "main .btn-primary, main button[type=submit], main input[type=submit], " +
      "nav button, [aria-label='打开菜单'], .filter-toggle")) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.height < 40) small.push(name(el) + " '" + el.innerText.trim().slice(0, 12) + "' " +
      Math.round(r.height) + "px");
  }
  if (small.length) problems.push("tap targets under 40px: " + small.slice(0, 3).join("; "));
  // A list with filters starts on the first screen (the filters fold behind 筛选).
  const first = document.querySelector("[data-filter-panel]") &&
    document.querySelector("main table.list-cards tbody tr");
  if (first && first.getBoundingClientRect().top > window.innerHeight) {
    problems.push("the list starts below the first screen");
  }
  const links = [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href"));
  return { problems, text: texts.join("\\n"), links };
}"""


def pattern(path):
    """A URL's pattern: ids and UUIDs as placeholders, and its query's keys only."""
    parts = urlsplit(path)
    shape = re.sub(
        r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        "<uuid>",
        parts.path,
    )
    shape = re.sub(r"/\d+(?=/|$|\.)", "/<n>", shape)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return shape + ("?" + "&".join(keys) if keys else "")


def same_site(here, href):
    """The path (with query) of a link on page `here` to this site, or None."""
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    url = urlsplit(urljoin(here, href))
    if url.netloc != urlsplit(here).netloc:
        return None
    path = url.path + ("?" + url.query if url.query else "")
    return None if SKIP.search(path) else path


def check_page(page, path):
    """Open one page; return (problems, links it holds)."""
    page.js_errors.clear()
    try:
        response = page.goto(path, wait_until="load")
    except PlaywrightError as exc:
        if "Download is starting" in str(exc):
            return [], []  # a file to save (calendar, report), not a page
        raise
    page.wait_for_load_state("networkidle")
    problems = []
    status = response.status if response else 0
    if status >= 400:
        problems.append(f"answers {status}")
    found = page.evaluate(MEASURE, WIDTH)
    problems += found["problems"]
    english = sorted({m.group(0) for m in ENGLISH.finditer(found["text"])})
    if english:
        problems.append("English chrome: " + ", ".join(english))
    problems += [f"script error: {e}" for e in page.js_errors]
    return problems, found["links"]


def walk(browser, base_url, roles=ROLES, max_pages=MAX_PAGES, start="/"):
    """Walk every role's pages at 375 px; return {"user path": [problems]}.

    A role of None walks without logging in (the public portal)."""
    seen, failures, visited = set(), {}, 0
    for username in roles:
        context = browser.new_context(
            base_url=base_url,
            locale="en-US",
            viewport={"width": WIDTH, "height": 740},
            is_mobile=True,
            has_touch=True,
        )
        page = context.new_page()
        page.js_errors = []
        page.on("pageerror", lambda exc, page=page: page.js_errors.append(str(exc)))
        if username is not None:
            login(page, username)
        queue = [(start, 0)]  # each role's own workbench, then the new patterns
        while queue and visited < max_pages:
            path, depth = queue.pop(0)
            key = pattern(path)
            if key in seen and depth > 0:
                continue
            seen.add(key)
            visited += 1
            problems, links = check_page(page, path)
            here = page.url
            if problems:
                failures[f"{username} {path}"] = problems
            if depth >= MAX_DEPTH:
                continue
            for href in links:
                target = same_site(here, href)
                if target and pattern(target) not in seen:
                    queue.append((target, depth + 1))
        context.close()
    return failures, visited


def test_every_page_of_every_role_fits_a_phone(browser, live_site):
    # given every demo role on a 375 px phone whose language is English
    # when the walk opens every page it can reach, one per URL pattern
    failures, visited = walk(browser, live_site)

    # then every page fits the screen and speaks Chinese
    assert visited > 60, f"the walk reached only {visited} pages"
    report = "\n".join(
        f"{where}: " + "; ".join(problems) for where, problems in failures.items()
    )
    assert not failures, f"{len(failures)} of {visited} pages:\n{report}"


def test_the_public_portal_fits_a_phone_without_login(browser, live_site):
    # given an anonymous resident on a 375 px phone whose language is English
    # when the walk opens every page reachable from the portal, one per URL pattern
    failures, visited = walk(browser, live_site, roles=[None], start="/public/")

    # then every public page fits the screen and speaks Chinese
    assert visited > 8, f"the walk reached only {visited} pages"
    report = "\n".join(
        f"{where}: " + "; ".join(problems) for where, problems in failures.items()
    )
    assert not failures, f"{len(failures)} of {visited} pages:\n{report}"
