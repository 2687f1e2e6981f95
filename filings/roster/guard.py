"""Refuse hostile or broken workbooks before any parser sees them: size, zip bombs, huge sheets, macros.

Every check reads only the zip's directory or a few kilobytes of one part, so a refusal is quick.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from django.core.exceptions import ValidationError

from filings.roster.columns import FIRST_DATA_ROW, MAX_DATA_ROWS

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 150 * 1024 * 1024
MAX_MEMBERS = 500
MAX_RATIO = 100  # honest workbooks compress about 5–20:1
RATIO_FLOOR = 256 * 1024  # tiny parts may compress very well; only large ones are checked
MAX_SHEET_ROWS = FIRST_DATA_ROW + MAX_DATA_ROWS
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]*)(\d*)(?::([A-Z]*)(\d+))?"')

NOT_XLSX = ("无法读取该文件：它不是有效的 .xlsx 工作簿（可能是 .xls、.csv、加密文件或文件已损坏）。"
            "请用花名册模板填写后在 Excel 中“另存为 .xlsx”再上传。")
TOO_BIG = f"文件过大：花名册文件不能超过 {MAX_FILE_BYTES // 1024 // 1024} MB，请删除多余的空行、图片后重新上传。"
BOMB = ("文件内容异常：解压后体积过大（可能是压缩炸弹或含大量空白格式），系统拒绝读取。"
        "请把数据复制到新的花名册模板中重新保存后上传。")
MACRO = "不接受含宏的工作簿（.xlsm）：请在 Excel 中另存为“Excel 工作簿（.xlsx）”后重新上传。"
HUGE_SHEET = (f"工作表声明的行数过多（超过 {MAX_DATA_ROWS} 行），系统拒绝读取。"
              "请删除多余的空行或格式，或把数据复制到新的花名册模板中后重新上传。")


def check_name_and_size(name: str, size: int | None) -> None:
    lowered = (name or "").lower()
    if lowered.endswith((".xlsm", ".xltm", ".xlam")):
        raise ValidationError(MACRO)
    if not lowered.endswith(".xlsx"):
        raise ValidationError("文件格式不正确：请上传 .xlsx 格式的花名册（不支持 .xls、.csv、.et、.xlsm）。")
    if size is not None and size > MAX_FILE_BYTES:
        raise ValidationError(TOO_BIG)


def read_limited(file) -> bytes:
    """Read at most the size limit (plus one byte to notice a larger file)."""
    content = file.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(TOO_BIG)
    return content


def _members(content: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        return archive, archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError(NOT_XLSX) from error


def _check_bomb(members: list[zipfile.ZipInfo]) -> None:
    total = sum(m.file_size for m in members)
    dense = any(m.file_size > RATIO_FLOOR and m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members)
    if len(members) > MAX_MEMBERS or total > MAX_UNCOMPRESSED_BYTES or dense:
        raise ValidationError(BOMB)


def _check_macros(archive: zipfile.ZipFile, names: set[str]) -> None:
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ValidationError(MACRO)
    with archive.open("[Content_Types].xml") as part:
        if b"macroenabled" in part.read(1024 * 1024).lower():
            raise ValidationError(MACRO)


def _declared_rows(head: bytes) -> int:
    match = DIMENSION.search(head)
    if not match:
        return 0
    return int(match.group(4) or match.group(2) or 0)


def _check_dimensions(archive: zipfile.ZipFile, names: set[str]) -> None:
    for name in sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")):
        with archive.open(name) as part:
            head = part.read(64 * 1024)
        if _declared_rows(head) > MAX_SHEET_ROWS:
            raise ValidationError(HUGE_SHEET)


def check_workbook_bytes(content: bytes) -> None:
    """Raise ValidationError (Chinese) unless the bytes look like a safe, ordinary .xlsx."""
    if len(content) > MAX_FILE_BYTES:
        raise ValidationError(TOO_BIG)
    archive, members = _members(content)
    with archive:
        names = {m.filename for m in members}
        if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
            raise ValidationError(NOT_XLSX)
        _check_bomb(members)
        try:
            _check_macros(archive, names)
            _check_dimensions(archive, names)
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError, NotImplementedError) as error:
            raise ValidationError(NOT_XLSX) from error
