"""Bulk staff accounts: template, LibreOffice-written workbooks, all or nothing, scope, first sign-in, deactivation."""

import io
import re
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from access import staff_import as svc
from access.models import AccountIdentity
from accounts.models import AuditEvent, Role, User
from jurisdiction.models import Organisation
from tests.access.sms_outbox import MemorySmsProvider
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NEW = "Horqin-Sands-2026"


def upload(client, name):
    data = (FILES / name).read_bytes()
    return client.post(reverse("accounts:staff_import"), {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin1", role=Role.ADMIN, organisation=None)


def test_the_template_has_every_column_and_the_role_list(client, reviewer):
    client.force_login(reviewer)
    response = client.get(reverse("accounts:staff_template"))
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["账号"][1]] == [c.header for c in svc.COLUMNS]
    assert "审核人员" in wb["账号"].data_validations.dataValidation[0].formula1
    assert wb["填写说明"].max_row >= len(svc.COLUMNS) + 1


def test_a_reviewer_imports_a_libreoffice_workbook_into_its_subtree(client, reviewer, chifeng_bureau,
                                                                  django_capture_on_commit_callbacks):
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "staff_ok.xlsx")
    assert response.status_code == 200, response.content.decode()[:2000]
    users = {u.username: u for u in User.objects.filter(username__in=["songshan_jd", "cf_shenhe2", "hongshan_hr"])}
    assert set(users) == {"songshan_jd", "cf_shenhe2", "hongshan_hr"}
    assert users["songshan_jd"].role == Role.ORGANISER and users["cf_shenhe2"].role == Role.REVIEWER
    assert users["hongshan_hr"].role == Role.EMPLOYER_HR
    assert users["cf_shenhe2"].organisation == chifeng_bureau
    created = Organisation.objects.get(name="松山区继续教育培训中心")
    assert created.division_id == "150404" and created.kind == "base_league"
    assert Organisation.objects.get(name="红山区人民医院").kind == "employer"
    assert not any(u.has_usable_password() for u in users.values())
    assert AccountIdentity.objects.get(user=users["cf_shenhe2"]).id_number == "150404198001010013"
    assert AuditEvent.objects.filter(kind="staff_import", actor=reviewer, detail__users=3).exists()
    # first-sign-in links: by email where there is one, else by SMS
    assert sorted(m.to[0] for m in mail.outbox) == ["lishenhe@example.cn", "zhao@example.cn"]
    [sms] = MemorySmsProvider.sent
    assert sms["phone"] == "13904761001" and sms["template"] == "staff_welcome"


def test_a_broken_row_imports_nothing_and_names_row_and_column(client, reviewer, django_capture_on_commit_callbacks):
    client.force_login(reviewer)
    users_before, orgs_before = User.objects.count(), Organisation.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, "staff_broken.xlsx")
    assert callbacks == []
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r"<td>3</td><td>手机号码</td><td>手机号码应为11位", page)
    assert User.objects.count() == users_before and Organisation.objects.count() == orgs_before
    assert not mail.outbox and not MemorySmsProvider.sent
    assert not AuditEvent.objects.filter(kind="staff_import").exists()


def test_an_authority_cannot_import_outside_its_subtree(reviewer_other_league):
    content = (FILES / "staff_ok.xlsx").read_bytes()
    with pytest.raises(svc.StaffImportError) as caught:
        svc.staff_import(actor=reviewer_other_league, content=content)
    assert {(e["row"], e["column"]) for e in caught.value.errors} >= {(2, "区划代码"), (3, "区划代码"), (4, "区划代码")}
    assert not User.objects.filter(username="songshan_jd").exists()


def test_an_administrator_imports_anywhere(admin_user, chifeng_bureau):
    result = svc.staff_import(actor=admin_user, content=(FILES / "staff_ok.xlsx").read_bytes())
    assert len(result.users) == 3 and len(result.organisations) == 2


