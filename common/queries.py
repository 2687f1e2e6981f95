"""Query helpers shared by apps."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection
from django.db.models import QuerySet

SQLITE_CHUNK = 900  # SQLite caps the number of parameters of one statement


def in_values(queryset: QuerySet, field: str, values: list, chunk: int = SQLITE_CHUNK) -> Iterator[QuerySet]:
    """`field IN values` as querysets to read in turn: on PostgreSQL one query with the values as one array
    parameter (the client binds thousands of placeholders far slower than the server reads the array);
    elsewhere one query per chunk."""
    if connection.vendor == "postgresql":
        column = f"{connection.ops.quote_name(queryset.model._meta.db_table)}.{connection.ops.quote_name(field)}"
        yield queryset.extra(where=[f"{column} = ANY(%s)"], params=[values])
        return
    for start in range(0, len(values), chunk):
        yield queryset.filter(**{f"{field}__in": values[start:start + chunk]})
