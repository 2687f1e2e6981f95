import io
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent
from ledger import transmission
from ledger.models import HourEntry, TransmissionBatch
from ledger.services import amendment_approve, amendment_request
from tests.ledger.support import id_number

pytestmark = pytest.mark.django_db


def test_a_batch_collects_the_authoritys_unbatched_entries(plan, reviewer):
    batch = transmission.batch_create(authority=plan.authority, actor=reviewer)
    assert re.fullmatch(r"RC-150400-\d{14}-001", batch.identifier)
    assert set(batch.entries.values_list("pk", flat=True)) == set(HourEntry.objects.values_list("pk", flat=True))


def test_entries_are_never_batched_twice(plan, reviewer, entry, owner, second_reviewer):
    first = transmission.batch_create(authority=plan.authority, actor=reviewer)
    with pytest.raises(ValidationError, match="没有待报送"):
        transmission.batch_create(authority=plan.authority, actor=reviewer)
    request = amendment_request(entry=entry, actor=owner, new_hours=10, reason="更正")
    reversal, credit = amendment_approve(request=request, actor=second_reviewer)
    second = transmission.batch_create(authority=plan.authority, actor=reviewer)
    assert set(second.entries.values_list("pk", flat=True)) == {reversal.pk, credit.pk}
    assert not set(first.entries.values_list("pk", flat=True)) & {reversal.pk, credit.pk}


def test_marking_a_batch_sent_twice_sends_nothing_the_second_time(plan, reviewer):
    batch = transmission.batch_create(authority=plan.authority, actor=reviewer)
    assert transmission.batch_mark_sent(batch=batch, actor=reviewer) is True
    sent_at = TransmissionBatch.objects.get(pk=batch.pk).sent_at
    assert transmission.batch_mark_sent(batch=batch, actor=reviewer) is False
    assert TransmissionBatch.objects.get(pk=batch.pk).sent_at == sent_at
    events = AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, target=batch.identifier, detail__action="sent")
    assert events.count() == 1


@pytest.mark.parametrize("who", ["owner", "outsider", "reviewer_other_league", "region_reviewer"])
def test_only_the_authoritys_reviewers_batch(plan, request, who):
    with pytest.raises(PermissionDenied):
        transmission.batch_create(authority=plan.authority, actor=request.getfixturevalue(who))


def test_exports_carry_full_id_numbers(plan, reviewer):
    batch = transmission.batch_create(authority=plan.authority, actor=reviewer)
    payload = json.loads(transmission.batch_export_json(batch))
    assert payload["batch"] == batch.identifier and len(payload["entries"]) == 3
    assert {e["id_number"] for e in payload["entries"]} == {id_number(1), id_number(2, male=False), id_number(3)}
    sheet = load_workbook(io.BytesIO(transmission.batch_export_xlsx(batch))).active
    assert sheet.cell(2, 4).value == "身份证号码" and sheet.cell(3, 4).value == id_number(1)


def test_the_pages_list_create_download_and_mark_sent(client, plan, reviewer):
    client.force_login(reviewer)
    client.post(reverse("ledger:batch_create"))
    batch = TransmissionBatch.objects.get()
    assert batch.identifier in client.get(reverse("ledger:batch_list")).content.decode()
    for fmt in ("json", "xlsx"):
        response = client.get(reverse("ledger:batch_download", args=[batch.pk, fmt]))
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="{batch.identifier}.{fmt}"'
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, actor=reviewer).count() == 2
    client.post(reverse("ledger:batch_mark_sent", args=[batch.pk]))
    client.post(reverse("ledger:batch_mark_sent", args=[batch.pk]))
    assert TransmissionBatch.objects.get().sent_at is not None


@pytest.mark.parametrize("who,status", [("reviewer_other_league", 404), ("region_reviewer", 404)])
def test_other_authorities_cannot_download_a_batch(client, request, plan, reviewer, who, status):
    batch = transmission.batch_create(authority=plan.authority, actor=reviewer)
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("ledger:batch_download", args=[batch.pk, "json"])).status_code == status
    assert client.post(reverse("ledger:batch_mark_sent", args=[batch.pk])).status_code == status


@pytest.mark.parametrize("who", ["owner", "professional"])
def test_organisers_and_professionals_have_no_batch_list(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("ledger:batch_list")).status_code == 403
