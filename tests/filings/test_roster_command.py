import pytest
from django.core.management import CommandError, call_command

from tests.filings import test_roster_support as support
from tests.filings.test_roster_support import person, roster_bytes

pytestmark = pytest.mark.django_db
report_plan = support.report_plan


def write(tmp_path, plan, rows):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(roster_bytes(plan, rows))
    return str(path)


def test_a_dry_run_checks_and_stores_nothing(report_plan, tmp_path, capsys):
    call_command("import_roster", write(tmp_path, report_plan, [person(1)]), plan=report_plan.filing_no,
                 dry_run=True)
    assert "检查通过（未导入）：1 人" in capsys.readouterr().out
    assert not report_plan.roster.exists()


def test_it_imports(report_plan, tmp_path):
    call_command("import_roster", write(tmp_path, report_plan, [person(1), person(2)]), plan=report_plan.filing_no)
    assert report_plan.roster.count() == 2


def test_it_prints_every_error_and_exits_non_zero(report_plan, tmp_path, capsys):
    path = write(tmp_path, report_plan, [person(1, hours=0), person(2, sex="男")])
    with pytest.raises(CommandError, match="共 2 处错误"):
        call_command("import_roster", path, plan=report_plan.filing_no)
    err = capsys.readouterr().err
    assert "第5行 学时：" in err and "第6行 性别：" in err
    assert not report_plan.roster.exists()


def test_it_exits_non_zero_for_an_unknown_plan_or_file(report_plan, tmp_path):
    with pytest.raises(CommandError, match="未找到备案编号"):
        call_command("import_roster", write(tmp_path, report_plan, [person(1)]), plan="备-0000")
    with pytest.raises(CommandError, match="文件不存在"):
        call_command("import_roster", str(tmp_path / "none.xlsx"), plan=report_plan.filing_no)


def test_it_runs_as_a_process_and_returns_a_non_zero_status(report_plan, tmp_path):
    from django.core.management import execute_from_command_line

    path = write(tmp_path, report_plan, [person(1, hours=0)])
    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "import_roster", path, "--plan", report_plan.filing_no])
    assert exit_info.value.code != 0
