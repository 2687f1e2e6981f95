"""The one upload guard for every workbook the service reads (roster, plan import, eligibility batch, …).

Refuses hostile or broken .xlsx files before any parser allocates anything: name and size, zip bombs,
macros, and for every worksheet both the range it declares (`<dimension ref="A1:XFD3000">`) and the
range its cells really reach, bounded as rows, columns and rows × columns, plus the number of real
cells. Parsers (calamine, openpyxl) allocate the whole rectangle from A1 to the farthest cell, so one
cell at XFD3000 costs as much as fifty million; the guard refuses it from a streamed scan of the
sheet's XML that keeps nothing but four counters.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from django.core.exceptions import ValidationError

CHUNK = 1024 * 1024
MAX_TAG_BYTES = 256 * 1024  # from the last "<" of a chunk: one tag or a cell's text (Excel: 32,767 characters)
RATIO_FLOOR = 256 * 1024  # tiny parts may compress very well; only large ones are checked
DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="\$?([A-Za-z]*)\$?(\d*)(?::\$?([A-Za-z]*)\$?(\d*))?"')
# The start of a row or cell tag; "<" cannot occur inside a tag, so the tag reaches at most to the next "<".
TAG = re.compile(rb"<(?:[\w.-]+:)?(row|c)(?=[\s/>])([^<]*)")
# Every reference-like attribute in the tag counts (the farthest wins): a decoy cannot hide the real one.
REF = re.compile(rb"""\sr\s*=\s*["']?\$?([A-Za-z]{0,3})\$?(\d*)""")
# Fast path: a cell or row start tag whose attribute list (quoted values skipped whole) has exactly one real
# `r`, captured, up to the tag's end; tags spelt otherwise (`<c>`, `<c\n`, `<x:c`) or with a second `r` (a
# parser takes the last: `<c r="A1" r="XFD3000">` is placed at XFD3000) send the chunk to the tag-by-tag scanner.
_OTHER_ATTRS = rb"""(?:\s+(?![rR]\s*=)[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*"""
_ATTRS = (_OTHER_ATTRS + rb"""\s+r\s*=\s*(["'])\$?([A-Za-z]{0,3})\$?(\d*)\1""" + _OTHER_ATTRS
          + rb"\s*/?>")
CELL_WITH_REF = re.compile(rb"<c(?= )" + _ATTRS)
ROW_WITH_REF = re.compile(rb"<row(?= )" + _ATTRS)
ODD_TAGS = (b":c", b":row", *(tag + end for tag in (b"<c", b"<row") for end in (b"\t", b"\r", b"\n", b">", b"/")))
# Quicker still, for the common spelling (`<row r="5"`, `<c r="B5"`: `r` first, double quotes, no `$`, no leading
# zero): every row tag with its number and spacing in one findall, and one search for a cell tag that is not
# within the extent already known (see _quick_extent).
PREFIXED_TAG = re.compile(rb":(?:c|row)")
_QUICK_TAIL = rb"""(?: (?![rR]=)[\w.:-]++="[^"]*+")*+ ?/?>"""  # the tag's other attributes (no second r), its end
ROW_NUMBER = re.compile(rb'<row(?: r="([1-9][0-9]*)"' + _QUICK_TAIL + rb")?")  # b"" for a row spelt otherwise


@dataclass(frozen=True)
class WorkbookLimits:
    """What one kind of upload may contain. `label` names it in messages (花名册, 工作簿, …)."""

    label: str = "导入"
    max_bytes: int = 5 * 1024 * 1024
    max_uncompressed_bytes: int = 50 * 1024 * 1024
    max_members: int = 200
    max_ratio: int = 100  # honest workbooks compress about 5–20:1
    max_rows: int = 10_000
    max_columns: int = 100
    max_area: int = 500_000  # rows × columns a parser would lay out
    max_cells: int = 500_000  # cells really present

    @property
    def megabytes(self) -> int:
        return self.max_bytes // 1024 // 1024


DEFAULT_LIMITS = WorkbookLimits()


