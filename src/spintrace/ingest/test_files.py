"""Reading one article: what the one-line errors say about bytes that are not UTF-8 text."""

from __future__ import annotations

import pytest

from spintrace.errors import InputError
from spintrace.ingest.files import decode_article

TEXT = "The council approved the new bridge on Monday after a long debate about its cost."


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_named_as_such(encoding: str) -> None:
    with pytest.raises(InputError, match="UTF-16 text without a byte-order mark; save it as UTF-8"):
        decode_article(TEXT.encode(encoding), "a.txt")


def test_binary_data_is_still_binary_and_utf16_with_a_mark_is_text() -> None:
    with pytest.raises(InputError, match="binary data, not text"):
        decode_article(bytes(range(256)) * 8, "b.bin")
    assert decode_article(TEXT.encode("utf-16"), "c.txt").text == TEXT
