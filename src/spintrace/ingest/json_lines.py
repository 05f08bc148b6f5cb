"""One JSON value from an untrusted line: a corpus record, a pair to compare, a request body.

``json.loads`` lets four kinds of bad input through as exceptions no caller expects or as text
nothing downstream can store: nesting deep enough to exhaust the recursion limit, ``\\ud800``-style
escapes that decode to lone surrogates (not Unicode: SQLite, the tokenizer and UTF-8 output all
reject them), an integer too long for Python to convert, and a cut-off line whose message ("Invalid control character at") says nothing
about the cut. ``loads_untrusted`` turns each into a ``MalformedJson`` with a one-line reason.
"""

from __future__ import annotations

import json
import re
from typing import Any

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class MalformedJson(ValueError):
    """Why a line is not usable JSON, in one line."""


def loads_untrusted(text: str) -> Any:
    """``json.loads(text)``, or ``MalformedJson`` saying why not."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg.startswith("Invalid control character") and exc.pos >= len(text.rstrip("\r\n")):
            raise MalformedJson("malformed JSON (the line ends inside a string: cut short?)") from None
        raise MalformedJson(f"malformed JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})") from None
    except RecursionError:
        raise MalformedJson("malformed JSON (nested too deeply)") from None
    except ValueError as exc:
        # Python refuses to convert integers past 4,300 digits (a guard against quadratic-time
        # parsing), and says so with a plain ValueError rather than a decode error.
        if "integer string conversion" not in str(exc):
            raise
        raise MalformedJson("malformed JSON (a number with thousands of digits)") from None
    # A paired escape (an emoji) decodes to one character; only a lone half stays a surrogate.
    if _SURROGATE_ESCAPE.search(text) and _holds_surrogate(value):
        raise MalformedJson("a string holds an unpaired \\ud800-\\udfff escape, which is not valid Unicode")
    return value


def _holds_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
