"""The fixture world for the permission matrix and the personal-data scan.

One plan of `owner`'s organisation in each state the URLs need, a certified plan with roster,
ledger entries, an attachment, an amendment request, a transmission batch, an audit card, a failed
roster upload, three spot-check campaigns (open, drawn with an inspection recorded and a redraw
requested, published) and a notification. Built through services; the roster rows and the failed
upload stand in for the importer's output, as in tests/ledger/support.py.

Usernames carry a `w_` prefix so that the standing cast of tests/conftest.py can coexist with it.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from openpyxl import Workbook

from accounts.models import Role, User
from filings import reports, services
from filings.models import RosterEntry, RosterUpload, TrainingPlan
from filings.roster.columns import COLUMNS
from insights.services import statistics_refresh
from jurisdiction.models import Division
from ledger import services as ledger_services
from ledger import transmission
from ledger.models import HourEntry, Person
from notifications.models import Notification
from reviews import certification, late_exceptions
from reviews.spotchecks import draws, inspections, selectors
from rules.cards import card_issue
from tests.factories import OrganisationFactory, UserFactory, division
from tests.filings.conftest import NOW, TEACHERS, plan_data
from tests.ledger.support import id_number, plan_awaiting_report, upload_required

# The seven roles of the matrix; "owner" organises every object of the world.
ROLES = ("owner", "outsider", "reviewer", "reviewer_other", "inspector", "professional", "anonymous")
SEED = "矩阵测试种子"


@dataclass
class Trainee:
    name: str
    id_number: str
    phone: str


@dataclass
class World:
    users: dict[str, User]
    plans: dict[str, TrainingPlan]
    objects: dict[str, object] = field(default_factory=dict)
    trainees: list[Trainee] = field(default_factory=list)

    def id_numbers(self) -> set[str]:
        numbers = {t.id_number for t in self.trainees}
        return numbers | set(Person.objects.values_list("id_number", flat=True))

    def phones(self) -> set[str]:
        phones = {t.phone for t in self.trainees}
        return phones | {u.phone for u in User.objects.exclude(phone="")}


def _cast() -> dict[str, User]:
    chifeng = OrganisationFactory(name="赤峰市人社局", kind="hrss", division=division("150400"))
    ordos = OrganisationFactory(name="鄂尔多斯市人社局", kind="hrss", division=division("150600"))
    region = OrganisationFactory(name="自治区人社厅专技处", kind="hrss", division=division("150000"))
    owner_org = OrganisationFactory(name="赤峰市继续教育基地", kind="base_league", division=division("150404"))
    outsider_org = OrganisationFactory(name="鄂尔多斯市继续教育基地", kind="base_league", division=division("150602"))

    def user(name, role, org, phone):
        return UserFactory(username=f"w_{name}", role=role, organisation=org, phone=phone)

    users = {
        "owner": user("owner", Role.ORGANISER, owner_org, "13904760001"),
        "outsider": user("outsider", Role.ORGANISER, outsider_org, "13904770002"),
        "reviewer": user("reviewer", Role.REVIEWER, chifeng, "13904760003"),
        "reviewer_other": user("reviewer_other", Role.REVIEWER, ordos, "13904770004"),
        "inspector": user("inspector", Role.INSPECTOR, region, "13904710005"),
        "professional": user("professional", Role.PROFESSIONAL, None, "13904760006"),
        # Not matrix roles: a second reviewer of the node, more inspectors for the two-person rules.
        "reviewer2": user("reviewer2", Role.REVIEWER, chifeng, "13904760007"),
    }
    # Not matrix roles either: the page-language crawl signs in as each of the other roles too.
    title_office = OrganisationFactory(name="自治区职称评审办公室", kind="title_office", division=division("150000"))
    users["title_office"] = user("title_office", Role.TITLE_OFFICE, title_office, "13904710008")
    users["administrator"] = UserFactory(username="w_administrator", role=Role.ADMIN, organisation=None,
                                         phone="13904710010", is_staff=True, is_superuser=True)
    for n in range(3):
        users[f"inspector_region{n}"] = user(f"inspector_region{n}", Role.INSPECTOR, region, f"1390471010{n}")
    for n in range(2):
        users[f"inspector_ordos{n}"] = user(f"inspector_ordos{n}", Role.INSPECTOR, ordos, f"1390477010{n}")
    return users


def _trainees(base: int) -> list[Trainee]:
    return [Trainee(f"学员{base + i}", id_number(base + i, male=bool(i % 2)), f"1584760{base + i:04d}")
            for i in range(1, 4)]


def _add_roster(plan: TrainingPlan, trainees: list[Trainee]) -> None:
    for seq, t in enumerate(trainees, start=1):
        RosterEntry.objects.create(
            plan=plan, seq=seq, name=t.name, sex="M" if seq % 2 else "F", id_number=t.id_number,
            employer="松山区医院", specialty="临床医学", title="主治医师", subject=plan.subject, hours=plan.hours,
            phone=t.phone,
        )


def _reported(users, trainees) -> TrainingPlan:
    owner, reviewer = users["owner"], users["reviewer"]
    plan = plan_awaiting_report(owner, reviewer)
    _add_roster(plan, trainees)
    upload_required(plan, owner)
    reports.report_submit(plan=plan, actor=owner, now=plan.ends_at + dt.timedelta(days=1))
    plan.refresh_from_db()
    return plan


def _plans(users, world: World) -> dict[str, TrainingPlan]:
    owner, reviewer = users["owner"], users["reviewer"]

    def create(**overrides):
        return services.plan_create(actor=owner, data=plan_data(**overrides), teachers=TEACHERS, now=NOW)

    plans = {}
    for key, base in (("reported", 10), ("accepted", 20), ("certified", 30)):
        trainees = _trainees(base)
        world.trainees += trainees
        plans[key] = _reported(users, trainees)
    certification.report_accept(plan=plans["accepted"], actor=reviewer)
    certification.report_accept(plan=plans["certified"], actor=reviewer)
    certification.certify_hours(plan=plans["certified"], actor=reviewer)
    plans["awaiting_report"] = plan_awaiting_report(owner, reviewer)
    plans["draft"] = create()
    plans["submitted"] = services.plan_submit(plan=create(), actor=owner, now=NOW)
    plans["claimed"] = services.plan_submit(plan=create(), actor=owner, now=NOW)
    services.plan_claim(plan=plans["claimed"], actor=reviewer)
    approved = services.plan_submit(plan=create(starts_at=NOW + dt.timedelta(days=400)), actor=owner, now=NOW)
    plans["approved"] = services.plan_decide(plan=approved, actor=reviewer, decision="approve", now=NOW)
    for plan in plans.values():
        plan.refresh_from_db()
    return plans


def _failed_upload(plan: TrainingPlan, owner: User, trainee: Trainee) -> RosterUpload:
    wb = Workbook()
    ws = wb.active
    ws.append([c.header for c in COLUMNS])
    ws.append([1, trainee.name, "男", trainee.id_number, "松山区医院", "临床医学", "主治医师", "专业科目", 999,
               trainee.phone, ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    upload = RosterUpload(plan=plan, uploaded_by=owner, original_name="花名册.xlsx", status=RosterUpload.Status.FAILED,
                          errors=[{"row": 2, "column": "学时", "message": "学时 999 超过了计划每人学时 24。"}])
    upload.file.save("roster-failed.xlsx", ContentFile(buffer.getvalue()), save=False)
    upload.save()
    return upload


def _ledger(users, plans, world: World) -> None:
    owner, reviewer = users["owner"], users["reviewer"]
    entries = list(HourEntry.objects.filter(plan=plans["certified"]).order_by("pk"))
    world.objects["entry"] = entries[1]
    world.objects["amendment"] = ledger_services.amendment_request(entry=entries[0], actor=owner, new_hours=12,
                                                                   reason="签到表核对后更正")
    world.objects["batch"] = transmission.batch_create(authority=plans["certified"].authority, actor=reviewer)
    person = entries[2].person
    person.user = users["professional"]
    person.save(update_fields=["user"])
    world.objects["card"] = card_issue(person=person, year=entries[2].year, scope="year", actor=users["professional"])
    world.objects["person"] = person
    world.objects["attachment"] = plans["certified"].attachments.order_by("pk").first()
    world.objects["upload"] = _failed_upload(plans["awaiting_report"], owner, world.trainees[0])
    world.objects["late_request"] = late_exceptions.late_exception_request(
        plan=plans["draft"], actor=owner, reason="主讲专家行程临时确定", now=plans["draft"].starts_at)
    world.objects["notification"] = Notification.objects.create(
        user=owner, title="培训情况报告即将到期", body="请按时提交培训情况报告。", url="/notifications/")


def _applications(users, world: World) -> None:
    """The professional works for a Songshan hospital (its HR clerk is `employer_hr`): a submitted and a returned credit application, and a
    circumstance record filed by a second reviewer and claimed by `reviewer`."""
    from ledger.services import applications as apps
    from tests.ledger.applications_support import evidence, exam

    hospital = OrganisationFactory(name="松山区医院", kind="employer", division=division("150404"))
    person = world.objects["person"]
    person = ledger_services.person_link_employer(person=person, organisation=hospital)
    users["employer_hr"] = UserFactory(username="w_employer_hr", role=Role.EMPLOYER_HR, organisation=hospital,
                                       phone="13904760009")
    professional, reviewer2 = users["professional"], users["reviewer2"]
    day = NOW.date() - dt.timedelta(days=30)
    world.objects["credit"] = apps.credit_apply(person=person, actor=professional, data=exam(day=day),
                                                evidence=evidence())
    returned = apps.credit_apply(person=person, actor=professional, data=exam(day=day, title="职称计算机考试"),
                                 evidence=evidence())
    world.objects["credit_returned"] = apps.application_return(application=returned, actor=reviewer2,
                                                               reason="证书不清晰")
    record = apps.circumstance_record(person=person, actor=reviewer2, evidence=evidence(), data=apps.CircumstanceData(
        code="grassroots", effective_from=day))
    world.objects["circumstance"] = apps.application_claim(application=record, actor=users["reviewer"])


def _campaign(users, name: str):
    data = {"name": name, "division": Division.objects.get(code="150000"), "year": NOW.year, "sample_size": 1,
            "strata_by": "none", "random_share": "0.3", "inspector_load_limit": 5}
    campaign, _ = draws.campaign_create(actor=users["inspector"], data=data, seed=SEED)
    return campaign


def _team(selection) -> list[User]:
    return [a.inspector for a in selectors.active_assignments(selection)]


def _record(selection):
    checklist = {code: {"result": "ok", "note": ""} for code, _ in inspections.checklist_for(selection.plan.mode)}
    return inspections.inspection_record(selection=selection, actor=_team(selection)[0], checklist=checklist,
                                         findings="签到表与花名册一致", outcome="compliant")


def _spot_checks(users, world: World) -> None:
    later = NOW + dt.timedelta(days=60)
    published, drawn = _campaign(users, "已公开批次"), _campaign(users, "检查中批次")
    world.objects["campaign_open"] = _campaign(users, "待抽取批次")
    for campaign in (published, drawn):
        draws.campaign_draw(campaign=campaign, actor=users["inspector"], seed=SEED, now=later)
    inspectors = [u for k, u in users.items() if k.startswith("inspector")]
    selection = selectors.current_selections(published).get()
    inspection = _record(selection)
    confirmer = next(u for u in inspectors if u != inspection.recorded_by)
    inspections.inspection_confirm(inspection=inspection, actor=confirmer)
    inspections.campaign_approve_results(campaign=published, actor=users["inspector"])
    selection = selectors.current_selections(drawn).get()
    recorded = _record(selection)
    requester = next(u for u in inspectors if u not in (users["inspector"], recorded.recorded_by))
    redraw, _ = draws.redraw_request(campaign=drawn, actor=requester, reason="抽查范围有误")
    published.refresh_from_db()
    drawn.refresh_from_db()
    world.objects.update(campaign_published=published, campaign_drawn=drawn, selection=selection, redraw=redraw,
                         assignment=selectors.active_assignments(selection).first(),
                         draw_published=published.draws.get())


def _api(users, world: World) -> None:
    """An API client of the owner's organisation and a pending batch of online completions (built last, so
    the spot-check draws above see the same plans as before)."""
    from api.clients import client_create
    from api.completions import completions_accept
    from api.schemas import CompletionRecordIn

    owner, reviewer = users["owner"], users["reviewer"]
    client, _token, _secret = client_create(organisation=owner.organisation, name="矩阵平台",
                                            scopes=["plans", "rosters", "completions"])
    data = plan_data(mode="online", subject="public", title="公需科目网络培训", hours=30, platform="nmg.chinahrt.com",
                     starts_at=NOW + dt.timedelta(days=500), ends_at=NOW + dt.timedelta(days=560))
    plan = services.plan_submit(plan=services.plan_create(actor=owner, data=data, teachers=[], now=NOW), actor=owner,
                                now=NOW)
    plan = services.plan_decide(plan=plan, actor=reviewer, decision="approve")
    trainee = world.trainees[0]
    record = CompletionRecordIn(record_id="W-1", id_number=trainee.id_number, name=trainee.name, subject="public",
                                hours=30, completed_on=(NOW + dt.timedelta(days=510)).date(), exam_passed=True)
    batch, _ = completions_accept(client=client, plan=plan, records=[record])
    world.objects.update(api_client=client, completion_batch=batch)


def build_world() -> World:
    users = _cast()
    world = World(users=users, plans={})
    world.plans = _plans(users, world)
    _ledger(users, world.plans, world)
    _applications(users, world)
    _spot_checks(users, world)
    statistics_refresh(now=NOW + dt.timedelta(days=90))
    _api(users, world)
    return world
