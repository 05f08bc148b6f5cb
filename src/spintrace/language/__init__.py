"""Which language a text is in, and language-independent forms of its names and numbers."""

from spintrace.language.detect import SUPPORTED, detect_language

__all__ = ["SUPPORTED", "detect_language"]