def _not_xlsx(limits: WorkbookLimits) -> str:
    return (f"无法读取该文件：它不是有效的 .xlsx 文件（可能是 .xls、.csv、加密文件或文件已损坏）。"
            f"请用{limits.label}模板填写后在 Excel 中“另存为 .xlsx”再上传。")


def _too_big(limits: WorkbookLimits) -> str:
    return f"文件过大：{limits.label}文件不能超过 {limits.megabytes} MB，请删除多余的空行、图片或拆分后重新上传。"


BOMB = ("文件内容异常：解压后体积过大（可能是压缩炸弹或含大量空白格式），系统拒绝读取。"
        "请把数据复制到新的模板中重新保存后上传。")
MACRO = "不接受含宏的工作簿（.xlsm）：请在 Excel 中另存为“Excel 工作簿（.xlsx）”后重新上传。"
SHRINK = "请删除多余的空行、空列或格式（或把数据复制到新的模板中）后重新上传。"


def check_name_and_size(name: str, size: int | None, limits: WorkbookLimits = DEFAULT_LIMITS) -> None:
    lowered = (name or "").lower()
    if lowered.endswith((".xlsm", ".xltm", ".xlam")):
        raise ValidationError(MACRO)
    if not lowered.endswith(".xlsx"):
        raise ValidationError("文件格式不正确：请上传 Excel 2007 及以上版本的 .xlsx 文件（不支持 .xls、.csv、.et、.xlsm）。")
    if size is not None and size > limits.max_bytes:
        raise ValidationError(_too_big(limits))


def read_limited(file, limits: WorkbookLimits = DEFAULT_LIMITS) -> bytes:
    """Read at most the size limit (plus one byte to notice a larger file)."""
    content = file.read(limits.max_bytes + 1)
    if len(content) > limits.max_bytes:
        raise ValidationError(_too_big(limits))
    return content


def column_number(letters: bytes | str) -> int:
    number = 0
    for letter in letters.upper() if isinstance(letters, str) else letters.decode("ascii").upper():
        number = number * 26 + (ord(letter) - 64)
    return number


@dataclass
class SheetExtent:
    """How far a sheet reaches: the farthest row and column, and how many cells it has."""

    rows: int = 0
    columns: int = 0
    cells: int = 0

    def widen(self, row: int, column: int) -> None:
        self.rows, self.columns = max(self.rows, row), max(self.columns, column)


def declared_extent(head: bytes) -> SheetExtent:
    extent = SheetExtent()
    match = DIMENSION.search(head)
    if match:
        first_col, first_row, last_col, last_row = match.groups()
        extent.widen(int(first_row or 0), column_number(first_col or b""))
        extent.widen(int(last_row or 0), column_number(last_col or b""))
    return extent


class _Scanner:
    """Follows row and cell start tags the way a parser places them: `r` if given, else next in line."""

    def __init__(self, limits: WorkbookLimits, where: str):
        self.limits, self.where = limits, where
        self.extent = SheetExtent()
        self.row = self.column = 0

    def tag(self, name: bytes, attributes: bytes) -> None:
        refs = REF.findall(attributes)
        letters = max((r[0] for r in refs), key=column_number, default=b"")
        digits = max((r[1] for r in refs if r[1]), key=int, default=b"")
        if name == b"row":
            self.row = int(digits) if digits else self.row + 1
            self.column = 0
        else:
            self.extent.cells += 1
            self.column = column_number(letters) if letters else self.column + 1
            self.row = int(digits) if digits else max(self.row, 1)
        self.extent.widen(self.row, self.column)
        if self.extent.cells > self.limits.max_cells or _too_far(self.extent, self.limits):
            _refuse_extent(self.extent, self.limits, self.where)


def _too_far(extent: SheetExtent, limits: WorkbookLimits) -> bool:
    return (extent.rows > limits.max_rows or extent.columns > limits.max_columns
            or extent.rows * extent.columns > limits.max_area)


