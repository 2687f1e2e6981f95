import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from filings import services
from filings.models import PlanState, RosterEntry
from filings.roster.services import CHECKED, roster_import, roster_replace
from rules.idnumber import check_character
from tests.filings import test_roster_support as support
from tests.filings.test_roster_support import make_id, messages_of, person, roster_bytes, to_awaiting_report

pytestmark = pytest.mark.django_db
report_plan = support.report_plan


def run(plan, rows, **kwargs):
    return roster_import(plan=plan, content=roster_bytes(plan, rows), **kwargs)


def only_error(outcome) -> dict:
    assert outcome.status == "failed", outcome
    assert len(outcome.errors) == 1, outcome.errors
    return outcome.errors[0]


def test_it_imports_a_valid_roster(report_plan):
    outcome = run(report_plan, [person(1), person(2)])
    assert outcome.status == "imported"
    entries = list(report_plan.roster.order_by("seq"))
    assert [(e.seq, e.name, e.sex, e.subject, e.hours) for e in entries] == [
        (1, "学员1", "M", "professional", 24), (2, "学员2", "F", "professional", 24)]
    assert entries[0].id_number == make_id(1)


def test_it_replaces_the_previous_roster(report_plan):
    run(report_plan, [person(1), person(2)])
    run(report_plan, [person(3)])
    assert list(report_plan.roster.values_list("name", flat=True)) == ["学员3"]


def test_it_reports_missing_values_by_row_and_column(report_plan):
    outcome = run(report_plan, [person(1, name=None, phone="")])
    assert {(e["row"], e["column"]) for e in outcome.errors} == {(5, "姓名"), (5, "联系电话")}
    assert all("不能为空" in e["message"] for e in outcome.errors)


@pytest.mark.parametrize(("raw", "expected"), [
    ("15040419850612003", "应为18位"),
    ("15040419851312003" + check_character("15040419851312003"), "出生日期无效"),
    (make_id(1)[:17] + ("0" if make_id(1)[17] != "0" else "1"), "校验码不符"),
])
def test_it_refuses_an_invalid_id_number(report_plan, raw, expected):
    error = only_error(run(report_plan, [person(1, id_number=raw)]))
    assert (error["row"], error["column"]) == (5, "身份证号码")
    assert expected in error["message"]


def test_it_normalises_full_width_digits_and_lower_case_x(report_plan):
    number = next(make_id(n) for n in range(1, 400) if make_id(n).endswith("X"))
    full_width = number[:17].translate(str.maketrans("0123456789", "０１２３４５６７８９")) + "x"
    outcome = run(report_plan, [person(1, id_number=full_width, sex="男" if int(number[16]) % 2 else "女")])
    assert outcome.status == "imported", outcome.errors
    assert report_plan.roster.get().id_number == number


@pytest.mark.parametrize("raw", [150404198506120031, 1.50404198506120e17, "1.50404E+17"])
def test_it_explains_an_id_number_typed_as_a_number(report_plan, raw):
    error = only_error(run(report_plan, [person(1, id_number=raw)]))
    assert error["column"] == "身份证号码"
    assert "末尾几位已丢失" in error["message"] and "文本" in error["message"]


def test_it_refuses_a_sex_that_disagrees_with_the_id(report_plan):
    error = only_error(run(report_plan, [person(1, male=True, sex="女")]))
    assert (error["row"], error["column"]) == (5, "性别")
    assert "应为“男”" in error["message"]


def test_it_refuses_the_same_person_twice(report_plan):
    error = only_error(run(report_plan, [person(1), person(2), person(1, name="重复")]))
    assert error["row"] == 7 and "与第5行是同一人" in error["message"]


@pytest.mark.parametrize(("hours", "expected"), [(0, "应为正整数"), (2.5, "应为正整数"), ("十", "应为正整数"),
                                                 (25, "超过了计划每人学时 24")])
def test_it_refuses_bad_hours(report_plan, hours, expected):
    error = only_error(run(report_plan, [person(1, hours=hours)]))
    assert error["column"] == "学时" and expected in error["message"]


