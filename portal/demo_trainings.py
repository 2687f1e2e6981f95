"""Demo trainings in several leagues (盟市), so that a spot check's strata are visible, and one open
campaign with a sealed seed. Idempotent: plans are keyed by title, the campaign by name.

Each league's base has three finished trainings: one whose report waits for the reviewer (hours to
certify), one that ended a few days ago (a report for the organiser to file) and one whose report is
overdue (a risk point for the draw). All go through the real services.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from filings import services
from filings.models import TrainingPlan

# (city, organiser user, reviewer user, place, trainee scope, trainee employer)
LEAGUES = [
    ("赤峰市", "organiser", "reviewer", "赤峰市红山区学院路1号", "全市卫生系统专业技术人员", "赤峰市医院"),
    ("鄂尔多斯市", "organiser2", "reviewer2", "鄂尔多斯市康巴什区文化西路6号", "全市工程技术人员", "鄂尔多斯市建筑设计院"),
    ("呼和浩特市", "organiser3", "reviewer_hohhot", "呼和浩特市赛罕区大学西街235号", "全市教育系统专业技术人员",
     "呼和浩特市第二中学"),
    ("包头市", "organiser4", "reviewer_baotou", "包头市昆都仑区钢铁大街45号", "全市冶金行业工程技术人员", "包头钢铁设计研究院"),
    ("锡林郭勒盟", "organiser5", "reviewer_xilingol", "锡林浩特市额尔敦路18号", "全盟农牧业专业技术人员",
     "锡林郭勒盟农牧业科学研究所"),
]
# (title suffix, subject, mode, days before now the training ended, report filed?)
TRAININGS = [
    ("专业技术人员新知识新技术培训班", "professional", "face_to_face", 30, True),
    ("专业技术人员能力提升研修班", "professional", "face_to_face", 5, False),
    ("专业技术人员公需科目面授辅导班", "public", "face_to_face", 60, False),
]
TRAINEES = [("高娃", "女", "19860412"), ("李志军", "男", "19790823"), ("张敏", "女", "19920107")]
CAMPAIGN_NAME = "{year}年度专业科目培训抽查（演示）"
DRAWN_CAMPAIGN_NAME = "{year}年度赤峰市培训抽查（演示，已抽取）"


def _data(city, title, subject, mode, ends, place, scope):
    from portal.demo_plans import _data as plan_data

    data = plan_data(title, subject, mode, ends - dt.timedelta(days=1, hours=8), 2, 16)
    return {**data, "place": place, "trainee_scope": scope, "planned_headcount": 60, "credit_year": None}


def _file_report(plan, organiser, employer):
    from filings import reports
    from filings.roster.services import roster_import_rows
    from portal.demo_plans import _demo_id

    rows = [{"seq": i, "name": name, "sex": sex, "id_number": _demo_id(20 + i, sex, birth), "employer": employer,
             "specialty": "专业技术", "title": "中级职称", "subject": "专业科目" if plan.subject == "professional" else "公需科目",
             "hours": plan.hours, "phone": f"1394710{i:04d}", "note": ""}
            for i, (name, sex, birth) in enumerate(TRAINEES, start=1)]
    roster_import_rows(plan=plan, rows=rows, confirmed=True)
    for kind in reports.required_attachments(plan):
        pdf = SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4\n%demo\n%%EOF\n", content_type="application/pdf")
        reports.report_attachment_add(plan=plan, actor=organiser, kind=kind, uploaded_file=pdf)
    reports.report_submit(plan=plan, actor=organiser, now=plan.ends_at + dt.timedelta(days=3))


def seed_league_trainings():
    now = timezone.localtime().replace(hour=17, minute=0, second=0, microsecond=0)
    to_report = []
    for city, organiser_name, reviewer_name, place, scope, employer in LEAGUES:
        organiser, reviewer = User.objects.get(username=organiser_name), User.objects.get(username=reviewer_name)
        for suffix, subject, mode, ended_days_ago, reported in TRAININGS:
            title = f"{city}{suffix}"
            if TrainingPlan.objects.filter(title=title).exists():
                continue
            ends = now - dt.timedelta(days=ended_days_ago)
            filed = ends - dt.timedelta(days=30)
            plan = services.plan_create(actor=organiser, data=_data(city, title, subject, mode, ends, place, scope),
                                        teachers=[{"name": "高文博", "title": "教授", "employer": "内蒙古大学"}],
                                        now=filed)
            services.plan_submit(plan=plan, actor=organiser, now=filed)
            services.plan_decide(plan=plan, actor=reviewer, decision="approve", reason="材料齐全，同意备案。", now=filed)
            if reported:
                to_report.append((plan, organiser, employer))
    services.plans_advance_by_clock(now=timezone.now())
    for plan, organiser, employer in to_report:
        plan.refresh_from_db()
        _file_report(plan, organiser, employer)


REGION_PLAN_TITLE = "专业技术人员高级研修班（自治区级）"


def seed_region_plan():
    """A region-level base's plan waiting for the region's reviewer."""
    if TrainingPlan.objects.filter(title=REGION_PLAN_TITLE).exists():
        return
    organiser = User.objects.get(username="organiser_region")
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) + dt.timedelta(days=35)
    data = _data("呼和浩特市", REGION_PLAN_TITLE, "professional", "face_to_face", start + dt.timedelta(days=2, hours=8),
                 "呼和浩特市赛罕区大学西街235号", "全区高校、科研院所专业技术人员")
    plan = services.plan_create(actor=organiser, data=data, teachers=[
        {"name": "高文博", "title": "教授", "employer": "内蒙古大学"}])
    services.plan_submit(plan=plan, actor=organiser)


def seed_campaigns():
    """An open campaign of the region bureau, quotas by league, its seed sealed (a campaign to draw), and a
    drawn one of the Chifeng bureau, whose trainings its two county inspectors must check (the bureau's own
    inspector stands aside: it reviewed them)."""
    from jurisdiction.models import Division
    from reviews.models import SpotCheckCampaign
    from reviews.spotchecks import draws

    # The year of the trainings whose reports are filed (in January, last year's), so that both draw.
    reported = TrainingPlan.objects.get(title=f"{LEAGUES[0][0]}{TRAININGS[0][0]}")
    year = timezone.localtime(reported.starts_at).year
    if not SpotCheckCampaign.objects.filter(name=CAMPAIGN_NAME.format(year=year)).exists():
        draws.campaign_create(actor=User.objects.get(username="inspector"), data={
            "name": CAMPAIGN_NAME.format(year=year), "division": Division.objects.get(code="150000"), "year": year,
            "subject": "professional", "strata_by": "league",
            "strata_quota": {"150400": 1, "150600": 1, "150100": 1, "150200": 1, "152500": 1},
        })
    if not SpotCheckCampaign.objects.filter(name=DRAWN_CAMPAIGN_NAME.format(year=year)).exists():
        inspector = User.objects.get(username="inspector_chifeng")
        campaign, _ = draws.campaign_create(actor=inspector, data={
            "name": DRAWN_CAMPAIGN_NAME.format(year=year), "division": Division.objects.get(code="150400"), "year": year,
            "sample_size": 1, "inspector_load_limit": 2,
        })
        draws.campaign_draw(campaign=campaign, actor=inspector)
