"""Load mix for the portal: organisers list, open, create and submit plans; reviewers work their
inbox (claim, approve); professionals read their hours. Logs in through the login form with CSRF.

Users come from `manage.py seed_scale` (load_org00…, load_rev00…, load_pro00…, password
demo-jxjy-2026). Run through bench/load/run_load.sh, which starts everything on loopback.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
import re
import time

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOAD_PASSWORD", "demo-jxjy-2026")
REVIEWERS = 10
PLAN_LINK = re.compile(r'href="/plans/(\d+)/"')
CLAIM = re.compile(r'action="/reviews/plans/(\d+)/claim/"')
RELEASE = re.compile(r'action="/reviews/plans/(\d+)/release/"')
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_counters = {"org": itertools.count(), "rev": itertools.count(), "pro": itertools.count()}
_times: dict[str, list[tuple[float, bool]]] = {"pages": [], "steady": [], "login": []}
_logins = {"done": 0, "steady_since": None}


@events.request.add_listener
def _record(name, response_time, exception, **kwargs):
    """Keep every response time: pages, pages once every user has logged in (steady), and logins
    (deliberately slow: PBKDF2 with Django's default iterations) apart."""
    if name.startswith("/accounts/login/"):
        _times["login"].append((response_time, exception is not None))
        return
    _times["pages"].append((response_time, exception is not None))
    if _logins["steady_since"] and time.time() - response_time / 1000 >= _logins["steady_since"]:
        _times["steady"].append((response_time, exception is not None))


def _logged_in() -> None:
    _logins["done"] += 1
    if _logins["done"] == int(os.environ.get("USERS", "20")):
        _logins["steady_since"] = time.time()


def _percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@events.test_stop.add_listener
def _report(**kwargs):
    lines = []
    for key, rows in _times.items():
        times = sorted(t for t, _ in rows)
        if not times:
            continue
        p50, p95, p99 = (_percentile(times, q) for q in (.5, .95, .99))
        lines.append(f"{key:6} requests {len(times):6d}  errors {sum(e for _, e in rows):4d}  p50 {p50:7.0f} ms  "
                     f"p95 {p95:7.0f} ms  p99 {p99:7.0f} ms  max {times[-1]:7.0f} ms")
    with open(os.environ.get("LOCUST_SUMMARY", "locust_summary.txt"), "w") as out:
        out.write("\n".join(lines) + "\n")


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 2)
    prefix = ""
    pool_size = 10

    def on_start(self):
        self.username = f"load_{self.prefix}{next(_counters[self.prefix]) % self.pool_size:02d}"
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = CSRF_FIELD.search(page.text).group(1)
        with self.client.post("/accounts/login/", name="/accounts/login/ [POST]", catch_response=True,
                              data={"username": self.username, "password": PASSWORD,
                                    "csrfmiddlewaretoken": token}) as response:
            if "/accounts/login/" in response.url:
                response.failure(f"login failed for {self.username}")
            else:
                _logged_in()

    def post(self, path: str, name: str, data: dict | None = None, **kwargs):
        data = {**(data or {}), "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", "")}
        return self.client.post(path, data=data, name=name, **kwargs)


class Organiser(PortalUser):
    weight = 2
    prefix = "org"
    plan_ids: list[str] = []

    @task(5)
    def list_plans(self):
        page = self.client.get("/plans/", name="/plans/")
        self.plan_ids = PLAN_LINK.findall(page.text) or self.plan_ids

    @task(4)
    def open_plan(self):
        if self.plan_ids:
            self.client.get(f"/plans/{random.choice(self.plan_ids)}/", name="/plans/[id]/")

    @task(1)
    def create_and_submit(self):
        self.client.get("/plans/new/", name="/plans/new/")
        start = dt.datetime.now() + dt.timedelta(days=random.randint(60, 300))  # well past the 14-day rule
        data = {
            "title": "压测培训班", "subject": "professional", "mode": "face_to_face",
            "starts_at": f"{start:%Y-%m-%dT09:00}", "ends_at": f"{start + dt.timedelta(days=1):%Y-%m-%dT17:00}",
            "place": "呼和浩特市", "content": "新技术专题", "trainee_scope": "专业技术人员",
            "planned_headcount": "50", "hours": "16", "fee": "0", "contact_person": "王晓燕",
            "contact_phone": "0471-6666666", "credit_year": "",
            "teachers-TOTAL_FORMS": "3", "teachers-INITIAL_FORMS": "0", "teachers-MIN_NUM_FORMS": "0",
            "teachers-MAX_NUM_FORMS": "1000", "teachers-0-name": "高文博", "teachers-0-title": "教授",
            "teachers-0-employer": "内蒙古大学",
        }
        with self.post("/plans/new/", "/plans/new/ [POST]", data, catch_response=True) as response:
            found = re.search(r"/plans/(\d+)/$", response.url)
            if not found:
                response.failure("the plan form was refused")
                return
        with self.post(f"/plans/{found.group(1)}/submit/", "/plans/[id]/submit/", catch_response=True) as response:
            if "计划已提交审核" not in response.text:
                response.failure("submit refused")


class Reviewer(PortalUser):
    weight = 1
    prefix = "rev"
    pool_size = REVIEWERS
    pool: list[str] = []
    mine: list[str] = []

    @task(5)
    def inbox(self):
        page = self.client.get("/reviews/inbox/", name="/reviews/inbox/")
        self.pool, self.mine = CLAIM.findall(page.text), RELEASE.findall(page.text)

    @task(2)
    def claim(self):
        if self.pool:
            # Two reviewers may claim the same task; the loser is told so (a redirect, not an error).
            pk = self.pool.pop(random.randrange(min(20, len(self.pool))))
            self.post(f"/reviews/plans/{pk}/claim/", "/reviews/plans/[id]/claim/")
            self.mine.append(pk)

    @task(2)
    def open_plan(self):
        if self.mine or self.pool:
            self.client.get(f"/plans/{random.choice(self.mine or self.pool)}/", name="/plans/[id]/")

    @task(1)
    def approve(self):
        if self.mine:
            pk = self.mine.pop()
            self.post(f"/plans/{pk}/decide/approve/", "/plans/[id]/decide/approve/")


class Professional(PortalUser):
    weight = 1
    prefix = "pro"
    pool_size = 20

    @task
    def my_hours(self):
        self.client.get("/ledger/my-hours/", name="/ledger/my-hours/")
