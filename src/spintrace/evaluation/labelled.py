"""Every labelled pair the models are fitted and cross-validated on, with its group.

Groups are what grouped cross-validation keeps apart: a BBC source article (all its variants,
planted copies and its unrelated partner) or a real-page event. ``analysed_cache`` analyses and
embeds each distinct text once and can keep the result on disk, so refitting takes seconds.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from spintrace.evaluation.pairs import CROSS_LANGUAGE_KINDS, EvalPair, build_pairs, read_articles, read_variants
from spintrace.evaluation.pan_measures import Case
from spintrace.evaluation.real_pages import read_real_pairs


@dataclass(frozen=True, slots=True)
class LabelledPair:
    group: str
    kind: str  # rewrites kinds, or "real <label>"
    label: str
    reuse: bool
    source_text: str
    suspect_text: str
    cases: tuple[Case, ...] = ()
    dataset: str = ""


def rewrites_pairs(files: Sequence[str | Path], articles_path: str | Path, dataset: str, seed: int = 0) -> list[LabelledPair]:
    pairs: list[EvalPair] = build_pairs(read_variants(files, [], skip=CROSS_LANGUAGE_KINDS), read_articles(articles_path), seed=seed)
    return [LabelledPair(p.source_id, p.kind, p.label, p.reuse, p.source_text, p.suspect_text, p.cases, dataset) for p in pairs]


def real_page_pairs(files: Sequence[str | Path], dataset: str) -> list[LabelledPair]:
    out = []
    for p in read_real_pairs(files, []):
        kind = f"real {p.label}" + (f" ({p.copy_kind})" if p.copy_kind else "")
        out.append(LabelledPair(f"event:{p.event}", kind, f"{p.a}~{p.b}", p.reuse, p.a_text, p.b_text, (), dataset))
    return out


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class AnalysedCache:
    """Analysed, fully embedded texts by content, optionally persisted to ``path``."""

    def __init__(self, embed, path: str | Path | None = None) -> None:
        from spintrace.align.aligner import DEFAULT_PARAMS, sentences_to_embed

        self._embed = embed
        self._select = lambda a: sentences_to_embed(a, DEFAULT_PARAMS)
        self.path = Path(path) if path else None
        self._items: dict[str, object] = {}
        if self.path and self.path.exists():
            self._items = pickle.loads(self.path.read_bytes())
        self._dirty = False

    def get(self, text: str):
        from spintrace.pipeline.analyse import analyse_text, embed_missing

        key = _key(text)
        item = self._items.get(key)
        if item is None:
            item = analyse_text(text)
            embed_missing([(item, self._select(item))], self._embed)
            self._items[key] = item
            self._dirty = True
        return item

    def warm(self, texts: Iterable[str]) -> None:
        for t in texts:
            self.get(t)
        self.save()

    def save(self) -> None:
        if self.path and self._dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(pickle.dumps(self._items, protocol=pickle.HIGHEST_PROTOCOL))
            self._dirty = False
