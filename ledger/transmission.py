"""Transmission of certified hours to the talent database (内蒙古人才信息库).

A batch collects an authority's ledger rows (credits and reversals) that are in no batch yet;
an entry is batched once only. Marking a batch sent is a conditional UPDATE, so sending the
same batch twice does nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook

from accounts.audit import audit_record
from accounts.models import AuditEvent, Role, User
from accounts.pii import VIEW_FULL_PERSONAL_DATA, mask_id_number
from jurisdiction.models import Organisation
from ledger.models import HourEntry, TransmissionBatch
from sheets.cells import XLSX_TYPE, append_row, workbook_bytes

COLUMNS = [
    ("entry_id", "记录编号"), ("kind", "类型"), ("reverses", "冲销记录编号"), ("id_number", "身份证号码"),
    ("name", "姓名"), ("sex", "性别"), ("birth_date", "出生日期"), ("year", "学时年度"), ("subject", "科目类别"),
    ("source", "来源"), ("hours", "学时"), ("filing_no", "备案编号"), ("training", "培训名称"),
    ("organiser", "培训组织单位"), ("reason", "说明"), ("certified_at", "记账时间"),
]


def _require_authority_reviewer(authority: Organisation, actor: User) -> None:
    if not (actor.is_active and actor.role == Role.REVIEWER and actor.organisation_id == authority.pk):
        raise PermissionDenied("只有核定部门的审核人员可以办理数据报送。")


def _identifier(authority: Organisation, now: dt.datetime) -> str:
    prefix = f"RC-{authority.division_id}-{timezone.localtime(now):%Y%m%d%H%M%S}-"
    seq = TransmissionBatch.objects.filter(identifier__startswith=prefix).count() + 1
    return f"{prefix}{seq:03d}"


# The order in which entries became visible: the API's change feed registers it (api/feed.py), so that a
# batch is a slice of the same feed the talent database follows; plain id order when nothing registered.
_visible_order = None


def register_visible_order(order) -> None:
    """`order(queryset) -> queryset`: only entries the feed may already serve, in feed order."""
    global _visible_order
    _visible_order = order


def pending_entries(authority: Organisation):
    entries = HourEntry.objects.filter(authority=authority, batches__isnull=True)
    return _visible_order(entries) if _visible_order else entries.order_by("pk")


@transaction.atomic
def batch_create(*, authority: Organisation, actor: User, now: dt.datetime | None = None) -> TransmissionBatch:
    """1. lock the authority (one batch at a time per authority); 2. collect unbatched rows; 3. batch them."""
    _require_authority_reviewer(authority, actor)
    authority = Organisation.objects.select_for_update().get(pk=authority.pk)
    entry_ids = list(pending_entries(authority).values_list("pk", flat=True))
    if not entry_ids:
        raise ValidationError("没有待报送的学时记录：已核定的记录都已编入报送批次。")
    batch = TransmissionBatch.objects.create(
        identifier=_identifier(authority, now or timezone.now()), authority=authority, created_by=actor
    )
    batch.entries.add(*entry_ids)
    return batch


@transaction.atomic
def batch_mark_sent(*, batch: TransmissionBatch, actor: User, now: dt.datetime | None = None) -> bool:
    """Mark the batch sent; True only for the call that actually marked it."""
    _require_authority_reviewer(batch.authority, actor)
    marked = TransmissionBatch.objects.filter(pk=batch.pk, sent_at__isnull=True).update(
        sent_at=now or timezone.now()
    )
    if marked:
        audit_record(kind=AuditEvent.Kind.EXPORT, actor=actor, target=batch.identifier, action="sent")
    return bool(marked)


def _rows(batch: TransmissionBatch, *, full_id_numbers: bool) -> list[dict]:
    entries = batch.entries.select_related("person", "plan__organiser").order_by("pk")
    shown = (lambda value: value) if full_id_numbers else mask_id_number
    return [
        {
            "entry_id": e.pk, "kind": e.kind, "reverses": e.reverses_id, "id_number": shown(e.person.id_number),
            "name": e.person.name, "sex": e.person.sex, "birth_date": e.person.birth_date.isoformat(),
            "year": e.year, "subject": e.subject, "source": e.source, "hours": e.hours,
            "filing_no": e.plan.filing_no if e.plan else "", "training": e.plan.title if e.plan else "",
            "organiser": e.plan.organiser.name if e.plan else "", "reason": e.reason,
            "certified_at": timezone.localtime(e.created_at).isoformat(timespec="seconds"),
        }
        for e in entries
    ]


def batch_export_json(batch: TransmissionBatch, *, full_id_numbers: bool = False) -> bytes:
    """The talent database needs full ID numbers; they are in only for holders of the unmask permission."""
    payload = {
        "batch": batch.identifier, "authority": batch.authority.name, "division": batch.authority.division_id,
        "created_at": timezone.localtime(batch.created_at).isoformat(timespec="seconds"),
        "entries": _rows(batch, full_id_numbers=full_id_numbers),
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


def batch_export_xlsx(batch: TransmissionBatch, *, full_id_numbers: bool = False) -> bytes:
    """Every cell through sheets.cells: an organiser's training name like "=HYPERLINK(…)" stays text."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "学时报送"
    append_row(sheet, [f"报送批次：{batch.identifier}", f"核定部门：{batch.authority.name}"])
    append_row(sheet, [label for _, label in COLUMNS])
    for row in _rows(batch, full_id_numbers=full_id_numbers):
        append_row(sheet, [row[key] if row[key] is not None else "" for key, _ in COLUMNS])
    return workbook_bytes(workbook)


EXPORTS = {
    "json": (batch_export_json, "application/json; charset=utf-8"),
    "xlsx": (batch_export_xlsx, XLSX_TYPE),
}


def batch_download(*, batch: TransmissionBatch, actor: User, fmt: str, request=None) -> tuple[bytes, str, str]:
    """The authority's reviewer downloads a batch, audited; ID numbers in full only with the unmask permission."""
    _require_authority_reviewer(batch.authority, actor)
    export, content_type = EXPORTS[fmt]
    full = actor.has_perm(VIEW_FULL_PERSONAL_DATA)
    audit_record(kind=AuditEvent.Kind.EXPORT, actor=actor, request=request, target=batch.identifier, format=fmt,
                 full_id_numbers=full)
    return export(batch, full_id_numbers=full), f"{batch.identifier}.{fmt}", content_type
