"""List pages: one way to search, filter, page and export a queryset.

A list view builds its scoped queryset, hands it with a django-filter FilterSet to `list_page`,
and renders the context it returns (the filter form, one page of rows, the page links keeping the
filter, and the export link). `?export=xlsx` on the same URL answers `export_xlsx` of the same
filtered queryset: rows are read in chunks (`QuerySet.iterator`) and written by openpyxl's
write-only workbook, which spools rows to a temporary file, so an export of 100,000 rows never
holds them all in memory; the finished file is streamed to the client by FileResponse.

Nothing is cut off silently: the page shows the total count and every page is reachable.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from openpyxl import Workbook

from sheets.cells import BOLD, XLSX_TYPE, new_cell

PER_PAGE = 50
EXPORT_CHUNK = 2000
EXPORT_PARAM = "export"


@dataclass(frozen=True)
class Column:
    """One column of an export: its heading and how to read the value from a row."""

    heading: str
    value: Callable[[Any], Any]


def _plain(value):
    """Aware times in local time; the one cell writer (sheets.cells) makes everything else formula-safe."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def xlsx_rows_file(rows: Iterable, columns: list[Column], *, title: str = "Sheet1"):
    """Write the rows to a temporary .xlsx file (write-only workbook) and return it rewound."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31])
    ws.append([new_cell(ws, column.heading, font=BOLD) for column in columns])
    for row in rows:
        ws.append([new_cell(ws, _plain(column.value(row))) for column in columns])
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    wb.save(handle)
    handle.seek(0)
    return handle


def export_xlsx(queryset: QuerySet, columns: list[Column], *, filename: str, title: str = "Sheet1") -> FileResponse:
    """The filtered queryset as a streamed .xlsx download (rows read in chunks)."""
    handle = xlsx_rows_file(queryset.iterator(chunk_size=EXPORT_CHUNK), columns, title=title)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


def wants_export(request: HttpRequest) -> bool:
    return request.GET.get(EXPORT_PARAM) == "xlsx"


@dataclass
class ListPage:
    filter: Any  # the bound FilterSet (its .form renders the filter fields)
    page: Any  # django.core.paginator.Page
    querystring: str  # the filter's parameters without page/export, for page and export links
    total: int

    @property
    def rows(self):
        return self.page.object_list


def filtered(request: HttpRequest, queryset: QuerySet, filterset_class, **filterset_kwargs) -> tuple[Any, QuerySet]:
    """The bound FilterSet and its queryset; invalid filter values filter nothing (the form shows why)."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request, **filterset_kwargs)
    return filterset, (filterset.qs if filterset.is_bound and filterset.is_valid() else queryset)


def list_page(request: HttpRequest, queryset: QuerySet, filterset_class, *, per_page: int = PER_PAGE,
              **filterset_kwargs) -> ListPage:
    """One page of the filtered queryset (which must be ordered) with the filter to render."""
    filterset, rows = filtered(request, queryset, filterset_class, **filterset_kwargs)
    paginator = Paginator(rows, per_page)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params.pop(EXPORT_PARAM, None)
    return ListPage(filter=filterset, page=page, querystring=params.urlencode(), total=paginator.count)
