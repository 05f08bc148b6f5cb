"""spintrace: find reused news text, trace it to its source, and show what changed.

    >>> import spintrace
    >>> result = spintrace.compare(source_text, suspect_text)
    >>> result.verdict, result.score, result.to_dict()["passages"]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spintrace.comparison import (
    Change, Comparison, Direction, Passage, SentenceLink, Span, Substitution, WordEdit,
)
from spintrace.errors import CorpusIndexError, InputError, SpintraceError

if TYPE_CHECKING:
    from spintrace.index import Index
    from spintrace.pipeline.compare import compare

# ``compare`` and ``Index`` pull in numpy, scipy, wordfreq and the embedder: import them on first
# use, so ``spintrace --help`` and other light commands start in a fraction of a second.
_LAZY = {"compare": ("spintrace.pipeline.compare", "compare"), "Index": ("spintrace.index", "Index")}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'spintrace' has no attribute {name!r}")


__all__ = [
    "Change",
    "Comparison",
    "CorpusIndexError",
    "Direction",
    "Index",
    "InputError",
    "Passage",
    "SentenceLink",
    "Span",
    "SpintraceError",
    "Substitution",
    "WordEdit",
    "compare",
]
__version__ = "0.1.0"
