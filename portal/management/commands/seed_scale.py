"""Data at scale for the load test: plans, their transition logs, review tasks, rosters and ledger rows.

Bulk-loads with PostgreSQL COPY (psycopg `cursor.copy`), bypassing the services on purpose: the rows
it writes are what the services would have written (a continuous transition chain per plan, one open
review task per submitted plan, one credit per roster row of a certified plan), so that
`manage.py reconcile` passes on a freshly seeded database. Meant for a fresh, migrated database;
it refuses to run twice.

    manage.py seed_scale [--plans 100000] [--entries 1000000] [--persons 50000]
"""

from __future__ import annotations

import datetime as dt
import json
import random
import time

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role, User
from common.task_routing import DECISION_WINDOW, task_data
from filings.certifying import certifying_authority_of_plan
from filings.models import FilingCounter, PlanState, TrainingPlan
from filings.risk_facts import plan_risk_facts_refresh
from jurisdiction.models import Division, Organisation
from jurisdiction.selectors import supervising_authority
from portal.demo import DEMO_PASSWORD
from rules.idnumber import check_character

PREFIX = "压测"
S = PlanState
# (state, weight); the chain of (from, to) a plan in that state went through after its creation.
MIX = [(S.DRAFT, 10), (S.SUBMITTED, 5), (S.RETURNED, 2), (S.APPROVED, 8), (S.REJECTED, 2), (S.WITHDRAWN, 2),
       (S.CANCELLED, 3), (S.IN_TRAINING, 2), (S.AWAITING_REPORT, 10), (S.REPORTED, 8), (S.REPORT_RETURNED, 2),
       (S.REPORT_ACCEPTED, 6), (S.CERTIFIED, 40)]
_REVIEWED = [(S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.APPROVED)]
_TRAINED = [*_REVIEWED, (S.APPROVED, S.IN_TRAINING), (S.IN_TRAINING, S.AWAITING_REPORT)]
_REPORTED = [*_TRAINED, (S.AWAITING_REPORT, S.REPORTED)]
CHAINS = {
    S.DRAFT: [], S.SUBMITTED: [(S.DRAFT, S.SUBMITTED)],
    S.RETURNED: [(S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.RETURNED)],
    S.APPROVED: _REVIEWED, S.REJECTED: [(S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.REJECTED)],
    S.WITHDRAWN: [(S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.WITHDRAWN)], S.CANCELLED: [(S.DRAFT, S.CANCELLED)],
    S.IN_TRAINING: _TRAINED[:3], S.AWAITING_REPORT: _TRAINED, S.REPORTED: _REPORTED,
    S.REPORT_RETURNED: [*_REPORTED, (S.REPORTED, S.REPORT_RETURNED)],
    S.REPORT_ACCEPTED: [*_REPORTED, (S.REPORTED, S.REPORT_ACCEPTED)],
    S.CERTIFIED: [*_REPORTED, (S.REPORTED, S.REPORT_ACCEPTED), (S.REPORT_ACCEPTED, S.CERTIFIED)],
}
FUTURE = {S.DRAFT, S.SUBMITTED, S.RETURNED, S.APPROVED}
REPORTED_STATES = {S.REPORTED, S.REPORT_RETURNED, S.REPORT_ACCEPTED, S.CERTIFIED}
PLAN_REVIEW = "workflows/flows.PlanReviewFlow"
REPORT_REVIEW = "reviews/flows.ReportReviewFlow"
CERTIFICATION = "reviews/flows.CertificationFlow"
REPORT_DAYS = dt.timedelta(days=14)
PK_MARK = 987654321  # stands for the plan's id in a URL reversed once
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


def _id_number(n: int, county: str) -> str:
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=n % 12000)
    first17 = f"{county}{birth:%Y%m%d}{n // 12000:03d}"  # unique for n below 12 million
    return first17 + check_character(first17)


