"""sheets.guard's quick path (_quick_extent) against the path it shortens (_fast_extent) and the tag-by-tag
scanner: the same extent, the same refusals, whatever the spelling."""

import io
import random
import re
import zipfile
from dataclasses import replace
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from sheets import guard
from sheets.guard import SheetExtent, WorkbookLimits, check_workbook_bytes

CELL_SPELLINGS = [  # (weight, template): {c} letters, {n} row digits
    (30, '<c r="{c}{n}" t="s"><v>1</v></c>'),
    (20, '<c r="{c}{n}"/>'),
    (1, "<c r='{c}{n}'/>"),
    (1, '<c s="1" r="{c}{n}"/>'),
    (1, '<c r="${c}${n}"/>'),
    (1, '<c r="{c}0{n}"/>'),
    (1, '<c r="{c}"/>'),
    (1, "<c/>"),
    (1, "<c>x</c>"),
    (1, '<c\nr="{c}{n}"/>'),
    (1, '<c\tr="{c}{n}"/>'),
    (1, '<x:c r="{c}{n}"/>'),
    (1, '<c r = "{c}{n}"/>'),
    (1, '<c r="{c}{n}" r="XFD1"/>'),
]
ROW_SPELLINGS = [
    (40, '<row r="{n}">'),
    (1, '<row r="{n}" spans="1:3">'),
    (1, '<row spans="1:3" r="{n}">'),
    (1, "<row r='{n}'>"),
    (1, '<row r="0{n}">'),
    (1, "<row>"),
    (1, '<row\nr="{n}">'),
    (1, '<x:row r="{n}">'),
]


def pick(rng, spellings):
    return rng.choices([s for _, s in spellings], weights=[w for w, _ in spellings])[0]


def letters(number: int) -> str:
    return guard._column_letters(number)


def random_segment(rng: random.Random, *, tame: bool) -> bytes:
    """Rows and cells; `tame`: the common spelling only, cells within their row and a few columns."""
    parts, row = [], rng.randint(1, 40)
    for _ in range(rng.randint(0, 12)):
        row += rng.randint(0, 3) if rng.random() < 0.9 else -rng.randint(1, row)
        row = max(row, 1)
        parts.append((ROW_SPELLINGS[0][1] if tame else pick(rng, ROW_SPELLINGS)).format(n=row))
        for _ in range(rng.randint(0, 6)):
            column = rng.randint(1, 6) if tame or rng.random() < 0.8 else rng.choice([26, 27, 52, 53, 702, 703, 16384])
            cell_row = row if tame or rng.random() < 0.85 else row + rng.choice([-1, 1, 9, 10, 1000])
            cell_row = max(cell_row, 1)
            spelling = rng.choice(CELL_SPELLINGS[:2])[1] if tame else pick(rng, CELL_SPELLINGS)
            parts.append(spelling.format(c=letters(column), n=cell_row))
        parts.append("</row>")
    if not tame and rng.random() < 0.1:
        parts.insert(rng.randint(0, len(parts)), rng.choice(['<cols><col min="1" max="2"/></cols>', "<xx:y/>"]))
    return "".join(parts).encode()


def random_extent(rng: random.Random) -> SheetExtent:
    if rng.random() < 0.1:
        return SheetExtent()
    return SheetExtent(rows=rng.randint(1, 60), columns=rng.randint(1, 8), cells=rng.randint(0, 100))


@pytest.mark.parametrize("seed", range(6))
def test_the_quick_path_finds_what_the_fast_path_finds_or_stands_aside(seed):
    rng, vouched = random.Random(seed), 0
    for n in range(1500):
        segment, start = random_segment(rng, tame=n % 3 == 0), random_extent(rng)
        quick, fast = replace(start), replace(start)
        if guard._quick_extent(segment, quick):
            vouched += 1
            assert guard._fast_extent(segment, fast), segment
            assert quick == fast, segment
        else:
            assert quick == start, segment  # untouched: _fast_extent or the scanner takes over
    assert vouched > 200  # the quick path is taken for the common spelling, not only refused


@pytest.mark.parametrize("seed", range(3))
def test_the_fast_paths_agree_with_the_tag_by_tag_scanner_on_the_common_spelling(seed):
    rng = random.Random(seed)
    limits = WorkbookLimits(max_rows=10**9, max_columns=10**9, max_area=10**18, max_cells=10**9)
    for _ in range(300):
        segments = [random_segment(rng, tame=rng.random() < 0.7) for _ in range(rng.randint(1, 4))]
        extent, fast = SheetExtent(), True
        for segment in segments:
            if not (guard._quick_extent(segment, extent) or guard._fast_extent(segment, extent)):
                fast = False
                break
        if not fast:
            continue
        scanner = guard._Scanner(limits, "x")
        for match in guard.TAG.finditer(b"".join(segments)):
            scanner.tag(match.group(1), match.group(2))
        assert extent == scanner.extent, segments


