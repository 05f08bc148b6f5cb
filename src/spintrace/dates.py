"""Publication dates: read leniently where they only help (direction, families, the scan's date
window), checked strictly where a user types them in (CLI options, corpus records, requests)."""

from __future__ import annotations

from datetime import date, datetime

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


def checked_date(value: object) -> str | None:
    """``value`` as the date string to keep, or None when absent; ValueError (``DATE_HINT``) when it
    is given but is not an ISO 8601 date: a typo must not pass for "no date"."""
    if value is None or value == "":
        return None
    if isinstance(value, date):  # a date or timestamp column of a Parquet file
        return value.isoformat()
    if not isinstance(value, str):
        raise ValueError(DATE_HINT)
    if parse_date(value) is None:
        raise ValueError(DATE_HINT)
    return value.strip()