class Command(BaseCommand):
    help = "Bulk-load plans, transitions, review tasks, rosters and ledger rows for the load test (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--plans", type=int, default=100_000)
        parser.add_argument("--entries", type=int, default=1_000_000, help="hour credits (roster rows of certified plans)")
        parser.add_argument("--persons", type=int, default=50_000)
        parser.add_argument("--organisers", type=int, default=200, help="organiser organisations")
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **opts):
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale needs PostgreSQL (COPY); set DATABASE_URL.")
        if Organisation.objects.filter(name__startswith=PREFIX).exists():
            raise CommandError("Scale data is already loaded in this database; use a fresh one.")
        self.rng = random.Random(opts["seed"])
        self.now = timezone.now().replace(microsecond=0)
        started = time.monotonic()
        with transaction.atomic():
            orgs, users = self._organisations_and_users(opts["organisers"])
            plans = self._plans(opts["plans"], orgs, users)
            self._transitions_and_tasks(plans, users)
            self._rosters_and_ledger(plans, opts["entries"], opts["persons"], users)
            plan_risk_facts_refresh()  # the rows above bypassed the services that keep the facts
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"seed_scale: done in {time.monotonic() - started:.1f} s")

    # --- organisations and users -------------------------------------------------------------
    def _organisations_and_users(self, n_orgs: int):
        leagues = list(Division.objects.filter(level=Division.Level.LEAGUE).order_by("code"))
        region = Division.objects.get(level=Division.Level.REGION)
        bureaus = [Organisation(name=f"{PREFIX}{d.name}人力资源和社会保障局", kind=Organisation.Kind.HRSS, division=d)
                   for d in [region, *leagues]]
        Organisation.objects.bulk_create(bureaus)
        counties = list(Division.objects.filter(level=Division.Level.COUNTY).order_by("code"))
        organisers = Organisation.objects.bulk_create(
            Organisation(name=f"{PREFIX}继续教育基地{i:04d}", kind=Organisation.Kind.BASE_LEAGUE,
                         division=counties[i % len(counties)])
            for i in range(n_orgs)
        )
        organisers = list(Organisation.objects.filter(pk__in=[o.pk for o in organisers]).select_related("division"))
        authority = {o.pk: supervising_authority(o).pk for o in organisers}
        password = make_password(DEMO_PASSWORD)
        users = {"organiser": [], "reviewer": [], "professional": []}
        rows = []
        # Ten organisers spread over the tree, and ten reviewers of their authorities.
        loaded = organisers[:: max(1, len(organisers) // 10)][:10]
        for i, org in enumerate(loaded):
            rows.append(User(username=f"load_org{i:02d}", display_name=f"组织经办{i}", role=Role.ORGANISER,
                             organisation=org, password=password))
        loaded_authorities = sorted({authority[o.pk] for o in loaded})
        for i in range(10):
            rows.append(User(username=f"load_rev{i:02d}", display_name=f"审核人员{i}", role=Role.REVIEWER,
                             organisation_id=loaded_authorities[i % len(loaded_authorities)], password=password))
        for i in range(20):
            rows.append(User(username=f"load_pro{i:02d}", display_name=f"专技人员{i}", role=Role.PROFESSIONAL,
                             password=password))
        for user in User.objects.bulk_create(rows):
            users[user.role].append(user)
        self.stdout.write(f"  {len(bureaus)} bureaus, {len(organisers)} organisers, {len(rows)} load-test users "
                          f"(reviewers for {len(loaded_authorities)} authorities)")
        return {"organisers": organisers, "authority": authority}, users

    # --- plans ---------------------------------------------------------------------------------
    def _plans(self, n: int, orgs, users):
        t0 = time.monotonic()
        rng, now = self.rng, self.now
        states = [s for s, w in MIX for _ in range(w)]
        creator = {u.organisation_id: u.pk for u in users["organiser"]}
        fallback_creator = users["organiser"][0].pk
        counters: dict[tuple[int, str], int] = {}
        next_id = (TrainingPlan.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        plans, rows = [], []
        for i in range(n):
            org = orgs["organisers"][i % len(orgs["organisers"])]
            state = states[rng.randrange(len(states))]
            if state in FUTURE:
                starts = now + dt.timedelta(days=rng.randint(20, 400), hours=rng.randint(0, 10))
            elif state == S.IN_TRAINING:
                starts = now - dt.timedelta(hours=rng.randint(2, 20))
            else:
                starts = now - dt.timedelta(days=rng.randint(20, 1000))
            ends = starts + dt.timedelta(days=rng.randint(1, 3), hours=8)
            if state == S.IN_TRAINING:
                ends = now + dt.timedelta(days=rng.randint(1, 3))
            year, league = timezone.localtime(starts).year, org.division.league_code
            seq = counters[(year, league)] = counters.get((year, league), 0) + 1
            hours = rng.choice([8, 16, 24, 32])
            pk = next_id + i
            # Filed 30-60 days before the start, and never in the future: the log must end before now.
            created = min(starts - dt.timedelta(days=rng.randint(30, 60)), now - dt.timedelta(days=rng.randint(1, 20)))
            plans.append({"pk": pk, "state": state, "authority": orgs["authority"][org.pk], "starts": starts,
                          "ends": ends, "created": created, "year": year, "hours": hours,
                          "county": org.division.code, "creator": creator.get(org.pk, fallback_creator),
                          "organiser": org.pk, "organiser_name": org.name, "league": league,
                          "filing_no": f"备-{year}-{league[:4]}-{seq:05d}", "title": f"专业技术人员继续教育培训班第{i}期"})
            rows.append((pk, plans[-1]["filing_no"], plans[-1]["title"],
                         rng.choice(["public", "professional"]), rng.choice(["face_to_face", "online", "mixed"]),
                         starts, ends, "呼和浩特市", "新知识新技术专题", "专业技术人员", rng.randint(20, 200), hours,
                         0, "王晓燕", "0471-6666666", year, state, created,
                         created + dt.timedelta(hours=1) if state not in (S.DRAFT, S.CANCELLED) else None,
                         orgs["authority"][org.pk], plans[-1]["creator"], org.pk, "", "", ""))
        self._copy("filings_trainingplan", [
            "id", "filing_no", "title", "subject", "mode", "starts_at", "ends_at", "place", "content",
            "trainee_scope", "planned_headcount", "hours", "fee", "contact_person", "contact_phone", "credit_year",
            "state", "created_at", "submitted_at", "authority_id", "created_by_id", "organiser_id",
            "approval_reference", "platform", "training_kind"], rows)
        FilingCounter.objects.bulk_create(
            FilingCounter(year=y, league_code=code, last=last) for (y, code), last in counters.items())
        self._copy("filings_teacher", ["plan_id", "name", "title", "employer"],
                   ((p["pk"], "高文博", "教授", "内蒙古大学") for p in plans))
        self._copy("filings_trainingreport", [
            "plan_id", "due_at", "submitted_at", "submitted_by_id", "late_days", "headcount_confirmed"],
            ((p["pk"], p["ends"] + dt.timedelta(days=14), p["ends"] + dt.timedelta(days=3), p["creator"], 0, False)
             for p in plans if p["state"] in REPORTED_STATES))
        self.stdout.write(f"  {n} plans in {time.monotonic() - t0:.1f} s")
        return plans

    def _transitions_and_tasks(self, plans, users):
        """The transition log, and the authority's task flows as the services start them: a plan review per
        submission (its task open only while submitted), a report review per plan whose report waits
        (报告待审核), a certification per plan whose hours wait (待核定学时)."""
        t0 = time.monotonic()
        reviewer = {u.organisation_id: u.pk for u in users["reviewer"]}
        transitions = []
        for p in plans:
            at = p["created"]
            transitions.append((p["pk"], p["creator"], S.DRAFT, S.DRAFT, "创建草稿", at))
            for from_state, to_state in CHAINS[p["state"]]:
                at = at + dt.timedelta(hours=1)
                actor = (reviewer.get(p["authority"]) if from_state == S.SUBMITTED
                         else None if to_state in (S.IN_TRAINING, S.AWAITING_REPORT) else p["creator"])
                transitions.append((p["pk"], actor, from_state, to_state, "", at))
        self._copy("filings_plantransition", ["plan_id", "actor_id", "from_state", "to_state", "reason", "at"],
                   transitions)
        processes, tasks = self._flows(plans, reviewer)
        self._copy("viewflow_process", ["id", "flow_class", "status", "created", "finished",
                                        "artifact_content_type_id", "artifact_object_id", "data"], processes)
        self._copy("viewflow_task", ["flow_task", "flow_task_type", "status", "created", "started", "finished",
                                     "owner_id", "process_id", "token", "data"],
                   (t + ("start", "{}") for t in tasks))
        self._check_certification_routing(plans)
        self.stdout.write(f"  {len(transitions)} transitions, {len(processes)} processes, {len(tasks)} tasks "
                          f"in {time.monotonic() - t0:.1f} s")

    def _flows(self, plans, reviewer) -> tuple[list[tuple], list[tuple]]:
        """The rows of viewflow_process and viewflow_task for every plan's flows."""
        ct = ContentType.objects.get_for_model(TrainingPlan).pk
        plan_url = reverse("filings:plan_detail", args=[PK_MARK])
        certify_url = reverse("certification:plan_certification", args=[PK_MARK])
        decided = self.now + DECISION_WINDOW
        processes, tasks = [], []
        next_process = 1 + self._max_id("viewflow_process")

        def add(flow, human, p, status, start, due, url, owner=None):
            nonlocal next_process
            process_id, next_process = next_process, next_process + 1
            data = task_data(authority_id=p["authority"], organiser_id=p["organiser"], organiser=p["organiser_name"],
                             league=p["league"], due=due, title=p["title"], ref=p["filing_no"],
                             url=url.replace(str(PK_MARK), str(p["pk"])))
            processes.append((process_id, flow, status, start, None if status == "NEW" else start, ct, p["pk"],
                              json.dumps(data, ensure_ascii=False)))
            tasks.append((f"{flow}.start", "START", "DONE", start, start, start, None, process_id))
            finished = None if status == "NEW" else start + dt.timedelta(hours=1)
            tasks.append((f"{flow}.{human}", "HUMAN", status, start, finished, finished, owner, process_id))
            if status == "DONE":
                tasks.append((f"{flow}.end", "END", "DONE", finished, finished, finished, None, process_id))

        for p in plans:
            if p["state"] not in (S.DRAFT, S.CANCELLED):
                status = {S.SUBMITTED: "NEW", S.WITHDRAWN: "CANCELED"}.get(p["state"], "DONE")
                add(PLAN_REVIEW, "review", p, status, p["created"] + dt.timedelta(hours=1), p["starts"], plan_url,
                    owner=reviewer.get(p["authority"]) if status == "DONE" else None)
            if p["state"] == S.REPORTED:  # report due 14 days after the end (the seeded TrainingReport.due_at)
                add(REPORT_REVIEW, "review", p, "NEW", self.now, max(p["ends"] + REPORT_DAYS, self.now) + DECISION_WINDOW,
                    plan_url)
            elif p["state"] == S.REPORT_ACCEPTED:
                add(CERTIFICATION, "certify", p, "NEW", self.now, decided, certify_url)
        return processes, tasks

    def _check_certification_routing(self, plans) -> None:
        """The certification tasks above go to the plan's reviewing authority, which the rules name for the
        organisers seeded here (league bases under local management): checked on a sample with the real rule."""
        waiting = [p["pk"] for p in plans if p["state"] == S.REPORT_ACCEPTED][:20]
        for plan in TrainingPlan.objects.filter(pk__in=waiting).select_related("organiser", "authority"):
            if certifying_authority_of_plan(plan).pk != plan.authority_id:
                raise CommandError(f"seed_scale assumes the reviewing authority certifies; not so for {plan.filing_no}")

    # --- rosters and the ledger -------------------------------------------------------------------
    def _rosters_and_ledger(self, plans, n_entries: int, n_persons: int, users):
        t0 = time.monotonic()
        rng = self.rng
        certified = [p for p in plans if p["state"] == S.CERTIFIED]
        if not certified:
            return
        per_plan = max(1, -(-n_entries // len(certified)))
        next_person = 1 + self._max_id("ledger_person")
        persons = [(next_person + n, _id_number(n, certified[n % len(certified)]["county"]),
                    SURNAMES[n % len(SURNAMES)] + GIVEN[n * 7 % len(GIVEN)], "MF"[n % 2],
                    dt.date(1965, 1, 1) + dt.timedelta(days=n % 12000), "呼和浩特市某单位", None)
                   for n in range(n_persons)]
        for n, user in enumerate(users["professional"]):  # the load test's professionals see real ledgers
            persons[n] = (*persons[n][:6], user.pk)
        self._copy("ledger_person", ["id", "id_number", "name", "sex", "birth_date", "employer", "user_id"], persons)
        next_roster = 1 + self._max_id("filings_rosterentry")
        roster, entries, made = [], [], 0
        for p in certified:
            take = min(per_plan, n_entries - made)
            if take <= 0:
                break
            start = rng.randrange(n_persons)
            for seq in range(take):
                person = persons[(start + seq * 37) % n_persons]
                subject = "public" if seq % 3 == 0 else "professional"
                rid = next_roster + made
                roster.append((rid, p["pk"], seq + 1, person[2], person[3], person[1], "呼和浩特市某单位", "临床医学",
                               "主治医师", subject, p["hours"], "13800000000", "", "", p["hours"], ""))
                entries.append((person[0], p["year"], subject, "training", p["hours"], "credit", None, p["pk"], rid,
                                p["authority"], "", None, min(p["ends"] + dt.timedelta(days=20), self.now)))
                made += 1
        self._copy("filings_rosterentry", [
            "id", "plan_id", "seq", "name", "sex", "id_number", "employer", "specialty", "title", "subject", "hours",
            "phone", "note", "anomaly", "certified_hours", "adjustment_reason"], roster)
        self._copy("ledger_hourentry", [
            "person_id", "year", "subject", "source", "hours", "kind", "reverses_id", "plan_id", "roster_entry_id",
            "authority_id", "reason", "created_by_id", "created_at"], entries)
        self.stdout.write(f"  {len(persons)} persons, {len(roster)} roster rows, {len(entries)} hour credits "
                          f"in {time.monotonic() - t0:.1f} s")

    # --- helpers ------------------------------------------------------------------------------------
    def _max_id(self, table: str) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 (our own table names)
            return cursor.fetchone()[0]

    def _copy(self, table: str, columns: list[str], rows) -> None:
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            if "id" in columns:
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT coalesce(max(id), 1) FROM {table}))")