def _refuse_extent(extent: SheetExtent, limits: WorkbookLimits, where: str) -> None:
    if extent.cells > limits.max_cells:
        raise ValidationError(f"{where}的单元格过多（超过 {limits.max_cells} 个），系统拒绝读取。{SHRINK}")
    if extent.rows > limits.max_rows:
        raise ValidationError(f"{where}的行数过多（用到第 {extent.rows} 行，最多 {limits.max_rows} 行），"
                              f"系统拒绝读取。{SHRINK}")
    if extent.columns > limits.max_columns:
        raise ValidationError(f"{where}的列数过多（用到第 {extent.columns} 列，最多 {limits.max_columns} 列），"
                              f"系统拒绝读取。{SHRINK}")
    raise ValidationError(f"{where}的范围过大（{extent.rows} 行 × {extent.columns} 列，"
                          f"超过 {limits.max_area} 个单元格），系统拒绝读取。{SHRINK}")


def _segments(part, limits: WorkbookLimits, where: str):
    """The part's text in chunks cut before the last "<" (a tag is never split); checks the declared range."""
    pending, first = b"", True
    while chunk := part.read(CHUNK):
        data = pending + chunk
        if first:
            declared = declared_extent(data[:MAX_TAG_BYTES])
            if _too_far(declared, limits):
                _refuse_extent(declared, limits, f"{where}声明的范围")
            first = False
        cut = data.rfind(b"<")  # the last tag may continue in the next chunk: keep it for then
        cut = len(data) if cut == -1 else cut
        yield data[:cut]
        pending = data[cut:]
        if len(pending) > MAX_TAG_BYTES:
            raise ValidationError(f"{where}的内容格式不正确（单个标签或文字过长），系统拒绝读取。")
    yield pending


def _widest(letters: set[bytes]) -> int:
    return max((column_number(x) for x in letters if x), default=0)


def _fast_extent(segment: bytes, extent: SheetExtent) -> bool:
    """Widen `extent` from one segment at C speed; False when the segment needs the tag-by-tag scanner:
    a cell or row without `r` (it sits after the previous one), or prefixed or unusually spaced tags."""
    if any(odd in segment for odd in ODD_TAGS):
        return False
    cells, rows = segment.count(b"<c "), segment.count(b"<row ")
    cell_refs, row_refs = CELL_WITH_REF.findall(segment), ROW_WITH_REF.findall(segment)
    if len(cell_refs) != cells or len(row_refs) != rows:
        return False
    extent.cells += cells
    digits = {d for _, _, d in cell_refs} | {d for _, _, d in row_refs}
    extent.widen(max((int(d) for d in digits if d), default=0), _widest({x for _, x, _ in cell_refs}))
    return True


def _at_most(bound: str, first: str, digit: str) -> str:
    """A regex for the strings over the class `digit` ("[A-Z]" or "[0-9]"; the first character over `first`)
    that are at most `bound` as numbers (column letters, or row digits without a leading zero), each followed
    by a digit or a quote as in a cell reference: of the same length those up to it in alphabetical order, and
    every shorter string. One character class where it can (the search runs once per cell)."""
    same = []
    for at, character in enumerate(bound):
        lowest = first[1] if at == 0 else digit[1]
        last = at == len(bound) - 1
        top = character if last else chr(ord(character) - 1)
        if top >= lowest:
            same.append(f"{bound[:at]}[{lowest}-{top}]{digit * (len(bound) - at - 1)}")
    shorter = [f"{first}{digit}{{0,{len(bound) - 2}}}+"] if len(bound) > 1 else []
    return "|".join(same + shorter)


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@functools.lru_cache(maxsize=64)
def _cell_beyond(rows: int, columns: int) -> re.Pattern:
    """A cell tag that _quick_extent cannot vouch for: spelt otherwise than `<c r="B5"`, or with a column past
    `columns` or a row past `rows`."""
    letters = _at_most(_column_letters(columns), "[A-Z]", "[A-Z]")
    digits = _at_most(str(rows), "[1-9]", "[0-9]")
    reference = f'r="(?:{letters})(?=[1-9])(?:{digits})"'.encode()
    return re.compile(rb"<c(?:[\t\r\n>/]| (?!" + reference + _QUICK_TAIL + rb"))")


