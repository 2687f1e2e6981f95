"""python manage.py eligibility --input FILE.json|FILE.xlsx|- [--output FILE.json|FILE.xlsx]"""

import json
import sys
from pathlib import Path
from zipfile import BadZipFile

from django.core.management.base import BaseCommand, CommandError
from openpyxl.utils.exceptions import InvalidFileException

from rules.eligibility import eligibility_check
from rules.eligibility_xlsx import read_workbook, write_workbook
from rules.engine import EligibilityInputError

MALFORMED = 2


class Command(BaseCommand):
    help = "按规则集批量审验继续教育学时（输入 JSON 或 xlsx）。"
    # System-check output could reach stdout, which carries only the JSON answer.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True, help="输入文件（.json 或 .xlsx），“-”表示标准输入")
        parser.add_argument("--output", help="输出文件（.json 或 .xlsx）；省略时 JSON 写到标准输出")

    def handle(self, *args, **options):
        try:
            payload = self._read(options["input"])
            answer = eligibility_check(payload=payload)
        except EligibilityInputError as exc:
            raise CommandError(f"输入有误：{exc}", returncode=MALFORMED) from None
        self._write(answer, options.get("output"))

    def _read(self, name: str) -> dict:
        if name == "-":
            return self._json(sys.stdin.read(), "标准输入")
        path = Path(name)
        if not path.is_file():
            raise CommandError(f"找不到输入文件：{name}", returncode=MALFORMED)
        if path.suffix.lower() == ".xlsx":
            try:
                return read_workbook(path)
            except EligibilityInputError:
                raise
            except (OSError, ValueError, KeyError, BadZipFile, InvalidFileException) as exc:
                raise CommandError(f"无法读取 Excel 文件 {name}：{exc}", returncode=MALFORMED) from None
        return self._json(path.read_text(encoding="utf-8-sig"), name)

    def _json(self, text: str, where: str) -> dict:
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"{where} 不是有效的 JSON：第{exc.lineno}行第{exc.colno}列，{exc.msg}",
                               returncode=MALFORMED) from None

    def _write(self, answer: dict, name: str | None) -> None:
        if name and Path(name).suffix.lower() == ".xlsx":
            write_workbook(answer, name)
            return
        text = json.dumps(answer, ensure_ascii=False, indent=2)
        if name:
            Path(name).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)
