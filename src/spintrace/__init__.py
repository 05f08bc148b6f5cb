"""spintrace: find reused news text, trace it to its source, and show what changed.

    >>> import spintrace
    >>> result = spintrace.compare(source_text, suspect_text)
    >>> result.verdict, result.score, result.to_dict()["passages"]
"""

from spintrace.comparison import Change, Comparison, Direction, Passage, SentenceLink, Span
from spintrace.errors import CorpusIndexError, InputError, SpintraceError
from spintrace.index import Index
from spintrace.pipeline.compare import compare

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
    "compare",
]
__version__ = "0.1.0"
