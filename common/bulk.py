"""Inserting many rows at once: PostgreSQL COPY, with the ids drawn from the table's own sequence first so
that the caller knows them; `bulk_create` on other databases and for small batches.

COPY skips Django's per-object work (model instances, field preparation, one parameter per value), which
for 50,000 rows is most of the time an INSERT takes. The caller passes plain tuples of the values of
`fields`, already valid for the table; every other column gets what Django would give it on save (its
default, the time for auto_now fields), worked out once for all rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.utils import timezone

COPY_FROM = 1000  # below this, bulk_create costs as little and needs no second code path


def _filled(model, fields: Sequence[str]) -> tuple[list, tuple]:
    """The fields the caller leaves out, with the value Django's INSERT would give each."""
    given = {model._meta.get_field(name).name for name in fields}
    rest = [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in given]
    now = timezone.now()
    return rest, tuple(now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
                       else f.get_db_prep_save(f.get_default(), connection) for f in rest)


def insert_rows(model, fields: Sequence[str], rows: list[tuple], *, ids: bool = True) -> list[int]:
    """Insert `rows` (values in the order of `fields`, model field names) into `model`'s table, in one
    COPY on PostgreSQL; return the new ids in row order (an empty list when `ids` is False)."""
    if not rows:
        return []
    if connection.vendor != "postgresql" or len(rows) < COPY_FROM:
        attnames = [model._meta.get_field(name).attname for name in fields]
        created = model.objects.bulk_create([model(**dict(zip(attnames, row, strict=True))) for row in rows],
                                            batch_size=2000)
        return [obj.pk for obj in created] if ids else []
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    rest, extra = _filled(model, fields)
    columns = [model._meta.get_field(name).column for name in fields] + [f.column for f in rest]
    with connection.cursor() as cursor:
        new_ids: list[int] = []
        if ids:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, pk, len(rows)])
            new_ids = [found for (found,) in cursor.fetchall()]
            columns = [pk, *columns]
        names = ", ".join(quote(c) for c in columns)
        with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            if ids:
                for new_id, row in zip(new_ids, rows, strict=True):
                    copy.write_row((new_id, *row, *extra))
            else:
                for row in rows:
                    copy.write_row((*row, *extra))
    return new_ids
