"""Which encoding an HTML page's bytes are in, read the way a browser reads it.

A page saved by a browser or fetched from an older site is often not UTF-8 but declares its
encoding, in the HTTP header or in a ``<meta>`` tag near the top. The HTML standard's order is
followed: a byte-order mark, then the transport layer (the HTTP ``Content-Type``), then the
page's own declaration in its first 1,024 bytes. One exception: bytes that are valid UTF-8 and
not plain ASCII are read as UTF-8 whatever the label says, because pages converted to UTF-8
that kept their old ``<meta charset=iso-8859-1>`` are common, while legacy-encoded text that
happens to be valid UTF-8 is vanishingly rare. Text files declare nothing, so they stay UTF-8.
"""

from __future__ import annotations

import codecs
import re

#: The HTML standard's prescan reads only this far for a ``<meta>`` declaration.
PRESCAN_BYTES = 1024
_META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
# Labels the standard decodes with a superset: pages labelled Latin-1 routinely use windows-1252's
# extra characters (curly quotes, dashes), which strict ISO-8859-1 would turn into control codes,
# and the same holds for the East Asian and Thai labels below.
_SUPERSETS = {
    **dict.fromkeys(("ascii", "us-ascii", "latin1", "latin-1", "l1", "iso-8859-1", "iso8859-1", "iso_8859-1",
                     "cp819", "ibm819", "cp1252", "x-cp1252", "windows-1252"), "cp1252"),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "l5", "windows-1254"), "cp1254"),
    **dict.fromkeys(("gb2312", "gbk", "x-gbk", "gb_2312-80", "chinese"), "gb18030"),
    **dict.fromkeys(("euc-kr", "ks_c_5601-1987", "korean"), "cp949"),
    **dict.fromkeys(("tis-620", "iso-8859-11", "windows-874"), "cp874"),
    **dict.fromkeys(("shift_jis", "shift-jis", "sjis", "ms_kanji", "x-sjis", "windows-31j"), "cp932"),
}


def codec_for_label(label: str, *, from_meta: bool = False) -> str | None:
    """The Python codec for an encoding label (``None`` when Python has no such codec)."""
    label = label.strip().strip("\"'").lower()
    if label in _SUPERSETS:
        return _SUPERSETS[label]
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A page cannot really be UTF-16 when its <meta> tag was readable as ASCII; the standard
    # reads such a declaration as UTF-8. (An HTTP header's UTF-16 is meant.)
    return "utf-8" if from_meta and name.startswith("utf-16") else name


def is_utf8_text(data: bytes) -> bool:
    """Valid UTF-8 holding at least one non-ASCII character (and no NUL, as UTF-16 would)."""
    if data.isascii() or b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def html_codec(data: bytes, content_type: str | None = None) -> tuple[str | None, str | None]:
    """(codec, label) for an HTML page's bytes: the byte-order mark's encoding, ``utf-8`` for
    valid non-ASCII UTF-8, else the codec of the label the header or the page declares (``None``
    when it declares nothing, or a label Python has no codec for)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    if data.startswith(codecs.BOM_UTF8) or is_utf8_text(data):
        return "utf-8", None
    header = _header_label(content_type)
    if header:
        return codec_for_label(header), header
    match = _META_CHARSET.search(data[:PRESCAN_BYTES])
    if not match:
        return None, None
    label = match.group(1).decode("ascii").lower()
    return codec_for_label(label, from_meta=True), label


def _header_label(content_type: str | None) -> str | None:
    if content_type and "charset=" in content_type.lower():
        return content_type.lower().split("charset=", 1)[1].split(";")[0].strip().strip("\"'") or None
    return None
