"""Which encoding an HTML page's bytes are in, read the way a browser reads it.

A page saved by a browser or fetched from an older site is often not UTF-8 but declares its
encoding, in the HTTP header or in a ``<meta>`` tag near the top. The HTML standard's order is
followed: a byte-order mark, then the transport layer (the HTTP ``Content-Type``), then the
page's own declaration in its first 1,024 bytes. Text files declare nothing, so they stay UTF-8.
"""

from __future__ import annotations

import codecs
import re

#: The HTML standard's prescan reads only this far for a ``<meta>`` declaration.
PRESCAN_BYTES = 1024
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
# Labels the standard decodes as windows-1252: pages labelled Latin-1 routinely use its extra
# characters (curly quotes, dashes), which strict ISO-8859-1 would turn into control codes.
_WINDOWS_1252 = frozenset({"ascii", "us-ascii", "latin1", "latin-1", "l1", "iso-8859-1", "iso8859-1",
                           "iso_8859-1", "cp819", "ibm819", "cp1252", "x-cp1252", "windows-1252"})


def codec_for_label(label: str) -> str | None:
    """The Python codec for an encoding label (``None`` when Python has no such codec)."""
    label = label.strip().strip("\"'").lower()
    if label in _WINDOWS_1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page that reached us as bytes cannot really be UTF-16 when its <meta> tag was readable as
    # ASCII; the standard reads such a declaration as UTF-8.
    return "utf-8" if name.startswith("utf-16") else name


def declared_label(data: bytes, content_type: str | None = None) -> str | None:
    """The encoding label the transport header or, failing that, the page itself declares."""
    if content_type and "charset=" in content_type.lower():
        label = content_type.lower().split("charset=", 1)[1].split(";")[0].strip().strip("\"'")
        if label:
            return label
    match = _META_CHARSET.search(data[:PRESCAN_BYTES])
    return match.group(1).decode("ascii").lower() if match else None
