"""python manage.py import_roster FILE --plan FILING_NO [--dry-run] [--confirm]"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from filings.models import RosterUpload, TrainingPlan
from filings.roster.columns import ROSTER_LIMITS
from filings.roster.services import CHECKED, roster_import
from sheets.guard import check_name_and_size, read_limited


def _where(item: dict) -> str:
    row = f"第{item['row']}行 " if item.get("row") else ""
    column = f"{item['column']}：" if item.get("column") else ""
    return f"{row}{column}{item['message']}"


class Command(BaseCommand):
    help = "导入培训花名册（与网页上传同一套检查）；有错误时逐条列出并以非零状态退出。"

    def add_arguments(self, parser):
        parser.add_argument("file", help="花名册 .xlsx 文件")
        parser.add_argument("--plan", required=True, help="培训计划的备案编号")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不导入")
        parser.add_argument("--confirm", action="store_true", help="人数超过计划人数时确认导入")

    def handle(self, *args, file, plan, dry_run, confirm, **options):
        training = TrainingPlan.objects.filter(filing_no=plan).first()
        if training is None:
            raise CommandError(f"未找到备案编号为 {plan} 的培训计划。")
        content = self._read(Path(file))
        outcome = roster_import(plan=training, content=content, confirmed=confirm, dry_run=dry_run)
        for item in outcome.errors:
            self.stderr.write(_where(item))
        for item in outcome.warnings:
            self.stdout.write(f"提示：{_where(item)}")
        if outcome.status == RosterUpload.Status.FAILED:
            raise CommandError(f"共 {len(outcome.errors)} 处错误，花名册未导入。")
        if outcome.status == RosterUpload.Status.NEEDS_CONFIRMATION:
            raise CommandError("人数超过计划人数，未导入；核实无误后加 --confirm 重新运行。")
        verb = "检查通过（未导入）" if outcome.status == CHECKED else "已导入"
        self.stdout.write(self.style.SUCCESS(f"{verb}：{outcome.total_rows} 人，同期培训异常 {outcome.anomalies} 人。"))

    def _read(self, path: Path) -> bytes:
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        try:
            check_name_and_size(path.name, path.stat().st_size, ROSTER_LIMITS)
            with path.open("rb") as handle:
                return read_limited(handle, ROSTER_LIMITS)
        except ValidationError as problem:
            raise CommandError("；".join(problem.messages)) from problem
