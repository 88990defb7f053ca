"""What each demo role does on the site, one function per flow: the load test's workload.

THE place to add an app's flows. A flow is a function ``flow(user)`` registered with
``@flow(role, weight)``; ``user`` is the locust user (``user.client`` is its logged-in
session, ``user.site`` the facts ``site.py prepare`` gathered, ``user.ledger`` the
随手拍 reports that got a success answer). Add a role to ROLES when an app brings a
new kind of user; its locust class is built from here (locustfile.py).

Flows only speak HTTP, as a browser or API client would: they read ids from the pages
they open and send the forms' own fields. Expected refusals under concurrency (a step
taken by someone else first: 409, or the form's "已被他人修改" error) are successes.
"""

import io
import os
import random
import re
import time
import uuid
from dataclasses import dataclass

# ---- the roles: who logs in, and how often such a user appears in a district's day ----


@dataclass(frozen=True)
class Role:
    usernames: tuple  # demo accounts this role logs in as (round robin)
    weight: int  # share of the simulated users
    login: str = (
        "form"  # "form" (the login page), "token" (form, then an API token), "key"
    )


ROLES = {
    # ~300 grid workers per district: the largest group of staff users, on phones.
    "grid_worker": Role(("wangge", "wangge2"), 30),
    "dispatcher": Role(("shuji", "jiedao"), 8),
    "community_worker": Role(("shegong",), 10),
    "resident": Role(("dangyuan",), 25),
    "department": Role(("bumen",), 6),
    "kpi_viewer": Role(("quadmin", "jiedao"), 3),
    "api_client": Role(("wangge",), 8, login="token"),
    "open311": Role((), 5, login="key"),
}

FLOWS: dict[str, list] = {role: [] for role in ROLES}


def flow(role, weight=1):
    def register(fn):
        FLOWS[role].append((weight, fn))
        return fn

    return register


# ---- helpers ---------------------------------------------------------------------------

# the request names of the three ways a report comes in (the load test reports them
# apart as well: the intake must keep its figures under the mix)
SNAPSHOT_REPORT = "/cases/new/ 随手拍"
API_REPORT = "/api/v1/cases/ POST"
OPEN311_REPORT = "/open311/v2/requests.json POST"
INTAKE = frozenset({SNAPSHOT_REPORT, API_REPORT, OPEN311_REPORT})

CASE_LINK = re.compile(r'href="/cases/(\d+)/"')
RESIDENT_LINK = re.compile(r'href="/people/residents/(\d+)/"')
MARKER = "压测"  # every report this load test files carries "[压测:<run>:<uuid>]"
SURNAMES = "王李张刘陈杨黄赵吴周"
DESCRIPTIONS = [
    "小区门口垃圾堆放多日，影响通行",
    "路灯晚上不亮，行人看不清路",
    "井盖松动，车辆经过有响声",
    "楼道堆放杂物，存在消防隐患",
    "绿化带内有积水，蚊虫较多",
]


def csrf(user):
    return {"X-CSRFToken": user.client.cookies.get("csrftoken", "")}


def select_options(html, name):
    """The non-empty option values of <select name=name> in html."""
    match = re.search(
        rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.DOTALL
    )
    if not match:
        return []
    return [v for v in re.findall(r'<option value="([^"]+)"', match.group(1)) if v]


def step_forms(html):
    """{step name: version} of the step forms on a case page."""
    return dict(
        re.findall(
            r'name="step" value="(\w+)"><input type="hidden" name="version" '
            r'value="(\d+)"',
            html,
        )
    )


def pick_case(user, query, name):
    response = user.client.get(f"/cases/?{query}", name=name)
    ids = CASE_LINK.findall(response.text)
    return random.choice(ids) if ids else None


def new_marker(user):
    return f"[{MARKER}:{user.site['run']}:{uuid.uuid4().hex}]"


_PHOTO = None


def photo():
    """A phone-like JPEG (~40 KB), made once."""
    global _PHOTO
    if _PHOTO is None:
        from PIL import Image

        image = Image.effect_noise((640, 480), 40).convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=70)
        _PHOTO = buffer.getvalue()
    return _PHOTO


