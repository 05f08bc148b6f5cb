"""Publication dates: lenient where they only help, strict where a user typed them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from spintrace.dates import checked_date, parse_date
from spintrace.errors import InputError


def test_parse_date_reads_dates_and_date_times_and_gives_up_quietly() -> None:
    assert parse_date("2022-01-05") == date(2022, 1, 5)
    assert parse_date("2022-01-05T23:10:00Z") == date(2022, 1, 5)
    assert parse_date(datetime(2020, 2, 29, 8)) == date(2020, 2, 29)
    assert parse_date("yesterday-ish") is None and parse_date(None) is None and parse_date("") is None


def test_checked_date_refuses_what_is_given_but_is_no_date() -> None:
    assert checked_date(" 2022-01-05 ", "published") == "2022-01-05"
    assert checked_date(date(2021, 3, 1), "published") == "2021-03-01"
    assert checked_date(None, "published") is None and checked_date("", "published") is None
    for bad in ("notadate", "2022-13-01", float("nan"), 2022, True, ["2022-01-05"]):
        with pytest.raises(InputError, match="^published: .* is not a date"):
            checked_date(bad, "published")


def test_publication_order_honours_times_and_time_zones():
    from spintrace.dates import published_order, published_sort_key, published_text

    # 01:00 in Tokyo on the 11th is 16:00 UTC on the 10th, before 20:00 in New York on the 10th
    assert published_order("2005-02-11T01:00+09:00", "2005-02-10T20:00-05:00") == -1
    assert published_order("2005-03-01T07:00Z", "2005-03-01T09:00:00+00:00") == -1
    assert published_order("2005-03-01", "2005-03-01T07:00Z") == 0  # a date alone: the same day tells nothing
    assert published_order("2005-03-01", "2005-03-02T12:30+05:00") == -1
    assert published_order("2005-03-01", "2005-03-02T00:30+05:00") == 0  # 19:30 UTC on the 1st: a zoned time's UTC date
    # a review's case: local dates beside UTC instants made the order cyclic (a < b < c < a)
    a, b, c = "2005-03-01T23:59-12:00", "2005-03-02", "2005-03-03T00:00+14:00"
    assert (published_order(a, b), published_order(b, c), published_order(c, a)) == (0, 0, -1)  # c is 10:00 UTC on the 2nd, a 11:59
    # a time without a zone beside a zoned one could be 14 hours off: compared by date only
    assert published_order("2005-03-01T07:00", "2005-03-01T09:00Z") == 0
    assert published_order("2005-03-01T07:00", "2005-03-01T09:00") == -1
    # midnight with no zone is a date written as a timestamp (a Parquet date column)
    assert published_order("2005-03-01T00:00:00", "2005-03-01T09:00Z") == 0
    assert published_order(datetime(2005, 3, 1), "2005-03-01T09:00") == 0
    assert published_order(None, "2005-03-01") == 0 and published_order("soon", "2005-03-01") == 0
    stamps = ["2005-01-11T09:00:00+09:00", None, "2005-01-10T20:00:00-05:00", "2005-01-09"]
    assert sorted(stamps, key=published_sort_key) == ["2005-01-09", "2005-01-11T09:00:00+09:00",
                                                     "2005-01-10T20:00:00-05:00", None]
    assert published_text("2005-02-11T01:00+09:00") == "2005-02-10 16:00 UTC"
    assert published_text("2005-02-11") == "2005-02-11"
