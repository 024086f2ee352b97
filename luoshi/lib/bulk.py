"""Inserting thousands of rows at once: a ledger import with its history rows, a sweep that opens tens of
thousands of warnings (a new zone, a first run).

Rows are plain tuples, not model instances: bulk_create spends most of its time building and preparing those.
PostgreSQL gets COPY for large batches, four to five times faster than INSERT, the new ids drawn from the
table's sequence first so rows that refer to them can follow; otherwise multi-row INSERTs … RETURNING id, with
values adapted only for the column types that need it. The database is the router's choice for the model, and
every table and column name is quoted by that connection."""

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connections, router
from django.db.models import AutoField, Field, JSONField, Model
from django.utils import timezone

from luoshi.lib.history import Actor

COPY_OVER = 500  # smaller batches are not worth COPY's extra round trip for the ids
_ADAPTED = (
    "DecimalField",
    "DateField",
    "DateTimeField",
    "JSONField",
)  # the others go to the driver as they are

Row = Sequence[Any]


def insert(
    model: type[Model], columns: Sequence[str], rows: Sequence[Row], *, returning: bool = True
) -> list[int]:
    """Insert `rows` (values for the fields named in `columns`, by name or attname). The other fields take their
    defaults, and auto_now fields the current time, as save() would give them. Returns the new primary keys in
    order, or nothing without `returning`."""
    return _write(model, *_complete(model, columns, rows, timezone.now()), returning)


def insert_with_history(
    model: type[Model], columns: Sequence[str], rows: Sequence[Row], user: Actor
) -> list[int]:
    """bulk_create_with_history (django-simple-history) for thousands of rows: the rows, then one "created"
    history row each. Returns the new ids in order."""
    now = timezone.now()
    fields, full = _complete(model, columns, rows, now)
    ids = _write(model, fields, full, returning=True)
    meta = model._meta
    assert meta.pk is not None
    history = model.history.model  # type: ignore[attr-defined]  # added by simple_history
    names = [f.attname for f in fields]
    names += [meta.pk.attname, "history_date", "history_change_reason", "history_type", "history_user_id"]
    fixed = (now, None, "+", user.pk if user else None)
    insert(history, names, [(*row, pk, *fixed) for row, pk in zip(full, ids, strict=True)], returning=False)
    return ids


def _complete(
    model: type[Model], columns: Sequence[str], rows: Sequence[Row], now: datetime
) -> tuple[list[Field[Any, Any]], Sequence[Row]]:
    """Every field but the auto primary key, and the rows with a value for each, in that order."""
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, AutoField)]
    known = {f.attname for f in fields} | {f.name for f in fields}
    unknown = [name for name in columns if name not in known]
    if unknown:
        raise ValueError(f"{model._meta.label} has no field {', '.join(unknown)}")
    given = {name: n for n, name in enumerate(columns)}
    plan: list[tuple[int | None, object]] = []  # (where the row has the value, or None: what to fill in)
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            plan.append((None, now))
            continue
        at = given.get(field.attname, given.get(field.name))
        plan.append((at, field.get_default() if at is None else None))
    if [at for at, _fill in plan] == list(range(len(columns))):
        return fields, rows
    return fields, [tuple(fill if at is None else row[at] for at, fill in plan) for row in rows]


def _write(
    model: type[Model], fields: list[Field[Any, Any]], rows: Sequence[Row], returning: bool
) -> list[int]:
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql" and len(rows) >= COPY_OVER:
        return _copy(connection, model, fields, rows, returning)
    return _insert(connection, model, fields, rows, returning)


def _insert(
    connection: Any, model: type[Model], fields: list[Field[Any, Any]], rows: Sequence[Row], returning: bool
) -> list[int]:
    """Multi-row INSERTs (… RETURNING id, as bulk_create does on SQLite and PostgreSQL)."""
    meta = model._meta
    assert meta.pk is not None
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) VALUES "
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    tail = f" RETURNING {quote(meta.pk.column)}" if returning else ""
    size = max(1, min(500, 999 // len(fields)))  # under SQLite's oldest limit on bound parameters
    adapt = [f if f.get_internal_type() in _ADAPTED else None for f in fields]
    # Dates and amounts repeat: adapt each once. JSON values cannot be dictionary keys.
    memos: list[dict[object, object] | None] = [None if isinstance(f, JSONField) else {} for f in fields]
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            params: list[Any] = []
            for row in batch:
                for value, field, memo in zip(row, adapt, memos, strict=True):
                    if field is not None and value is not None:
                        if memo is None:
                            value = field.get_db_prep_save(value, connection)
                        elif value in memo:
                            value = memo[value]
                        else:
                            value = memo[value] = field.get_db_prep_save(value, connection)
                    params.append(value)
            cursor.execute(head + ", ".join([one] * len(batch)) + tail, params)
            if returning:
                ids.extend(r[0] for r in cursor.fetchall())
    return ids


def _copy(
    connection: Any, model: type[Model], fields: list[Field[Any, Any]], rows: Sequence[Row], returning: bool
) -> list[int]:
    """PostgreSQL's COPY; psycopg adapts the values itself, all but JSON."""
    meta = model._meta
    assert meta.pk is not None
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = [f.column for f in fields]
    json_at = [n for n, f in enumerate(fields) if isinstance(f, JSONField)]
    ids: list[int] = []
    with connection.cursor() as cursor:
        if returning:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, meta.pk.column, len(rows)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            columns = [meta.pk.column, *columns]
        sql = f"COPY {table} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:  # psycopg's COPY, under Django's cursor wrapper
            for n, row in enumerate(rows):
                values = list(row)
                for at in json_at:
                    if values[at] is not None:
                        values[at] = json.dumps(values[at], ensure_ascii=False)
                copy.write_row([ids[n], *values] if returning else values)
    return ids
