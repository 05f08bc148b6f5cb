"""Publication dates: read leniently where they only help (direction, families, the scan's date
window), checked strictly where a user types them in (CLI options, corpus records, requests)."""

from __future__ import annotations

from datetime import date, datetime

from spintrace.errors import InputError

DATE_HINT = "not a date (use YYYY-MM-DD or an ISO 8601 date-time)"


def parse_date(value: object) -> date | None:
    """The calendar date of an ISO 8601 date or date-time; None when absent or unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(str(value).strip().replace("Z", "+00:00")).date()
    except ValueError:
        return None


def checked_date(value: object, name: str) -> str | None:
    """``value`` as the date string to keep, or None when absent; an ``InputError`` naming the field
    ``name`` when it is given but is not an ISO 8601 date: a typo must not pass for "no date"."""
    if value is None or value == "":
        return None
    if isinstance(value, date):  # a date or timestamp column of a Parquet file
        return value.isoformat()
    if not isinstance(value, str) or parse_date(value) is None:
        raise InputError(name, f"{value!r} is {DATE_HINT}")
    return value.strip()
