"""The locust users of the load test: one class per role of flows.py.

Run through ``benchmarks/load/run.py`` (it seeds, serves and measures); by hand:

    LOAD_SITE=site.json .venv/bin/locust -f benchmarks/load/locustfile.py \
        --host http://127.0.0.1:8000 --headless -u 50 -r 5 -t 2m

Environment:
    LOAD_SITE        JSON written by ``site.py prepare`` (run id, Open311 key, grid
                     codes and points, public case and check-in tokens)
    LOAD_LEDGER      where each user process appends the markers of the reports the
                     site accepted (one per line), for ``site.py count``
    LOAD_WAIT        think time between flows, "min,max" seconds (default "1,5")
    LOAD_ITERATIONS  stop each user after this many flows (the smoke test: 0 = no limit)
    LOAD_SMOKE=1     exactly one user per role (fixed_count), each walking every flow
                     of its role in turn (at least LOAD_ITERATIONS flows), for the
                     smoke test
    LOAD_REPORT      where to write the mix's figures (JSON): every request but the
                     logins and token set-up, after LOAD_SKIP_SECONDS (default 0);
                     "intake" holds the reports' own (随手拍, API, Open311)
    LOAD_EXPORT_QUERY  the community workers' export narrowed by this query string
                     (default: the whole community, as in a district's day; the smoke
                     test exports one surname, see flows.export_residents)
"""

import json
import os
import random
import statistics
import time
from itertools import count

import gevent
from flows import FLOWS, INTAKE, ROLES
from locust import HttpUser, between, events, task
from locust.exception import StopUser

SITE = (
    json.loads(open(os.environ["LOAD_SITE"]).read())
    if os.environ.get("LOAD_SITE")
    else {}
)
WAIT = tuple(float(x) for x in os.environ.get("LOAD_WAIT", "1,5").split(","))
ITERATIONS = int(os.environ.get("LOAD_ITERATIONS", "0"))
SMOKE = os.environ.get("LOAD_SMOKE") == "1"
PASSWORD = os.environ.get("LOAD_PASSWORD", "Jiceng2026demo")
LEDGER = []  # markers of accepted reports, all users of this process
SKIP = float(os.environ.get("LOAD_SKIP_SECONDS", "0"))
SETUP = {"/login/", "/login/ POST", "/account/tokens/ POST", "/account/"}
MIX = {"times": [], "intake": [], "failures": 0, "started": time.monotonic()}
_numbers = count()


class RoleUser(HttpUser):
    abstract = True
    role = ""
    wait_time = between(*WAIT)

    def on_start(self):
        self.site, self.ledger, self.versions, self.done = SITE, LEDGER, {}, 0
        spec = ROLES[self.role]
        self.username = None
        if spec.usernames:
            number = next(_numbers)
            self.username = spec.usernames[number % len(spec.usernames)]
            self.log_in()
        if spec.login == "token":
            self.take_token()

    def log_in(self):
        self.client.get("/login/", name="/login/")
        response = self.client.post(
            "/login/",
            data={"username": self.username, "password": PASSWORD},
            headers={"X-CSRFToken": self.client.cookies.get("csrftoken", "")},
            name="/login/ POST",
        )
        if "/login/" in response.url:
            raise StopUser(f"{self.username} could not log in")

    def take_token(self):
        """Make an API token on the account page, as an integrator would, then
        speak only with it (a fresh session without cookies)."""
        # the redirect lands on the account page, which shows the new token once
        page = self.client.post(
            "/account/tokens/",
            data={"name": "压测客户端", "days": 1},
            headers={"X-CSRFToken": self.client.cookies.get("csrftoken", "")},
            name="/account/tokens/ POST",
        )
        marker = 'data-testid="new-token">'
        text = page.text
        start = text.find("<code", text.find(marker))
        token = text[text.find(">", start) + 1 : text.find("</code>", start)]
        if not token or start < 0:
            raise StopUser("no API token")
        self.client.cookies.clear()
        self.client.headers["Authorization"] = f"Bearer {token}"

    @task
    def one_flow(self):
        weights, flows = zip(*FLOWS[self.role], strict=True)
        # the smoke walks every flow of the role in turn (none may rot unseen),
        # at least LOAD_ITERATIONS of them; the load picks them by weight
        if ITERATIONS and self.done >= max(ITERATIONS, len(flows) if SMOKE else 0):
            raise StopUser()
        if SMOKE:
            flows[self.done % len(flows)](self)
        else:
            random.choices(flows, weights)[0](self)
        self.done += 1


def _user_class(role, spec):
    attributes = {"role": role, "weight": spec.weight, "__module__": __name__}
    if SMOKE:
        attributes["fixed_count"] = 1
    return type(f"{role.title().replace('_', '')}User", (RoleUser,), attributes)


for _role, _spec in ROLES.items():
    _cls = _user_class(_role, _spec)
    globals()[_cls.__name__] = _cls
del _cls


@events.test_start.add_listener
def _watch(environment, **kwargs):
    """With LOAD_ITERATIONS, quit once every user has done its flows."""
    if not ITERATIONS or environment.runner is None:
        return

    def watch():
        runner = environment.runner
        gevent.sleep(2)
        while runner.user_count > 0:
            gevent.sleep(0.5)
        runner.quit()

    gevent.spawn(watch)


@events.request.add_listener
def _sample(name, response_time, exception=None, **kwargs):
    """The mix: what users do once logged in (logins are reported by name)."""
    if name in SETUP or time.monotonic() - MIX["started"] < SKIP:
        return
    MIX["times"].append(response_time)
    MIX["failures"] += exception is not None
    if name in INTAKE:
        MIX["intake"].append(response_time)


def percentiles(times):
    """p50 and p95 of response times in ms (0 when there are none)."""
    times = sorted(times) or [0]
    cuts = statistics.quantiles(times, n=100) if len(times) > 1 else times * 99
    return round(cuts[49]), round(cuts[94])


@events.quitting.add_listener
def _write_ledger(environment, **kwargs):
    path = os.environ.get("LOAD_LEDGER")
    if path:
        with open(path, "a") as ledger:
            ledger.writelines(f"{marker}\n" for marker in LEDGER)
    path = os.environ.get("LOAD_REPORT")
    if path:
        p50, p95 = percentiles(MIX["times"])
        intake_p50, intake_p95 = percentiles(MIX["intake"])
        seconds = time.monotonic() - MIX["started"] - SKIP
        with open(path, "w") as report:
            json.dump(
                {
                    "requests": len(MIX["times"]),
                    "failures": MIX["failures"],
                    "p50_ms": p50,
                    "p95_ms": p95,
                    "rps": round(len(MIX["times"]) / max(seconds, 1), 2),
                    "intake": {
                        "requests": len(MIX["intake"]),
                        "p50_ms": intake_p50,
                        "p95_ms": intake_p95,
                    },
                },
                report,
            )