def take_step(user, case_id, step, fields=None):
    """Post one workflow step from the case page; a lost race is not an error."""
    data = {"step": step, "version": user.versions[case_id], "note": "压测办理"}
    data.update(fields or {})
    with user.client.post(
        f"/cases/{case_id}/act/",
        data=data,
        headers=csrf(user),
        name=f"/cases/[id]/act/ {step}",
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code in (302, 409) or (
            response.status_code == 400 and "修改" in response.text
        ):
            response.success()


def open_case(user, case_id, name="/cases/[id]/"):
    response = user.client.get(f"/cases/{case_id}/", name=name)
    steps = step_forms(response.text)
    # every step form carries the case's one version
    user.versions = {case_id: next(iter(steps.values()))} if steps else {}
    return response, steps


def report(user, *, channel, name):
    """随手拍: the report form with a photo; the ledger keeps what the site accepted."""
    page = user.client.get("/cases/new/", name="/cases/new/")
    categories = select_options(page.text, "category")
    grids = select_options(page.text, "grid")
    if not categories:
        return
    marker = new_marker(user)
    lat, lng = random.choice(user.site["points"])  # a resident points on the map
    data = {
        "channel": channel,
        "category": random.choice(categories),
        "description": f"{random.choice(DESCRIPTIONS)} {marker}",
        "grid": random.choice(grids) if grids else "",
        "lat": "" if grids else f"{lat:.6f}",
        "lng": "" if grids else f"{lng:.6f}",
        "address": "幸福路12号",
        "reporter_name": random.choice(SURNAMES) + "先生",
    }
    files = {"photos": ("photo.jpg", photo(), "image/jpeg")}
    with user.client.post(
        "/cases/new/",
        data=data,
        files=files,
        headers=csrf(user),
        name=name,
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code == 302 and "/cases/" in response.headers["Location"]:
            user.ledger.append(marker)
            response.success()
        else:
            response.failure(f"report not accepted: {response.status_code}")


# ---- grid workers: the workbench, their cases and residents, 随手拍 ------------------


@flow("grid_worker", 4)
def workbench(user):
    user.client.get("/", name="/ (workbench)")


@flow("grid_worker", 4)
def my_cases(user):
    case_id = pick_case(user, "status=open", "/cases/?status=open")
    if case_id:
        open_case(user, case_id)


@flow("grid_worker", 3)
def residents(user):
    response = user.client.get("/people/residents/", name="/people/residents/")
    ids = RESIDENT_LINK.findall(response.text)
    if ids:
        user.client.get(
            f"/people/residents/{random.choice(ids)}/", name="/people/residents/[id]/"
        )


@flow("grid_worker", 3)
def snapshot(user):
    report(user, channel="snapshot", name=SNAPSHOT_REPORT)


@flow("grid_worker", 2)
def handle_or_verify(user):
    case_id = pick_case(user, "status=dispatched", "/cases/?status=dispatched")
    if case_id:
        _, steps = open_case(user, case_id)
        if "handle" in steps:
            take_step(user, case_id, "handle")
    case_id = pick_case(user, "status=handled", "/cases/?status=handled")
    if case_id:
        _, steps = open_case(user, case_id)
        if "verify" in steps:
            take_step(user, case_id, "verify")


# ---- dispatchers: the queue (list, detail, accept/dispatch, close) -------------------


@flow("dispatcher", 5)
def queue(user):
    case_id = pick_case(user, "status=reported", "/cases/?status=reported")
    if not case_id:
        return
    response, steps = open_case(user, case_id)
    if "accept" in steps:
        take_step(user, case_id, "accept")
        response, steps = open_case(user, case_id)
    if "dispatch" in steps:
        grids = select_options(response.text, "grid")
        departments = select_options(response.text, "department")
        fields = {"grid": grids[0]} if grids else {"department": departments[0]}
        take_step(user, case_id, "dispatch", fields)


@flow("dispatcher", 2)
def close_verified(user):
    case_id = pick_case(user, "status=verified", "/cases/?status=verified")
    if case_id:
        _, steps = open_case(user, case_id)
        if "close" in steps:
            take_step(user, case_id, "close")


@flow("dispatcher", 2)
def case_map(user):
    user.client.get("/cases/map/", name="/cases/map/")
    user.client.get("/cases/map.geojson?status=open", name="/cases/map.geojson")


# ---- community workers: searching residents, exporting -------------------------------


@flow("community_worker", 5)
def search_residents(user):
    surname = random.choice(SURNAMES)
    user.client.get(f"/people/residents/?q={surname}", name="/people/residents/?q=")


@flow("community_worker", 2)
def households(user):
    user.client.get("/people/households/", name="/people/households/")


EXPORT_JOB = re.compile(r"/transfer/exports/[0-9a-f-]{36}/$")
EXPORT_POLLS = 120  # a second apart, as the job's page polls
# The smoke test narrows the export: its community is shared with the browser tests,
# which import thousands of residents into it, and it runs on SQLite too.
EXPORT_QUERY = os.environ.get("LOAD_EXPORT_QUERY", "")


@flow("community_worker", 1)
def export_residents(user):
    """The community's residents to Excel: a small export is the file at once; a
    large one redirects to its job's page, which polls (as htmx does every second)
    until the task worker has written it, then the file is downloaded."""
    with user.client.get(
        "/transfer/export/residents.xlsx"
        + (f"?{EXPORT_QUERY}" if EXPORT_QUERY else ""),
        name="/transfer/export/residents.xlsx",
        allow_redirects=False,
        stream=True,
        catch_response=True,
    ) as response:
        if response.status_code == 302 and EXPORT_JOB.search(
            response.headers.get("Location", "")
        ):
            job = response.headers["Location"]
            response.success()
        elif response.status_code == 200 and _downloaded(response):
            response.success()
            return
        else:
            response.failure(f"export: {response.status_code}")
            return
    for poll in range(EXPORT_POLLS):
        with user.client.get(
            job,
            name="/transfer/exports/[id]/",
            headers={"HX-Request": "true"},
            catch_response=True,
        ) as page:
            if 'data-export-status="failed"' in page.text:
                reason = re.search(r'role="alert">([^<]*)<', page.text)
                page.failure(f"export failed: {reason.group(1) if reason else ''}")
                return
            done = 'data-export-status="done"' in page.text
            if not done and poll == EXPORT_POLLS - 1:
                page.failure("export not written within two minutes")
                return
        if done:
            break
        time.sleep(1)
    with user.client.get(
        f"{job}download/",
        name="/transfer/exports/[id]/download/",
        stream=True,
        catch_response=True,
    ) as response:
        if response.status_code == 200 and _downloaded(response):
            response.success()
        else:
            response.failure(f"download: {response.status_code}")


def _downloaded(response):
    return sum(len(chunk) for chunk in response.iter_content(65536)) > 0


# ---- residents (党员/居民) on the H5 pages ------------------------------------------------


@flow("resident", 3)
def wish_wall(user):
    user.client.get("/volunteer/wall/", name="/volunteer/wall/")


@flow("resident", 3)
def activities(user):
    user.client.get("/volunteer/activities/", name="/volunteer/activities/")
    user.client.get("/volunteer/me/", name="/volunteer/me/")


@flow("resident", 1)
def checkin_page(user):
    tokens = user.site.get("checkin_tokens") or []
    if tokens:
        user.client.get(
            f"/volunteer/c/{random.choice(tokens)}/", name="/volunteer/c/[t]/"
        )


@flow("resident", 2)
def case_status(user):
    tokens = user.site.get("case_tokens") or []
    if tokens:
        user.client.get(f"/cases/s/{random.choice(tokens)}/", name="/cases/s/[t]/")


@flow("resident", 1)
def resident_snapshot(user):
    report(user, channel="snapshot", name=SNAPSHOT_REPORT)


# ---- departments handling cases -------------------------------------------------------


@flow("department", 3)
def department_cases(user):
    case_id = pick_case(user, "status=dispatched", "/cases/?status=dispatched")
    if case_id:
        _, steps = open_case(user, case_id)
        if "handle" in steps:
            take_step(user, case_id, "handle")


# ---- KPI dashboard ------------------------------------------------------------------------


@flow("kpi_viewer", 1)
def kpi(user):
    user.client.get("/cases/kpi/", name="/cases/kpi/")


# ---- API clients: /api/v1/ with a token, Open311 with a key ------------------------------


@flow("api_client", 3)
def api_reads(user):
    response = user.client.get("/api/v1/cases/?limit=20", name="/api/v1/cases/")
    items = response.json() if response.status_code == 200 else []
    items = items.get("items", []) if isinstance(items, dict) else items
    if items:
        case_id = random.choice(items)["id"]
        user.client.get(f"/api/v1/cases/{case_id}", name="/api/v1/cases/[id]")
    user.client.get("/api/v1/residents/?limit=20", name="/api/v1/residents/")


@flow("api_client", 1)
def api_report(user):
    marker = new_marker(user)
    body = {
        "category_code": "BJ0117",
        "description": f"{random.choice(DESCRIPTIONS)} {marker}",
        "grid_code": random.choice(user.site["grid_codes"]),
        "address": "幸福路12号",
        "reporter_name": "网格员",
    }
    with user.client.post(
        "/api/v1/cases/", json=body, name=API_REPORT, catch_response=True
    ) as response:
        if response.status_code == 201:
            user.ledger.append(marker)
        else:
            response.failure(f"API intake {response.status_code}")


@flow("open311", 2)
def open311_reads(user):
    user.client.get("/open311/v2/services.json", name="/open311/v2/services.json")
    user.client.get("/open311/v2/requests.json", name="/open311/v2/requests.json")


@flow("open311", 1)
def open311_report(user):
    lat, lng = random.choice(user.site["points"])
    marker = new_marker(user)
    data = {
        "api_key": user.site["open311_key"],
        "service_code": "BJ0117",
        "lat": f"{lat:.6f}",
        "long": f"{lng:.6f}",
        "description": f"{random.choice(DESCRIPTIONS)} {marker}",
        "first_name": "明",
        "last_name": "李",
        "address_string": "幸福路12号",
    }
    with user.client.post(
        "/open311/v2/requests.json",
        data=data,
        name=OPEN311_REPORT,
        catch_response=True,
    ) as response:
        if response.status_code == 201:
            user.ledger.append(marker)
        else:
            response.failure(f"Open311 intake {response.status_code}")


# ---- 数据看板 (insight): the place dashboards and their API ------------------------------


@flow("kpi_viewer", 1)
def place_dashboard(user):
    # /insight/ redirects to the reader's top place: one name for both requests
    user.client.get("/insight/", name="/insight/[code]/")


@flow("api_client", 1)
def dashboard_api(user):
    user.client.get("/api/v1/dashboard/", name="/api/v1/dashboard/")


# ---- the big screen (大屏): a command centre's wall polls one JSON every 30 s ----------

SCREEN_LINK = re.compile(r'href="/screen/(\d+)/"')
SCREEN_DATA = re.compile(r'data-url="(/screen/[^"]+/data\.json)"')


@flow("kpi_viewer", 2)
def big_screen(user):
    """Open the screen (a district reader picks a street), then poll its data."""
    response = user.client.get("/screen/", name="/screen/")
    found = SCREEN_DATA.search(response.text or "")
    if found is None:
        codes = SCREEN_LINK.findall(response.text or "")
        if not codes:
            return
        page = user.client.get(
            f"/screen/{random.choice(codes)}/", name="/screen/[code]/"
        )
        found = SCREEN_DATA.search(page.text or "")
        if found is None:
            return
    for _ in range(3):
        user.client.get(found.group(1), name="/screen/[code]/data.json")


# ---- 一小区一图示: a grid worker opens one of her compounds' chart --------------------

PLACE_LINK = re.compile(r'href="/places/(\d+)/"')
ATLAS_LINK = re.compile(r'href="(/atlas/\d+/)"')


@flow("grid_worker", 1)
def compound_chart(user):
    """Walk the tree to a compound (its page links to the chart), open the chart."""
    response = user.client.get("/places/", name="/places/")
    for _ in range(3):  # grids → grid → compound
        chart = ATLAS_LINK.findall(response.text)
        if chart:
            user.client.get(chart[0], name="/atlas/[code]/")
            return
        ids = PLACE_LINK.findall(response.text)
        if not ids:
            return
        response = user.client.get(
            f"/places/{random.choice(ids)}/", name="/places/[id]/"
        )


# ---- anonymous residents on the public portal (/public/) --------------------------------

# No login: a resident opens a shared link, reads the portal, a section, the wish wall
# or a 公示 page, and looks a case up by its 查询码.
ROLES["public"] = Role((), 10, login="none")
FLOWS["public"] = []

PORTAL_SECTION = re.compile(r'href="(/public/[a-z-]+/)(?:\?[^"]*)?"')
PORTAL_PLACE = re.compile(r'<option value="(\d+)"')


@flow("public", 4)
def portal(user):
    response = user.client.get("/public/", name="/public/")
    places = PORTAL_PLACE.findall(response.text) if response.ok else []
    if places:
        user.client.get(
            f"/public/?place={random.choice(places)}", name="/public/?place=[code]"
        )


@flow("public", 3)
def portal_section(user):
    response = user.client.get("/public/", name="/public/")
    sections = sorted(set(PORTAL_SECTION.findall(response.text))) if response.ok else []
    if sections:
        user.client.get(random.choice(sections), name="/public/[section]/")


@flow("public", 2)
def portal_wall(user):
    user.client.get("/volunteer/wall/", name="/volunteer/wall/")
    user.client.get("/deliberation/public/", name="/deliberation/public/")


@flow("public", 1)
def portal_case_lookup(user):
    tokens = user.site.get("case_tokens") or []
    if tokens:
        user.client.get(
            "/cases/s/", params={"token": random.choice(tokens)}, name="/cases/s/?token"
        )


@flow("resident", 2)
def my_notifications(user):
    """The bell: the unread list, then the notification settings page."""
    user.client.get("/notices/?unread=true", name="/notices/?unread=true")
    user.client.get("/notices/preferences/", name="/notices/preferences/")


# ---- the apps of party life, co-governance, deliberation, services, assessment,
# workforce and intelligence: what their users open in a district's day ----------------


def open_one(user, path, item):
    """Open the list at path, then one of the items it links to (item: the items'
    path before their id, as in "/party/meetings/" for "/party/meetings/12/")."""
    response = user.client.get(path, name=path)
    found = re.findall(rf'href="({item}\d+/)"', response.text) if response.ok else []
    if found:
        user.client.get(random.choice(found), name=f"{item}[id]/")


@flow("resident", 2)
def party_life(user):
    """A member's 三会一课 and her 双报到 meetings and tasks."""
    user.client.get("/party/meetings/", name="/party/meetings/")
    user.client.get("/alliances/me/meetings/", name="/alliances/me/meetings/")
    open_one(user, "/alliances/me/tasks/", "/alliances/tasks/")


@flow("resident", 2)
def deliberation_topics(user):
    """居民议事: the topics of her community, one of them."""
    open_one(user, "/deliberation/", "/deliberation/topics/")


@flow("resident", 2)
def onewindow_services(user):
    """一窗受理: her applications and the services she can apply for."""
    open_one(user, "/onewindow/my/", "/onewindow/my/applications/")
    user.client.get("/onewindow/apply/", name="/onewindow/apply/")


@flow("community_worker", 2)
def service_window(user):
    """The community's 一窗受理 queue and one application."""
    open_one(user, "/onewindow/applications/", "/onewindow/applications/")


@flow("community_worker", 1)
def disputes(user):
    """矛盾纠纷调解: the register and one dispute."""
    open_one(user, "/deliberation/disputes/", "/deliberation/disputes/")


@flow("community_worker", 1)
def grid_team(user):
    """网格力量: who works the community's grids."""
    user.client.get("/workforce/team/", name="/workforce/team/")


@flow("dispatcher", 1)
def party_meetings(user):
    """三会一课: the meetings held and the compliance table."""
    open_one(user, "/party/meetings/", "/party/meetings/")
    user.client.get("/party/compliance/", name="/party/compliance/")


@flow("dispatcher", 1)
def proactive_tasks(user):
    """未诉先办: the hot spots found in the cases, one of them."""
    open_one(user, "/intelligence/tasks/", "/intelligence/tasks/")


@flow("dispatcher", 1)
def alliance_work(user):
    """区域化党建: the alliances' overview and their meetings."""
    user.client.get("/alliances/", name="/alliances/")
    user.client.get("/alliances/meetings/", name="/alliances/meetings/")


@flow("kpi_viewer", 1)
def rankings(user):
    """红黑榜: the rankings and one of them."""
    open_one(user, "/assessment/rankings/", "/assessment/rankings/")


@flow("kpi_viewer", 1)
def workforce_coverage(user):
    """Workforce and dispatch: grid coverage and the dispatch model's settings."""
    user.client.get("/workforce/coverage/", name="/workforce/coverage/")
    user.client.get("/intelligence/dispatch/", name="/intelligence/dispatch/")


@flow("public", 1)
def public_rankings(user):
    """The published 红黑榜 and the map of service points."""
    open_one(user, "/assessment/public/rankings/", "/assessment/public/rankings/")
    user.client.get("/onewindow/map/", name="/onewindow/map/")