def test_organisers_and_professionals_may_not_import(client, owner, professional):
    content = (FILES / "staff_ok.xlsx").read_bytes()
    for user in (owner, professional):
        with pytest.raises(PermissionDenied):
            svc.staff_import(actor=user, content=content)
        client.force_login(user)
        assert client.get(reverse("accounts:staff_import")).status_code == 403


def test_duplicates_within_the_file_and_against_the_database_are_named(reviewer, chifeng_bureau):
    UserFactory(username="cf_shenhe2", role=Role.REVIEWER, organisation=chifeng_bureau)
    wb = load_workbook(FILES / "staff_ok.xlsx")
    ws = wb.active
    ws.append(["songshan_jd", "重复", "审核人员", "赤峰市人社局", "150400", None, "13904761009", None, None])
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(svc.StaffImportError) as caught:
        svc.staff_import(actor=reviewer, content=buffer.getvalue())
    messages = {(e["row"], e["column"]): e["message"] for e in caught.value.errors}
    assert "已被使用" in messages[(3, "用户名")] and "第 2 行" in messages[(5, "用户名")]


def test_a_file_that_is_not_a_workbook_is_refused_clearly(reviewer):
    with pytest.raises(svc.StaffImportError) as caught:
        svc.staff_import(actor=reviewer, content=b"name,role\n")
    assert "不是 .xlsx" in caught.value.errors[0]["message"]


def test_the_first_sign_in_link_sets_a_password_once(client, reviewer, chifeng_bureau,
                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        svc.staff_import(actor=reviewer, content=(FILES / "staff_ok.xlsx").read_bytes())
    message = next(m for m in mail.outbox if m.to == ["lishenhe@example.cn"])
    path = "/" + re.search(r"https?://[^/]+/(accounts/welcome/\S+/)", message.body).group(1)
    assert not client.login(username="cf_shenhe2", password=NEW)
    page = client.get(path, follow=True)
    assert "首次登录：设置密码" in page.content.decode()
    done = client.post(page.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302
    assert client.login(username="cf_shenhe2", password=NEW)
    client.logout()
    assert "链接无效或已过期" in client.get(path, follow=True).content.decode()
    assert AuditEvent.objects.filter(kind="password_reset", detail__channel="first_sign_in").exists()


def test_the_authority_deactivates_its_own_staff_only(client, reviewer, reviewer_other_league, owner, outsider):
    client.force_login(reviewer)
    page = client.get(reverse("accounts:staff_list")).content.decode()
    assert owner.username in page and outsider.username not in page
    assert client.post(reverse("accounts:staff_deactivate", args=[outsider.pk])).status_code == 404
    client.post(reverse("accounts:staff_deactivate", args=[owner.pk]), {"reason": "调离"})
    owner.refresh_from_db()
    outsider.refresh_from_db()
    assert not owner.is_active and outsider.is_active
    assert AuditEvent.objects.filter(kind="staff_deactivate", actor=reviewer, target=f"user:{owner.pk}").exists()
    client.force_login(reviewer_other_league)
    assert client.post(reverse("accounts:staff_deactivate", args=[reviewer.pk])).status_code == 404


def test_a_workbook_reaching_column_xfd_is_refused_before_openpyxl_reads_it(tmp_path):
    from tests.sheets.limited import run_limited, sparse_workbook

    content = sparse_workbook({"A1": "用户名"} | {f"A{n}": "x" for n in range(2, 5001)}, dimension="A1:XFD5000")
    with pytest.raises(svc.StaffImportError) as caught:
        svc.read_rows(content)
    assert "声明的范围" in caught.value.errors[0]["message"]
    body = """
from access.staff_import import StaffImportError, read_rows
try:
    read_rows(content)
except StaffImportError as refusal:
    print("REFUSED", refusal.errors[0]["message"])
"""
    done = run_limited(body, content, tmp_path, memory_mb=400, cpu_seconds=5)
    assert done.returncode == 0 and done.stdout.startswith("REFUSED"), done.stderr[-1500:]
