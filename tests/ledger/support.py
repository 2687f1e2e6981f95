"""Plain helpers (not fixtures) that carry a plan through the report and certification steps.

Shared by tests/reviews/test_report_*.py, tests/reviews/test_certification*.py and tests/ledger/.
The roster rows stand in for the roster import's output, created directly with the ORM.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from filings import reports, services
from filings.models import RosterEntry, TrainingPlan
from reviews import certification
from rules.idnumber import check_character
from tests.filings.conftest import NOW, TEACHERS, plan_data

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def id_number(seq: int, *, birth: str = "19800101", male: bool = True, area: str = "150404") -> str:
    first17 = f"{area}{birth}{seq % 100:02d}{1 if male else 2}"
    return first17 + check_character(first17)


def pdf(name: str = "材料.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def plan_awaiting_report(owner, reviewer, *, now: dt.datetime = NOW, **overrides) -> TrainingPlan:
    """Create, submit, approve and run a plan through its training by the clock."""
    overrides.setdefault("starts_at", now + dt.timedelta(days=30))
    plan = services.plan_create(actor=owner, data=plan_data(**overrides), teachers=TEACHERS, now=now)
    services.plan_submit(plan=plan, actor=owner, now=now)
    services.plan_decide(plan=plan, actor=reviewer, decision="approve", now=now)
    services.plans_advance_by_clock(now=plan.ends_at)
    plan.refresh_from_db()
    return plan


def add_roster(plan: TrainingPlan, count: int = 3, *, hours: int | None = None) -> list[RosterEntry]:
    return [
        RosterEntry.objects.create(
            plan=plan, seq=i, name=f"学员{i}", sex="M" if i % 2 else "F", id_number=id_number(i, male=bool(i % 2)),
            employer="松山区医院", specialty="临床医学", title="主治医师", subject=plan.subject,
            hours=hours or plan.hours, phone="13800000000",
        )
        for i in range(1, count + 1)
    ]


def upload_required(plan: TrainingPlan, owner) -> None:
    for kind in reports.required_attachments(plan):
        reports.report_attachment_add(plan=plan, actor=owner, kind=kind, uploaded_file=pdf(f"{kind}.pdf"))


def reported_plan(owner, reviewer, *, trainees: int = 3, **overrides) -> TrainingPlan:
    plan = plan_awaiting_report(owner, reviewer, **overrides)
    add_roster(plan, trainees)
    upload_required(plan, owner)
    reports.report_submit(plan=plan, actor=owner, now=plan.ends_at + dt.timedelta(days=1))
    plan.refresh_from_db()
    return plan


def accepted_plan(owner, reviewer, **kwargs) -> TrainingPlan:
    plan = reported_plan(owner, reviewer, **kwargs)
    return certification.report_accept(plan=plan, actor=reviewer)


def certified_plan(owner, reviewer, **kwargs) -> TrainingPlan:
    plan = accepted_plan(owner, reviewer, **kwargs)
    certification.certify_hours(plan=plan, actor=reviewer)
    plan.refresh_from_db()
    return plan
