"""Per-text analysis shared by compare, index and scan: sentences, tokens, weights, embeddings.

Doing this once per text (not once per pair) is what lets search and scan align one suspect
against many candidates cheaply.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from spintrace.normalise import STOPWORDS, Token, tokenize, words_norms_stems
from spintrace.normalise import frequency as wordfreq  # wordfreq's values without its import cost
from spintrace.segment import Segment, segment_sentences

# Weight of a word as evidence of shared wording: rare words ("Tokayev", "CSTO") say far more than
# common ones ("leader"). Zipf 8 is "the"; unknown words (names, typos) get the top weight.
MAX_WEIGHT = 7.0


def frequency_weight(norm: str) -> float:
    """Information weight of any text, from its general English frequency (wordfreq's own
    tokenisation: "isn't" is a common word)."""
    return float(min(MAX_WEIGHT, max(0.5, 7.5 - wordfreq.zipf_frequency(norm, "en"))))


@lru_cache(maxsize=500_000)
def word_weight(norm: str) -> float:
    """Information weight of a folded word, from its general English frequency; a word that is not
    purely alphabetic gets the top weight."""
    return frequency_weight(norm) if norm.isalpha() else MAX_WEIGHT


@lru_cache(maxsize=500_000)
def is_common_word(norm: str) -> bool:
    return wordfreq.zipf_frequency(norm, "en") >= 4.0


@dataclass(slots=True)
class SentenceProfile:
    """What the aligner needs to know about one sentence."""

    segment: Segment
    tokens: list[Token]
    content: dict[str, float]  # stem -> weight, stop words excluded
    total_weight: float


@dataclass(slots=True)
class AnalysedText:
    """A text split into sentence profiles, with sentence embeddings filled in lazily."""

    text: str
    sentences: list[SentenceProfile]
    embeddings: np.ndarray | None = None
    embedded_mask: np.ndarray | None = field(default=None, repr=False)
    # Filled on demand by the cross-language path (spintrace.pipeline.translated): the detected
    # language, and the text seen through language-independent anchors with its own embeddings.
    language: str | None = None
    translation_view: AnalysedText | None = field(default=None, repr=False)
    # ``language_parts``, computed once: compare asks for them on every pair a text is in.
    _language_parts: list[LanguagePart] | None = field(default=None, repr=False)
    # ``lowercase_words``, computed once: changed details ask for them on every link.
    _lowercase_words: frozenset[str] | None = field(default=None, repr=False)
    _flat_tokens: list[Token] | None = field(default=None, repr=False)
    _token_starts: list[int] | None = field(default=None, repr=False)

    def sentence_text(self, i: int) -> str:
        seg = self.sentences[i].segment
        return self.text[seg.start : seg.end]

    @property
    def token_count(self) -> int:
        return sum(len(s.tokens) for s in self.sentences)

    def tokens_between(self, start: int, end: int) -> list[Token]:
        """The tokens inside ``[start, end)``, reusing the analysis instead of tokenising again."""
        if self._flat_tokens is None:
            self._flat_tokens = [tok for s in self.sentences for tok in s.tokens]
            self._token_starts = [tok.start for tok in self._flat_tokens]
        lo = bisect_left(self._token_starts, start)
        hi = bisect_left(self._token_starts, end)
        return [tok for tok in self._flat_tokens[lo:hi] if tok.end <= end]


def _content(words: Iterable[tuple[str, str, bool]]) -> dict[str, float]:
    """Stem -> weight of a sentence's (norm, stem, is_number) words, stop words and single
    letters left out (single digits kept)."""
    content: dict[str, float] = {}
    for norm, stem, is_number in words:
        if norm in STOPWORDS or (len(norm) < 2 and not is_number):
            continue
        content[stem] = max(content.get(stem, 0.0), word_weight(norm))
    return content


def profile_sentence(text: str, segment: Segment) -> SentenceProfile:
    tokens = tokenize(text, segment.start, segment.end)
    content = _content((tok.norm, tok.stem, tok.is_number) for tok in tokens)
    return SentenceProfile(segment, tokens, content, sum(content.values()))


def sentence_contents(text: str) -> list[dict[str, float]]:
    """Each sentence's ``SentenceProfile.content`` (stem -> weight), exactly as ``analyse_text``
    finds it, without the tokens: for reading many candidate texts only to see which of a
    suspect's words they hold (trace's re-ranking)."""
    out = []
    for segment in segment_sentences(text):
        words, norms, stems = words_norms_stems(text, segment.start, segment.end)
        out.append(_content(zip(norms, stems, (word[0].isdigit() for word in words))))
    return out


def text_view(analysed: AnalysedText, sentences: Sequence[int]) -> AnalysedText:
    """``analysed`` restricted to ``sentences``: same offsets, the other text blanked, embeddings kept.

    Judging one part of a text (the part of a suspect a candidate source explains, the part of a
    source a short copy was taken from) asks a different question than judging the whole; a view
    answers it without re-analysing or re-embedding, and every offset it reports is the whole's.
    """
    keep = sorted(sentences)
    chars = [" "] * len(analysed.text)
    for i in keep:
        seg = analysed.sentences[i].segment
        chars[seg.start : seg.end] = analysed.text[seg.start : seg.end]
    view = AnalysedText("".join(chars), [analysed.sentences[i] for i in keep], language=analysed.language)
    if analysed.embeddings is not None and analysed.embedded_mask is not None:
        view.embeddings = analysed.embeddings[keep].copy()
        view.embedded_mask = analysed.embedded_mask[keep].copy()
    return view


def text_language(analysed: AnalysedText) -> str:
    """The language of ``analysed`` (ISO 639-1), detected once and kept on it."""
    if analysed.language is None:
        from spintrace.language import detect_language

        analysed.language = detect_language(analysed.text)
    return analysed.language


def lowercase_words(analysed: AnalysedText) -> frozenset[str]:
    """The words (folded) ``analysed`` writes in lower case somewhere: a capitalised word never
    among them is a proper name ("Smith", "London"), one among them a capital of the sentence or
    of a spinner ("Said")."""
    cached = getattr(analysed, "_lowercase_words", None)  # (texts analysed before the field have none)
    if cached is None:
        cached = frozenset(t.norm for s in analysed.sentences for t in s.tokens if not t.is_capitalised)
        analysed._lowercase_words = cached
    return cached


@dataclass(frozen=True, slots=True)
class LanguagePart:
    """The sentences of a text written in one language (``language_parts``)."""

    language: str
    sentences: tuple[int, ...]


def language_parts(analysed: AnalysedText) -> list[LanguagePart]:
    """``analysed``'s sentences by language: one part for a text in one language (the usual
    case; its language is then detected once for the whole and kept on it, as ``text_language``
    does), one per language for a text mixing English with another (``language.paragraph_languages``:
    an English copy of one article joined to a translation of another). Parts come in the order
    their languages first appear; a part may be several runs of paragraphs."""
    cached = getattr(analysed, "_language_parts", None)  # (texts analysed before the field have none)
    if cached is not None:
        return cached
    analysed._language_parts = parts = _language_parts(analysed)
    return parts


def _language_parts(analysed: AnalysedText) -> list[LanguagePart]:
    from spintrace.language.detect import paragraph_languages

    by_paragraph: dict[int, list[int]] = {}
    for i, sentence in enumerate(analysed.sentences):
        by_paragraph.setdefault(sentence.segment.paragraph, []).append(i)
    paragraphs = list(by_paragraph.values())
    texts = [analysed.text[analysed.sentences[s[0]].segment.start : analysed.sentences[s[-1]].segment.end]
             for s in paragraphs]
    labels = paragraph_languages(texts) if len(paragraphs) > 1 else None
    if labels is None:
        return [LanguagePart(text_language(analysed), tuple(range(len(analysed.sentences))))]
    parts: dict[str, list[int]] = {}
    for label, sentences in zip(labels, paragraphs):
        parts.setdefault(label, []).extend(sentences)
    return [LanguagePart(language, tuple(sentences)) for language, sentences in parts.items()]


def language_view(analysed: AnalysedText, part: LanguagePart) -> AnalysedText:
    """``text_view`` of one language part, labelled with its language: the part is judged on that
    language's path (English, or cross-language) with every offset the whole text's."""
    view = text_view(analysed, part.sentences)
    view.language = part.language
    return view


def analyse_text(text: str) -> AnalysedText:
    """Segment and tokenise ``text``; embeddings are added by ``ensure_embeddings``."""
    return AnalysedText(text, [profile_sentence(text, seg) for seg in segment_sentences(text)])


def ensure_embeddings(analysed: AnalysedText, embed, indices: list[int] | None = None) -> np.ndarray:
    """Embed the sentences not embedded yet (all, or just ``indices``) and return the matrix.

    Rows of sentences never embedded stay zero, which gives cosine 0: long documents only embed
    sentences that lexical evidence makes worth a semantic check.
    """
    embed_missing([(analysed, indices)], embed)
    return analysed.embeddings


def embed_missing(requests: list[tuple[AnalysedText, list[int] | None]], embed) -> None:
    """Embed the missing sentences of several texts, one embedder call per text.

    The int8 model quantises activations per batch, so a sentence's vector shifts slightly with
    the batch it is in; embedding each text on its own keeps a text's vectors independent of what
    it is compared with (compare, search and scan then agree exactly).
    """
    for analysed, indices in requests:
        n = len(analysed.sentences)
        if analysed.embeddings is None:
            analysed.embeddings = np.zeros((n, 384), dtype=np.float32)
            analysed.embedded_mask = np.zeros(n, dtype=bool)
        wanted = range(n) if indices is None else indices
        todo = [i for i in wanted if not analysed.embedded_mask[i]]
        if todo:
            vectors = embed([analysed.sentence_text(i) for i in todo])
            if vectors.shape[1] != analysed.embeddings.shape[1]:
                # The cross-language embedder's vectors are wider than MiniLM's; a text is only
                # ever embedded by one of them (translation views have their own matrix).
                if analysed.embedded_mask.any():
                    raise ValueError("sentences of one text embedded by two different embedders")
                analysed.embeddings = np.zeros((n, vectors.shape[1]), dtype=np.float32)
            analysed.embeddings[todo] = vectors
            analysed.embedded_mask[todo] = True
