"""Untrusted JSON lines: every way ``json.loads`` fails or lets through unusable text becomes a
one-line ``MalformedJson``."""

from __future__ import annotations

import json

import pytest

from spintrace.ingest.json_lines import MalformedJson, loads_untrusted


def test_a_good_line_and_a_paired_surrogate_escape_decode() -> None:
    assert loads_untrusted('{"id": "a", "text": "caf\\u00e9 \\ud83d\\ude00"}') == {"id": "a", "text": "café 😀"}


@pytest.mark.parametrize("line, reason", [
    ("[" * 100_000, "nested too deeply"),
    ('{"id": "a", "text": "half \\ud800 a pair"}', "unpaired"),
    ('{"id": "\\udfff", "text": "fine"}', "unpaired"),
    ('{"\\ud83d": "a key"}', "unpaired"),
    ('{"id": "a", "text": "cut off here\n', "ends inside a string"),
    ('{"id": "a", "text": ', "Expecting value at column"),
    ('{"id": "a", "text": "fine", "n": ' + "9" * 5000 + "}", "thousands of digits"),
])
def test_bad_lines_get_one_line_reasons(line: str, reason: str) -> None:
    with pytest.raises(MalformedJson) as caught:
        loads_untrusted(line)
    message = str(caught.value)
    assert reason in message
    assert "\n" not in message and " at at " not in message


def test_nan_and_ordinary_values_pass_through_as_json_reads_them() -> None:
    # Checking what a field may hold is the reader's job (a NaN date is refused there).
    value = loads_untrusted('{"published": NaN, "n": [1, 2]}')
    assert json.dumps(value["n"]) == "[1, 2]" and value["published"] != value["published"]