@pytest.mark.parametrize("bound", [*range(1, 120), 700, 701, 702, 703, 704, 728, 729, 1000, 16384])
def test_the_column_bound_matches_exactly_the_columns_up_to_it(bound):
    pattern = re.compile(f"(?:{guard._at_most(letters(bound), '[A-Z]', '[A-Z]')})(?=[1-9])1")
    for number in [*range(1, 800), 16384, 16385, 18278]:
        assert bool(pattern.fullmatch(letters(number) + "1")) is (number <= bound), number


@pytest.mark.parametrize("bound", [1, 2, 9, 10, 11, 19, 20, 99, 100, 101, 109, 110, 999, 1000, 50004, 200005, 1048576])
def test_the_row_bound_matches_exactly_the_rows_up_to_it(bound):
    pattern = re.compile(f"(?:{guard._at_most(str(bound), '[1-9]', '[0-9]')})\"")
    candidates = {*range(1, 1200), bound - 1, bound, bound + 1, bound * 10, bound // 10, 10 ** len(str(bound))}
    for number in candidates - {0}:
        assert bool(pattern.fullmatch(f'{number}"')) is (number <= bound), number
    assert not pattern.fullmatch(f'0{bound}"')  # a leading zero is left to the fast path


def sheet_workbook(rows_xml: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml",
                         '<worksheet><dimension ref="A1:C3"/><sheetData>' + rows_xml + "</sheetData></worksheet>")
    return out.getvalue()


def outcome(content: bytes, limits: WorkbookLimits, *, quick: bool) -> str:
    patch = mock.patch.object(guard, "_quick_extent", side_effect=guard._quick_extent if quick else lambda s, e: False)
    with patch:
        try:
            check_workbook_bytes(content, limits)
        except ValidationError as refusal:
            return refusal.messages[0]
    return "passed"


def long_sheet(rng: random.Random, rows: int) -> str:
    """A sheet of several 1 MB chunks; now and then a cell somewhere far or spelt otherwise."""
    parts = []
    for row in range(1, rows + 1):
        cells = "".join(f'<c r="{letters(c)}{row}" t="inlineStr"><is><t>{"字" * 20}</t></is></c>' for c in (1, 2, 3))
        if rng.random() < 0.0003:
            cells += rng.choice([f'<c r="{letters(rng.choice([4, 30, 60]))}{row}"/>', f'<c r="A{row * 3}"/>',
                                 "<c/>", f'<c s="1" r="B{row}"/>', f'<c r="B{row}" r="AZ{row}"/>'])
        parts.append(f'<row r="{row}">{cells}</row>')
    return "".join(parts)


@pytest.mark.parametrize("seed", range(4))
def test_whole_sheets_get_the_same_verdict_and_message_with_and_without_the_quick_path(seed):
    rng = random.Random(seed)
    content = sheet_workbook(long_sheet(rng, 14_000))
    assert len(zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")) > 3 * guard.CHUNK
    for limits in [WorkbookLimits(max_rows=50_000, max_columns=40, max_area=2_000_000, max_cells=2_000_000),
                   WorkbookLimits(max_rows=20_000, max_columns=3, max_area=2_000_000, max_cells=2_000_000),
                   WorkbookLimits(max_rows=30_000, max_columns=40, max_area=60_000, max_cells=2_000_000),
                   WorkbookLimits(max_rows=12_000, max_columns=40, max_area=2_000_000, max_cells=2_000_000),
                   WorkbookLimits(max_rows=50_000, max_columns=40, max_area=2_000_000, max_cells=30_000)]:
        assert outcome(content, limits, quick=True) == outcome(content, limits, quick=False)


def test_the_quick_path_measures_an_ordinary_long_sheet():
    content = sheet_workbook(long_sheet(random.Random(99), 14_000).replace("<c/>", ""))
    with mock.patch.object(guard, "_fast_extent", wraps=guard._fast_extent) as fast:
        check_workbook_bytes(content, WorkbookLimits(max_rows=50_000, max_columns=100, max_area=5_000_000,
                                                     max_cells=5_000_000))
    assert fast.call_count <= 2  # the first chunk (no columns known yet), perhaps one chunk with an odd cell
