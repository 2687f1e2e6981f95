"""Certification at any size: adjustments for the changed rows only (form or spreadsheet), the roster paged,
the certification a background task with its outcome on the page."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from filings.models import PlanState, RosterEntry
from ledger.models import HourEntry, Person
from reviews import certification_runs
from reviews.certification_runs import Change
from reviews.certification_sheet import certification_adjustments_upload
from reviews.models import CertificationAdjustment, CertificationRun
from rules.idnumber import check_character
from tests.ledger.support import accepted_plan

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def plan(owner, reviewer):
    return accepted_plan(owner, reviewer)


def unique_id(n: int) -> str:
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=n // 400)
    first17 = f"150404{birth:%Y%m%d}{(n % 400) * 2 + n % 2:03d}"
    return first17 + check_character(first17)


def grow_roster(plan, total: int) -> None:
    """Add trainees up to `total` (the three of the fixture plan stay), each with a distinct ID number."""
    start = plan.roster.count() + 1
    RosterEntry.objects.bulk_create([
        RosterEntry(plan=plan, seq=n, name=f"学员{n}", sex="M" if n % 2 else "F", id_number=unique_id(n),
                    employer="松山区医院", specialty="临床医学", title="主治医师", subject=plan.subject,
                    hours=plan.hours, phone="13800000000")
        for n in range(start, total + 1)], batch_size=1000)


def save(plan, reviewer, *lines):
    changes = [Change(seq=seq, hours=hours, reason=reason, where=f"第 {i} 条") for i, (seq, hours, reason)
               in enumerate(lines, start=1)]
    return certification_runs.certification_adjustments_save(plan=plan, actor=reviewer, changes=changes)


def workbook(rows, header=("序号", "姓名", "核定学时", "调整理由")) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(["学时调整表"])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("调整表.xlsx", buffer.getvalue())


# --- adjustments -------------------------------------------------------------------------

def test_only_the_changed_rows_are_saved_and_certified(plan, reviewer, django_capture_on_commit_callbacks):
    assert save(plan, reviewer, (2, plan.hours - 4, "缺勤半天")) == 1
    adjustment = CertificationAdjustment.objects.get()
    assert (adjustment.roster_entry.seq, adjustment.hours, adjustment.reason) == (2, plan.hours - 4, "缺勤半天")
    with django_capture_on_commit_callbacks(execute=True):
        run = certification_runs.certification_run_start(plan=plan, actor=reviewer)
    run.refresh_from_db()
    assert (run.status, run.total, run.adjusted, run.errors) == ("done", 3, 1, [])
    assert sorted(HourEntry.objects.values_list("roster_entry__seq", "hours")) == [
        (1, plan.hours), (2, plan.hours - 4), (3, plan.hours)]
    assert plan.roster.get(seq=2).adjustment_reason == "缺勤半天"
    assert not CertificationAdjustment.objects.exists()  # consumed by the certification


@pytest.mark.parametrize("line,message", [
    ((2, 999, "多报"), "第 2 条核定学时（序号 2 学员2）：核定学时 999 超过花名册登记的"),
    ((2, 1, ""), "第 2 条调整理由（序号 2 学员2）：核定学时与花名册不一致"),
    ((2, -1, "x"), "不能为负数"),
    ((2, "八", "x"), "核定学时应为整数，现为“八”"),
    ((99, 1, "x"), "第 2 条序号：本计划花名册中没有序号 99"),
    (("二", 1, "x"), "序号（整数），现为“二”"),
    ((2, 1, "理" * 201), "不能超过 200 个字"),
])
def test_a_bad_adjustment_is_refused_with_its_line_and_field_and_nothing_is_saved(plan, reviewer, line, message):
    with pytest.raises(ValidationError) as caught:
        save(plan, reviewer, (1, plan.hours - 1, "迟到"), line)
    assert any(message in m for m in caught.value.messages), caught.value.messages
    assert not CertificationAdjustment.objects.exists()


def test_an_adjustment_may_not_exceed_the_plans_per_person_hours(plan, reviewer):
    row = plan.roster.get(seq=1)
    RosterEntry.objects.filter(pk=row.pk).update(hours=plan.hours + 10)
    with pytest.raises(ValidationError, match=f"0 至 {plan.hours}"):
        save(plan, reviewer, (1, plan.hours + 5, "多计"))


def test_a_duplicate_row_is_named_and_roster_hours_withdraw_an_adjustment(plan, reviewer):
    with pytest.raises(ValidationError, match="第 2 条序号：序号 1 与第 1 条重复"):
        save(plan, reviewer, (1, 1, "a"), (1, 2, "b"))
    save(plan, reviewer, (1, 1, "缺课"))
    save(plan, reviewer, (1, 2, "复核后改为 2 学时"))
    assert CertificationAdjustment.objects.get().hours == 2
    save(plan, reviewer, (1, plan.hours, ""))
    assert not CertificationAdjustment.objects.exists()


@pytest.mark.parametrize("who", ["owner", "outsider", "reviewer_other_league"])
def test_only_the_authority_adjusts(plan, request, who):
    with pytest.raises(PermissionDenied):
        save(plan, request.getfixturevalue(who), (1, 1, "x"))
    assert not CertificationAdjustment.objects.exists()


def test_no_adjustment_while_a_certification_is_queued(plan, reviewer):
    certification_runs.certification_run_start(plan=plan, actor=reviewer)  # on_commit not run: stays queued
    with pytest.raises(ValidationError, match="正在核定中"):
        save(plan, reviewer, (1, 1, "x"))
    with pytest.raises(ValidationError, match="正在核定中"):
        certification_runs.certification_run_start(plan=plan, actor=reviewer)
    assert CertificationRun.objects.count() == 1


# --- spreadsheet of adjustments ----------------------------------------------------------

def test_a_spreadsheet_of_adjustments_is_saved_whole(plan, reviewer):
    count = certification_adjustments_upload(plan=plan, actor=reviewer, uploaded_file=workbook(
        [(1, "学员1", 10, "缺勤"), (3, "学员3", 0, "未参加")]))
    assert count == 2
    assert sorted(CertificationAdjustment.objects.values_list("roster_entry__seq", "hours")) == [(1, 10), (3, 0)]


def test_a_spreadsheet_with_errors_names_row_and_column_and_saves_nothing(plan, reviewer):
    with pytest.raises(ValidationError) as caught:
        certification_adjustments_upload(plan=plan, actor=reviewer, uploaded_file=workbook(
            [(1, "学员1", 10, "缺勤"), (2, "张三", 10, "x"), (3, "学员3", 500, "多"), (4, "学员4", 1, "y")]))
    assert caught.value.messages == [
        "第 4 行 B 列（姓名）：序号 2 在花名册中是“学员2”，不是“张三”。",
        f"第 5 行 C 列（核定学时）（序号 3 学员3）：核定学时 500 超过花名册登记的 {plan.hours} 学时；"
        f"调整只能减少学时（0 至 {plan.hours}）。",
        "第 6 行 A 列（序号）：本计划花名册中没有序号 4。",
    ]
    assert not CertificationAdjustment.objects.exists()


def test_a_spreadsheet_goes_through_the_upload_guard(plan, reviewer, owner):
    with pytest.raises(ValidationError, match=r"\.xlsx"):
        certification_adjustments_upload(plan=plan, actor=reviewer,
                                         uploaded_file=SimpleUploadedFile("调整表.csv", b"1,10,x"))
    with pytest.raises(ValidationError, match="不是有效的 .xlsx"):
        certification_adjustments_upload(plan=plan, actor=reviewer,
                                         uploaded_file=SimpleUploadedFile("调整表.xlsx", b"not a zip"))
    with pytest.raises(ValidationError, match="找不到表头"):
        certification_adjustments_upload(plan=plan, actor=reviewer,
                                         uploaded_file=workbook([(1, 2)], header=("编号", "学时")))
    with pytest.raises(PermissionDenied):
        certification_adjustments_upload(plan=plan, actor=owner, uploaded_file=workbook([(1, "学员1", 1, "x")]))


# --- runs ---------------------------------------------------------------------------------

def test_a_run_is_processed_once(plan, reviewer):
    run = certification_runs.certification_run_start(plan=plan, actor=reviewer)
    assert certification_runs.certification_run_process(run_id=run.pk).status == "done"
    assert certification_runs.certification_run_process(run_id=run.pk) is None  # redelivered: skipped
    assert HourEntry.objects.count() == 3


def test_a_run_that_cannot_certify_fails_with_the_reason_and_writes_nothing(plan, reviewer):
    save(plan, reviewer, (1, 1, "缺勤"))
    run = certification_runs.certification_run_start(plan=plan, actor=reviewer)
    Person.objects.create(id_number="x", name="占位", sex="M", birth_date=dt.date(1980, 1, 1))  # unrelated row
    RosterEntry.objects.filter(plan=plan, seq=2).update(id_number="150404198001010000")  # broken check digit
    run = certification_runs.certification_run_process(run_id=run.pk)
    assert run.status == "failed" and any("第 2 号" in e for e in run.errors), run.errors
    plan.refresh_from_db()
    assert plan.state == PlanState.REPORT_ACCEPTED and not HourEntry.objects.exists()
    assert CertificationAdjustment.objects.count() == 1  # kept for the next attempt


def test_a_run_a_crashed_worker_left_running_does_not_block_forever(plan, reviewer, time_machine):
    run = certification_runs.certification_run_start(plan=plan, actor=reviewer)
    CertificationRun.objects.filter(pk=run.pk).update(status="running", started_at=dt.datetime.now(dt.UTC))
    with pytest.raises(ValidationError, match="正在核定中"):
        certification_runs.certification_run_start(plan=plan, actor=reviewer)
    time_machine.move_to(dt.datetime.now(dt.UTC) + dt.timedelta(hours=1))
    again = certification_runs.certification_run_start(plan=plan, actor=reviewer)
    run.refresh_from_db()
    assert run.status == "failed" and "中断" in run.errors[0]
    assert again.status == "queued"


# --- the page at size ---------------------------------------------------------------------

def test_a_2000_trainee_plan_is_certified_through_the_page(client, plan, reviewer, owner,
                                                             django_capture_on_commit_callbacks):
    grow_roster(plan, 2000)
    client.force_login(reviewer)
    url = reverse("certification:plan_certification", args=[plan.pk])
    body = client.get(url).content.decode()
    assert "共 2000 人，第 1/20 页" in body and body.count("<tr><td>") == 100
    assert body.count('name="') < 100  # a fixed form: no field per trainee
    assert "学员1500" in client.get(url, {"page": 15}).content.decode()

    response = client.post(reverse("certification:adjustments_save", args=[plan.pk]),
                           {"seq_0": "1500", "hours_0": "6", "reason_0": "缺勤两天"})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("certification:certify", args=[plan.pk]))

    plan.refresh_from_db()
    assert plan.state == PlanState.CERTIFIED
    assert HourEntry.objects.filter(plan=plan).count() == 2000 and Person.objects.count() == 2000
    assert HourEntry.objects.get(roster_entry__seq=1500).hours == 6
    assert HourEntry.objects.filter(plan=plan, hours=plan.hours).count() == 1999
    body = client.get(url).content.decode()
    assert "已完成" in body and "共 2000 人，其中调整 1 人" in body
    adjusted = client.get(url, {"adjusted": "1"}).content.decode()
    assert "学员1500" in adjusted and "缺勤两天" in adjusted and "学员1499" not in adjusted


def test_the_owner_cannot_adjust_or_upload_through_the_page(client, plan, owner):
    client.force_login(owner)
    assert client.post(reverse("certification:adjustments_save", args=[plan.pk]),
                       {"seq_0": "1", "hours_0": "1", "reason_0": "x"}).status_code == 403
    assert client.post(reverse("certification:adjustments_upload", args=[plan.pk]),
                       {"file": workbook([(1, "学员1", 1, "x")])}).status_code == 403
    assert not CertificationAdjustment.objects.exists()


def test_page_errors_are_shown_and_nothing_is_saved(client, plan, reviewer):
    client.force_login(reviewer)
    response = client.post(reverse("certification:adjustments_save", args=[plan.pk]),
                           {"seq_0": "1", "hours_0": "1", "reason_0": "x", "seq_1": "2", "hours_1": "1"}, follow=True)
    assert "第 2 条 调整理由（序号 2 学员2）" in response.content.decode()
    assert not CertificationAdjustment.objects.exists()
