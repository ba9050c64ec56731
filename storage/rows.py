"""Small helpers shared by the repository modules: timestamps, decimal columns, row lookups."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlite_utils import Database


def iso(instant: datetime) -> str:
    """UTC ISO 8601 text for a tz-aware instant."""
    return instant.astimezone(UTC).isoformat(timespec="seconds")


def epoch(instant: datetime) -> int:
    """Whole Unix seconds for a tz-aware instant (the due-scan column format)."""
    return int(instant.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def mg(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def placeholders(count: int) -> str:
    """``?, ?, ?`` for an ``IN (...)`` list or a VALUES row of ``count`` values."""
    return ", ".join("?" * count)


ROWS_PER_STATEMENT = 200  # a few hundred parameters: far below SQLite's limit of 32,766


def values(rows: Sequence[Sequence[Any]]) -> tuple[str, list[Any]]:
    """``(?, ?), (?, ?)`` for a multi-row VALUES list of ``rows``, and their values in order."""
    marks = ", ".join([f"({placeholders(len(rows[0]))})"] * len(rows))
    return marks, [value for row in rows for value in row]


def values_in_parts(rows: Sequence[Sequence[Any]]) -> Iterator[tuple[str, list[Any]]]:
    """``values`` for at most ``ROWS_PER_STATEMENT`` rows at a time (one statement each)."""
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        yield values(rows[start : start + ROWS_PER_STATEMENT])


def select(
    db: Database,
    table: str,
    where: str = "1",
    args: Sequence[Any] = (),
    *,
    order_by: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Rows of ``table`` as dicts, in plain SQL.

    sqlite-utils' ``rows_where`` re-reads the schema's table names on every call and ``query``
    wraps each read in a savepoint: most of the cost of a one-row lookup on the reminder path.
    """
    sql = f"SELECT * FROM {table} WHERE {where}"
    if order_by is not None:
        sql += f" ORDER BY {order_by}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    cursor = db.conn.execute(sql, list(args))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def first(
    db: Database,
    table: str,
    where: str,
    args: Sequence[Any] = (),
    *,
    order_by: str | None = None,
) -> dict[str, Any] | None:
    """The first row of ``table`` matching ``where``, or None."""
    rows = select(db, table, where, args, order_by=order_by, limit=1)
    return rows[0] if rows else None
