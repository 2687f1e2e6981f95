"""filings.roster.reader._data_rows against the row-by-row loop it replaced: the same rows, numbers and refusal."""

import random

import pytest
from django.core.exceptions import ValidationError

from filings.roster import reader
from filings.roster.columns import INSTRUCTIONS_MARK


def reference_data_rows(cells, header):
    """The loop _data_rows replaced, kept as the reference."""
    rows = []
    for index in range(header + 1, len(cells)):
        values = cells[index]
        first = values[0] if values else None
        if (first is None or type(first) is str) and (
                reader._is_blank(values) or reader._text(first).startswith(INSTRUCTIONS_MARK)):
            continue
        rows.append((index + 1, values))
        if len(rows) > reader.MAX_DATA_ROWS:
            raise ValidationError(reader.HUGE_SHEET)
    return rows


FIRSTS = [1, 2.0, 0, None, "", "  ", "3", " 填写说明（本行导入时忽略）", "填写说明", "说明", True, 1.5]
OTHERS = [None, "", " ", "\u3000", "张三", 24, 0.0, False]


def random_cells(rng):
    width = rng.randint(0, 5)
    cells = []
    for _ in range(rng.randint(0, 40)):
        if rng.random() < 0.05:
            cells.append([])
            continue
        row = [rng.choice(FIRSTS)] + [rng.choice(OTHERS) for _ in range(width)]
        cells.append(row[:width + 1] if width else row[:1])
    return cells


@pytest.mark.parametrize("seed", range(5))
def test_data_rows_are_those_of_the_row_by_row_loop(seed):
    rng = random.Random(seed)
    for _ in range(400):
        cells = random_cells(rng)
        header = rng.randint(-1, min(3, len(cells)))
        assert reader._data_rows(cells, header, {}) == reference_data_rows(cells, header), cells


def test_more_data_rows_than_allowed_are_refused_as_before(monkeypatch):
    monkeypatch.setattr(reader, "MAX_DATA_ROWS", 5)
    cells = [["表头"]] + [[n] for n in range(1, 7)]
    with pytest.raises(ValidationError) as new:
        reader._data_rows(cells, 0, {})
    with pytest.raises(ValidationError) as old:
        reference_data_rows(cells, 0)
    assert new.value.messages == old.value.messages
    assert len(reader._data_rows(cells[:-1] + [[None]], 0, {})) == 5
