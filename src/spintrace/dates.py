"""Publication dates: read leniently where they only help (direction, families, the scan's date
window), checked strictly where a user types them in (CLI options, corpus records, requests)."""

from __future__ import annotations

from datetime import date, datetime, timezone

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


def _instant(value: object) -> tuple[date, datetime | None] | None:
    """(calendar date, UTC instant or None when no time of day is given)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value, None
    else:
        text = str(value).strip()
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        if "T" not in text and " " not in text:  # a date alone: no time of day to compare
            return moment.date(), None
    # A time without a zone is read as UTC: the common case for feeds, and a consistent rule.
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)
    return moment.date(), aware.astimezone(timezone.utc)


def published_order(a: object, b: object) -> int:
    """-1 when ``a`` was published before ``b``, 1 when after, 0 when the dates do not tell.

    Two date-times are compared as instants (time zones honoured: 20:00-05:00 is after
    09:00+09:00 the next day); where either gives only a date, the calendar dates are compared,
    and the same day tells nothing.
    """
    x, y = _instant(a), _instant(b)
    if x is None or y is None:
        return 0
    if x[1] is not None and y[1] is not None:
        return (x[1] > y[1]) - (x[1] < y[1])
    return (x[0] > y[0]) - (x[0] < y[0])


def published_sort_key(value: object) -> tuple:
    """A key that sorts publication dates earliest first (undated last), by UTC instant where a
    time is given and by the start of the day (UTC) where only a date is."""
    parsed = _instant(value)
    if parsed is None:
        return (1, datetime.max.replace(tzinfo=timezone.utc))
    day, moment = parsed
    return (0, moment or datetime(day.year, day.month, day.day, tzinfo=timezone.utc))


def published_text(value: object) -> str:
    """How a publication date is named in evidence: its UTC instant, or its date."""
    parsed = _instant(value)
    if parsed is None:
        return ""
    day, moment = parsed
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else day.isoformat()


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
