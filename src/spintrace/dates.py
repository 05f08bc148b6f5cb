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


def _instant(value: object) -> tuple[date, datetime | None, bool] | None:
    """(calendar date, instant or None when no time of day is given, whether the instant has a
    zone). A zoned instant is in UTC and its date is the UTC date, so that every comparison below
    agrees with every other (a local date beside a UTC instant made the order cyclic); a time of
    exactly midnight with no zone is a date written as a timestamp (a Parquet date column)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        return value, None, False
    else:
        text = str(value).strip()
        try:
            return date.fromisoformat(text), None, False
        except ValueError:
            pass
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        if moment.time() == datetime.min.time():
            return moment.date(), None, False
        return moment.date(), moment, False
    utc = moment.astimezone(timezone.utc)
    return utc.date(), utc, True


def published_order(a: object, b: object) -> int:
    """-1 when ``a`` was published before ``b``, 1 when after, 0 when the dates do not tell.

    Two date-times with zones (or two without) are compared as instants (time zones honoured:
    20:00-05:00 is after 09:00+09:00 the next day); otherwise the dates are compared (a zoned
    time's UTC date), and the same day tells nothing.
    """
    x, y = _instant(a), _instant(b)
    if x is None or y is None:
        return 0
    # Instants compare only when both or neither have a zone: a local time beside a zoned one
    # could be 14 hours off, so those compare by date.
    if x[1] is not None and y[1] is not None and x[2] == y[2]:
        return (x[1] > y[1]) - (x[1] < y[1])
    return (x[0] > y[0]) - (x[0] < y[0])


def published_sort_key(value: object) -> tuple:
    """A key that sorts publication dates earliest first (undated last), by UTC instant where a
    time is given and by the start of the day (UTC) where only a date is."""
    parsed = _instant(value)
    if parsed is None:
        return (1, datetime.max.replace(tzinfo=timezone.utc))
    day, moment, zoned = parsed
    if moment is not None and not zoned:
        moment = moment.replace(tzinfo=timezone.utc)
    return (0, moment or datetime(day.year, day.month, day.day, tzinfo=timezone.utc))


def published_text(value: object) -> str:
    """How a publication date is named in evidence: its UTC instant, or its date."""
    parsed = _instant(value)
    if parsed is None:
        return ""
    day, moment, zoned = parsed
    if moment is None:
        return day.isoformat()
    return moment.strftime("%Y-%m-%d %H:%M UTC" if zoned else "%Y-%m-%d %H:%M")


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