def _quick_extent(segment: bytes, extent: SheetExtent) -> bool:
    """What _fast_extent would find, in fewer passes, for a segment spelt the common way and reaching no
    column past those already seen; False (extent untouched) otherwise. The rows' numbers come from their
    tags; then one search shows that no cell lies past the farthest row or column, so the cells widen nothing
    and only their count is needed."""
    if not extent.columns or PREFIXED_TAG.search(segment):
        return False
    rows = ROW_NUMBER.findall(segment)
    if b"" in rows:
        return False
    farthest = max(extent.rows, max(map(int, rows), default=0))
    if not farthest or _cell_beyond(farthest, extent.columns).search(segment):
        return False
    extent.cells += segment.count(b"<c ")
    extent.rows = farthest
    return True


def scan_sheet(open_part, limits: WorkbookLimits, where: str) -> SheetExtent:
    """Stream one worksheet part; refuse as soon as it reaches too far. Memory: one chunk.

    Workbooks written by Excel, WPS, LibreOffice or openpyxl give every row and cell its `r`, and are
    measured by whole chunks; a part with a cell or row without one is followed tag by tag.
    """
    extent = SheetExtent()
    with open_part() as part:
        for segment in _segments(part, limits, where):
            if not (_quick_extent(segment, extent) or _fast_extent(segment, extent)):
                break
            if extent.cells > limits.max_cells or _too_far(extent, limits):
                _refuse_extent(extent, limits, where)
        else:
            return extent
    scanner = _Scanner(limits, where)
    with open_part() as part:
        for segment in _segments(part, limits, where):
            for match in TAG.finditer(segment):
                scanner.tag(match.group(1), match.group(2))
    return scanner.extent


def _members(content: bytes, limits: WorkbookLimits) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        return archive, archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise ValidationError(_not_xlsx(limits)) from error


def _check_bomb(members: list[zipfile.ZipInfo], limits: WorkbookLimits) -> None:
    total = sum(m.file_size for m in members)
    dense = any(m.file_size > RATIO_FLOOR and m.file_size > limits.max_ratio * max(m.compress_size, 1)
                for m in members)
    if len(members) > limits.max_members or total > limits.max_uncompressed_bytes or dense:
        raise ValidationError(BOMB)


def _check_macros(archive: zipfile.ZipFile, names: set[str]) -> None:
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ValidationError(MACRO)
    with archive.open("[Content_Types].xml") as part:
        if b"macroenabled" in part.read(1024 * 1024).lower():
            raise ValidationError(MACRO)


def _check_sheets(archive: zipfile.ZipFile, names: set[str], limits: WorkbookLimits) -> None:
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    for name in sheets:
        scan_sheet(lambda name=name: archive.open(name), limits, f"工作表（{name.rsplit('/', 1)[-1][:-4]}）")


def check_workbook_bytes(content: bytes, limits: WorkbookLimits = DEFAULT_LIMITS) -> None:
    """Raise ValidationError (Chinese) unless the bytes are a safe, ordinary .xlsx within the limits."""
    if len(content) > limits.max_bytes:
        raise ValidationError(_too_big(limits))
    archive, members = _members(content, limits)
    with archive:
        _check_bomb(members, limits)
        names = {m.filename for m in members}
        if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
            raise ValidationError(_not_xlsx(limits))
        try:
            _check_macros(archive, names)
            _check_sheets(archive, names, limits)
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError, NotImplementedError,
                KeyError) as error:
            raise ValidationError(_not_xlsx(limits)) from error


def open_uploaded_workbook(file, limits: WorkbookLimits = DEFAULT_LIMITS):
    """A read-only openpyxl workbook of an uploaded file, or ValidationError the uploader can act on."""
    from openpyxl import load_workbook

    check_name_and_size(getattr(file, "name", "") or "", getattr(file, "size", None), limits)
    content = read_limited(file, limits)
    check_workbook_bytes(content, limits)
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on malformed parts
        raise ValidationError("无法读取该文件：工作簿内容已损坏或不是 Excel 工作簿，请用导入模板重新填写。") from error
