"""Request and response shapes of the public API (Pydantic 2 through django-ninja).

Large request bodies (roster rows, completion records) are plain Pydantic models: ninja's Schema wraps every
object in a Django-attribute getter, which costs more than the rest of the validation on 10,000 records.
Strings with NUL or lone surrogates (neither can be stored) are refused by the gateway before any schema
(api/gateway.py: unstorable_text); rule checks (subjects, ID numbers, hours…) stay in the services, so the
API and the web give the same words.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator, AwareDatetime, BaseModel

from filings.models import PlanState

INT32 = 2**31 - 1


Text = str


def _local(moment: dt.datetime) -> dt.datetime:
    """Any offset the client sends, as Asia/Shanghai time (PostgreSQL refuses offsets past ±15:59)."""
    try:
        return timezone.localtime(moment)
    except (OverflowError, ValueError):
        raise ValueError("时间超出可处理的范围") from None


Moment = Annotated[AwareDatetime, AfterValidator(_local)]
Int = Annotated[int, Field(ge=-INT32, le=INT32)]
State = Literal[tuple(PlanState.values)]  # type: ignore[valid-type]


class TeacherIn(Schema):
    name: Annotated[Text, Field(max_length=40)]
    title: Annotated[Text, Field(max_length=60)] = ""
    employer: Annotated[Text, Field(max_length=100)] = ""


class PlanIn(Schema):
    title: Text
    subject: Text = Field(description="public 或 professional")
    mode: Text = Field(description="face_to_face、online 或 mixed")
    starts_at: Moment
    ends_at: Moment
    place: Text
    content: Text
    trainee_scope: Text
    planned_headcount: Int
    hours: Int
    fee: Annotated[Decimal, Field(ge=-10**7, le=10**7, decimal_places=2)] = Decimal(0)
    contact_person: Text
    contact_phone: Text
    teachers: list[TeacherIn] = []
    credit_year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    # Facts the rules need only where the rule set in force asks (refused with 422 there, optional elsewhere).
    platform: Annotated[Text, Field(max_length=100)] | None = Field(None, description="网络培训平台（地址）")
    training_kind: Annotated[Text, Field(max_length=30)] | None = None
    approval_reference: Annotated[Text, Field(max_length=200)] | None = None
    approval_date: dt.date | None = None


class TeacherOut(Schema):
    name: str
    title: str
    employer: str


class HistoryOut(Schema):
    from_: str = Field(alias="from")
    to: str
    at: dt.datetime
    reason: str


class PlanOut(Schema):
    filing_no: str
    state: str
    title: str
    subject: str
    mode: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    content: str
    trainee_scope: str
    planned_headcount: int
    hours: int
    fee: float
    contact_person: str
    contact_phone: str
    credit_year: int
    platform: str
    teachers: list[TeacherOut]
    report_due_at: dt.datetime | None
    updated_at: dt.datetime


class PlanDetailOut(PlanOut):
    history: list[HistoryOut]


class PlanPage(Schema):
    results: list[PlanOut]
    next: str | None


class RosterRowIn(BaseModel):
    name: Annotated[Text, Field(max_length=400)] = ""
    sex: Annotated[Text, Field(max_length=40)] = ""
    id_number: Annotated[Text, Field(max_length=400)] = ""
    employer: Annotated[Text, Field(max_length=1000)] = ""
    specialty: Annotated[Text, Field(max_length=1000)] = ""
    title: Annotated[Text, Field(max_length=1000)] = ""
    subject: Annotated[Text, Field(max_length=40)] = ""
    hours: Int | None = None
    phone: Annotated[Text, Field(max_length=400)] = ""
    note: Annotated[Text, Field(max_length=2000)] = ""
    exam_passed: bool | None = None


class RosterIn(BaseModel):
    rows: list[RosterRowIn]


class RosterOut(Schema):
    imported: int
    anomalies: int
    checked: int
    dry_run: bool


class CompletionRecordIn(BaseModel):
    record_id: Annotated[Text, Field(min_length=1, max_length=64)]
    id_number: Annotated[Text, Field(max_length=400)]
    name: Annotated[Text, Field(max_length=400)]
    subject: Annotated[Text, Field(max_length=40)]
    hours: Int
    completed_on: dt.date
    exam_passed: bool | None = None
    sex: Annotated[Text, Field(max_length=40)] | None = None


class CompletionsIn(BaseModel):
    plan: Annotated[Text, Field(max_length=100)]
    records: list[CompletionRecordIn]


class CompletionsOut(Schema):
    accepted: int
    duplicates: list[str]
    batch: int | None


class LedgerEntryOut(Schema):
    entry_id: int
    kind: str
    reverses: int | None
    id_number: str
    name: str
    year: int
    subject: str
    hours: int
    source: str
    plan: str | None
    certified_at: dt.datetime
    authority: str
    authority_division: str


class LedgerChangesOut(Schema):
    entries: list[LedgerEntryOut]
    cursor: str


class YearHoursOut(Schema):
    year: int
    public: int
    professional: int
    total: int


class PersonHoursOut(Schema):
    id_number: str
    name: str
    years: list[YearHoursOut]
    entries: list[LedgerEntryOut]


class ProblemRow(Schema):
    row: int | None
    field: str | None
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[ProblemRow]
