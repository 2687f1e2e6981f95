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
        "credit_year": None,
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
