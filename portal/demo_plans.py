"""Demo training plans in several states (idempotent: keyed by title)."""

import datetime as dt

from django.utils import timezone

from accounts.models import User
from filings import services
from filings.models import TrainingPlan

TEACHERS = [{"name": "高文博", "title": "教授", "employer": "内蒙古大学"}]


def _data(title, subject, mode, start, days, hours):
    return {
        "title": title, "subject": subject, "mode": mode, "starts_at": start,
        "ends_at": start + dt.timedelta(days=days - 1, hours=8), "place": "赤峰市红山区学院路1号" if mode != "online" else "内蒙古专业技术人员继续教育在线平台",
        "content": "新理论、新知识、新技术、新方法专题讲座与案例研讨。", "trainee_scope": "全市卫生系统专业技术人员",
        "planned_headcount": 120, "hours": hours, "fee": 0, "contact_person": "王晓燕", "contact_phone": "0476-8466847",
        "credit_year": None, "platform": "nmg.chinahrt.com" if mode == "online" else "",
    }


def seed_plans():
    organiser = User.objects.get(username="organiser")
    reviewer = User.objects.get(username="reviewer")
    base = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    specs = [
        ("2026年卫生专业技术人员新技术培训班", "professional", "face_to_face", 30, 3, 24, ["submit"]),
        ("人工智能与网络安全专题培训", "public", "online", 40, 5, 30, ["submit", "approve"]),
        ("应急管理能力提升研修班", "professional", "mixed", 25, 2, 16, []),
    ]
    for title, subject, mode, in_days, days, hours, steps in specs:
        if TrainingPlan.objects.filter(title=title).exists():
            continue
        plan = services.plan_create(
            actor=organiser, data=_data(title, subject, mode, base + dt.timedelta(days=in_days), days, hours),
            teachers=TEACHERS,
        )
        if "submit" in steps:
            services.plan_submit(plan=plan, actor=organiser)
        if "approve" in steps:
            services.plan_decide(plan=plan, actor=reviewer, decision="approve", reason="材料齐全，同意备案。")


# A finished training whose hours are certified, so the professional has hours and a card to see.
CERTIFIED_TITLE = "2026年中小学教师教学能力提升培训"
TRAINEES = [
    # (name, sex, birth date, employer); the first is the demo professional 巴特尔.
    ("巴特尔", "男", "19780305", "锡林浩特市第一中学"),
    ("乌云其木格", "女", "19850918", "锡林浩特市第一中学"),
    ("张丽", "女", "19900611", "赤峰市第二中学"),
    ("王强", "男", "19821120", "赤峰市第二中学"),
]


def _demo_id(seq: int, sex: str, birth: str) -> str:
    from rules.idnumber import check_character

    first17 = f"150404{birth}{seq * 2 + (1 if sex == '男' else 0):03d}"
    return first17 + check_character(first17)


def _roster_workbook(plan) -> bytes:
    import io

    from openpyxl import load_workbook

    from filings.roster.columns import FIRST_DATA_ROW
    from filings.roster.template import roster_template_workbook

    wb = load_workbook(io.BytesIO(roster_template_workbook(plan)))
    ws = wb.active
    for i, (name, sex, birth, employer) in enumerate(TRAINEES, start=1):
        values = [i, name, sex, _demo_id(i, sex, birth), employer, "中学数学", "中学一级教师", "专业科目",
                  plan.hours, f"1384760{i:04d}", ""]
        for column, value in enumerate(values, start=1):
            ws.cell(row=FIRST_DATA_ROW + i - 1, column=column, value=value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def seed_certified_training():
    """Walk one past training through every step with the real services, then link 巴特尔's account."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from filings import reports
    from filings.roster.services import roster_import
    from ledger.models import Person
    from reviews import certification

    if TrainingPlan.objects.filter(title=CERTIFIED_TITLE).exists():
        return
    organiser = User.objects.get(username="organiser")
    reviewer = User.objects.get(username="reviewer")
    start = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0) - dt.timedelta(days=40)
    filed = start - dt.timedelta(days=20)
    data = _data(CERTIFIED_TITLE, "professional", "face_to_face", start, 4, 30)
    plan = services.plan_create(actor=organiser, data=data, teachers=TEACHERS, now=filed)
    services.plan_submit(plan=plan, actor=organiser, now=filed)
    services.plan_decide(plan=plan, actor=reviewer, decision="approve", reason="同意备案。", now=filed)
    services.plans_advance_by_clock(now=plan.ends_at)
    plan.refresh_from_db()
    roster_import(plan=plan, content=_roster_workbook(plan))
    for kind in reports.required_attachments(plan):
        pdf = SimpleUploadedFile(f"{kind}.pdf", b"%PDF-1.4\n%demo\n%%EOF\n", content_type="application/pdf")
        reports.report_attachment_add(plan=plan, actor=organiser, kind=kind, uploaded_file=pdf)
    reports.report_submit(plan=plan, actor=organiser, now=plan.ends_at + dt.timedelta(days=3))
    certification.report_accept(plan=plan, actor=reviewer)
    certification.certify_hours(plan=plan, actor=reviewer)
    Person.objects.filter(id_number=_demo_id(1, "男", "19780305")).update(
        user=User.objects.get(username="professional"))