def test_it_refuses_a_subject_other_than_the_plans(report_plan):
    error = only_error(run(report_plan, [person(1, subject="公需科目")]))
    assert error["column"] == "科目类别" and "不一致" in error["message"]


def test_it_reports_every_error_and_stores_nothing(report_plan):
    run(report_plan, [person(9)])
    outcome = run(report_plan, [person(1), person(2, hours=99), person(3), person(4, sex="女", male=True)])
    assert [(e["row"], e["column"]) for e in outcome.errors] == [(6, "学时"), (8, "性别")]
    assert list(report_plan.roster.values_list("name", flat=True)) == ["学员9"]


def test_it_refuses_another_plans_roster(report_plan, make_plan, owner, reviewer):
    other = make_plan(title="另一个培训班")
    outcome = roster_import(plan=report_plan, content=roster_bytes(other, [person(1)]))
    assert outcome.status == "failed" and outcome.errors[0]["row"] == 2
    assert other.filing_no not in report_plan.filing_no and "不是本计划" in outcome.errors[0]["message"]


def test_it_asks_for_confirmation_above_the_planned_headcount(make_plan, owner, reviewer):
    plan = to_awaiting_report(make_plan(planned_headcount=2), owner, reviewer)
    rows = [person(n) for n in range(1, 4)]
    outcome = run(plan, rows)
    assert outcome.status == "needs_confirmation"
    assert "超过计划人数 2 人" in outcome.warnings[0]["message"]
    assert not plan.roster.exists()
    assert run(plan, rows, confirmed=True).status == "imported"
    assert plan.roster.count() == 3


def test_a_dry_run_checks_without_storing(report_plan):
    assert run(report_plan, [person(1)], dry_run=True).status == CHECKED
    assert not report_plan.roster.exists()


def test_it_flags_a_trainee_on_an_overlapping_training(report_plan, make_plan, owner, reviewer):
    other = make_plan(title="同期培训班", starts_at=report_plan.starts_at + dt.timedelta(days=1))
    services.plan_submit(plan=other, actor=owner, now=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    services.plan_decide(plan=other, actor=reviewer, decision="approve", now=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    RosterEntry.objects.create(plan=other, seq=1, name="学员1", sex="M", id_number=make_id(1), employer="x",
                               specialty="x", title="x", subject="professional", hours=8, phone="1")
    outcome = run(report_plan, [person(1), person(2)])
    assert outcome.status == "imported" and outcome.anomalies == 1
    flagged = report_plan.roster.get(seq=1)
    assert other.filing_no in flagged.anomaly and "同期参加了其他培训" in flagged.anomaly
    assert report_plan.roster.get(seq=2).anomaly == ""


def test_a_draft_training_is_no_overlap(report_plan, make_plan):
    other = make_plan(title="草稿培训班", starts_at=report_plan.starts_at)
    RosterEntry.objects.create(plan=other, seq=1, name="学员1", sex="M", id_number=make_id(1), employer="x",
                               specialty="x", title="x", subject="professional", hours=8, phone="1")
    assert run(report_plan, [person(1)]).anomalies == 0


def test_it_refuses_to_store_before_the_training_has_ended(submitted_plan):
    assert submitted_plan.state == PlanState.SUBMITTED
    with pytest.raises(ValidationError, match="不能再导入"):
        roster_replace(plan=submitted_plan, rows=[])


def test_messages_name_row_and_column(report_plan):
    assert messages_of(run(report_plan, [person(1, employer="")])) == ["5|工作单位|“工作单位”不能为空，请填写。"]


def test_the_optional_exam_column_carries_the_result(report_plan):
    """Xilingol 2024 §三(一): "公需科目实行网络培训，考试合格后取得相应学时" — the roster carries the result."""
    outcome = run(report_plan, [person(1, exam="合格"), person(2, exam="不合格"), person(3)])
    assert outcome.status == "imported"
    assert list(report_plan.roster.order_by("seq").values_list("exam_passed", flat=True)) == [True, False, None]


def test_an_exam_result_other_than_pass_or_fail_is_named(report_plan):
    err = only_error(run(report_plan, [person(1, exam="及格")]))
    assert (err["row"], err["column"]) == (5, "考试结果")
