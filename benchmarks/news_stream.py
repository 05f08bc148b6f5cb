"""A synthetic news stream with realistic reuse structure, for the scan scale benchmark.

Real news is many events, each covered by several outlets writing independently, some of whose
reports are then copied, rewritten, spun or condensed by others. This corpus has that structure,
built from the 178 BBC articles that have hand-written variants in the development sets
(eval-data/rewrites-handmade, rewrites-heldout, -heldout2, -heldout3, -heldout4 and
../shared/data/rewrites-dev; never the never-tuned rewrites-heldout5):

* **templates**: per BBC article, its independent reports (the BBC text itself, the hand-written
  `independent` report and `independent2` where written) and its derived texts (`rewrite`,
  `spun` and `summary` of the BBC text, where written).
* **events**: each event takes a template and makes it a different story: every name (a
  capitalised word that is rare in lower case in the BBC corpus) becomes a random BBC name, every
  number a random number of the same length, and half of the other content words (per word type)
  random BBC words drawn by frequency. The substitution is one mapping per event, applied to all
  of the event's reports alike, so what a rewrite shares with its source it still shares, while
  two events from the same template share about a quarter of their ordinary words and none of
  their names (about as alike as two unrelated articles on the same topic).
* **reports per event**: all of the template's independent reports (2-3, never reuse of each
  other), then derived reports until the event has about ``reports`` (mean): the hand-written
  rewrite, spun and summary texts of the BBC report, and wire-style copies of any report of the
  event, including of derived ones (exact copies, edited copies: 20% of paragraphs dropped, an
  intro line added; excerpts: 2-4 paragraphs). Each derived report is published 0-3 days after
  its source, on another site. Optionally (``pasted_share``, off by default so that earlier runs'
  corpora are rebuilt draw for draw), an event's wire-style independent report pastes 2-4 of its
  first report's sentences into itself, verbatim or lightly edited (kind ``pasted``).

Ground truth: ``planted`` lists each derived report with its direct source and kind; recall is
the share of these direct derivations found as pairs. Reports derived from the same independent
report (directly or through a chain) are all reuse of each other; a found pair between reports
with different roots (two independent reports of one event, or different events) is a false pair.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Development data only: the never-tuned set (rewrites-heldout5) stays out of every benchmark corpus.
HANDWRITTEN_FILES = [
    *sorted((ROOT / "eval-data" / "rewrites-handmade").glob("variants-part*.jsonl")),
    *(ROOT / "eval-data" / name / "variants.jsonl" for name in
      ("rewrites-heldout", "rewrites-heldout2", "rewrites-heldout3", "rewrites-heldout4")),
]
TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+")
POSSESSIVE = re.compile(r"^([A-Za-z][A-Za-z'’-]*?[A-Za-z])(['’]s?)$")
STOP = {
    "the", "and", "that", "this", "with", "from", "have", "has", "had", "were", "was", "will", "would", "been", "their",
    "they", "them", "there", "which", "what", "when", "where", "while", "said", "says", "also", "more", "than", "into",
    "about", "after", "before", "over", "some", "such", "only", "could", "should", "other", "being", "these", "those",
}
INDEPENDENT = ("bbc", "independent", "independent2")
# Aggregators' condensed copies (`summary`) are in since session 18, when compare began to call
# summaries reuse; before, they were left out as a kind compare did not catch at any scale.
HANDWRITTEN_DERIVED = ("rewrite", "spun", "summary")


@dataclass(frozen=True, slots=True)
class Template:
    texts: dict[str, str]  # variant -> text ("bbc" is the original)


def load_templates(shared: Path) -> list[Template]:
    bbc = {}
    for line in open(shared / "bbc-news" / "articles.jsonl", encoding="utf-8"):
        a = json.loads(line)
        bbc.setdefault(a["id"], a["text"])
    files = [*HANDWRITTEN_FILES, shared / "rewrites-dev" / "variants.jsonl", shared / "rewrites-dev" / "variants-more.jsonl"]
    by_id: dict[str, dict[str, str]] = {}
    for f in files:
        if not f.exists():
            continue
        for line in open(f, encoding="utf-8"):
            if line.strip():
                v = json.loads(line)
                if v.get("lang", "en") == "en":
                    by_id.setdefault(v["id"], {"bbc": bbc[v["id"]]})[v["variant"]] = "\n\n".join(v["paragraphs"])
    return [Template(texts) for _, texts in sorted(by_id.items())]


class Vocabulary:
    """Names, ordinary words (by frequency) and the name test, from the BBC corpus."""

    def __init__(self, shared: Path) -> None:
        lower: Counter[str] = Counter()
        capital: Counter[str] = Counter()
        for line in open(shared / "bbc-news" / "articles.jsonl", encoding="utf-8"):
            for w in TOKEN.findall(json.loads(line)["text"]):
                if w[0].isdigit():
                    continue
                (capital if w[0].isupper() else lower)[w.lower() if w[0].isupper() else w] += 1
        self.lower = lower
        self.names = sorted(w[:1].upper() + w[1:] for w, n in capital.items() if lower[w] < 2 and len(w) > 3 and w.isalpha())
        common = [(w, n) for w, n in lower.items() if len(w) >= 4 and w.isalpha() and w not in STOP]
        self.words = [w for w, _ in common]
        self.cum_weights = list(itertools.accumulate(n for _, n in common))

    def is_name(self, word: str) -> bool:
        return word[0].isupper() and self.lower[word.lower()] < 2


WORD_SHARE = 0.5


class EventRewriter:
    """One event's substitution: the same mapping for every report of the event."""

    def __init__(self, vocab: Vocabulary, rng: random.Random, word_share: float = 0.5) -> None:
        self.vocab, self.rng, self.word_share = vocab, rng, word_share
        self.mapping: dict[str, str] = {}
        self.pending: list[str] = []

    def _replace(self, token: str) -> str:
        possessive = POSSESSIVE.match(token)
        if possessive:
            # "Blair's" is Blair: mapped apart, a rewrite's "Blair's" would name another person than
            # its source's "Blair", which no real copy does.
            return self._replace(possessive.group(1)) + possessive.group(2)
        if token[0].isdigit():
            key = token
            if key not in self.mapping:
                first = "0" if token[0] == "0" else str(self.rng.randint(1, 9))
                self.mapping[key] = first + "".join(str(self.rng.randint(0, 9)) for _ in token[1:])
            return self.mapping[key]
        if self.vocab.is_name(token):
            key = "N:" + token
            if key not in self.mapping:
                self.mapping[key] = self.rng.choice(self.vocab.names)
            return self.mapping[key]
        low = token.lower()
        if len(low) < 4 or low in STOP or not low.isalpha():
            return token
        key = "W:" + low
        if key not in self.mapping:
            if self.rng.random() < self.word_share:
                self.mapping[key] = self.rng.choices(self.vocab.words, cum_weights=self.vocab.cum_weights)[0]
            else:
                self.mapping[key] = low
        new = self.mapping[key]
        return new[:1].upper() + new[1:] if token[0].isupper() else new

    def __call__(self, text: str) -> str:
        return TOKEN.sub(lambda m: self._replace(m.group()), text)


def _wire_copy(text: str, kind: str, rng: random.Random) -> str:
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if kind == "copy":
        return "\n\n".join(paragraphs)
    if kind == "edited":
        kept = [p for p in paragraphs if rng.random() > 0.2] or paragraphs[:1]
        return "\n\n".join(["Our correspondent reports on the latest developments."] + kept)
    start = rng.randrange(max(1, len(paragraphs) - 2))
    return "\n\n".join(paragraphs[start : start + rng.randint(2, 4)])


QUOTE_MARKS = '"“”'


def _pasted(host: str, source: str, rng: random.Random) -> str | None:
    """``host`` (another outlet's own report) with 2-4 consecutive unquoted sentences of ``source``
    pasted in as a paragraph after its second one, half the time with two ordinary words of each
    dropped and "said" made "says" (a copy desk's light edit); None when no such run exists."""
    from spintrace.segment import segment_sentences

    sentences = [source[s.start:s.end] for s in segment_sentences(source)]
    pastable = [len(x.split()) >= 8 and not any(q in x for q in QUOTE_MARKS) for x in sentences]
    k = rng.randint(2, 4)
    starts = [i for i in range(len(sentences) - k + 1) if all(pastable[i:i + k])]
    if not starts:
        return None
    start = rng.choice(starts)
    edit = rng.random() < 0.5

    def edited(sentence: str) -> str:
        words = sentence.split()
        ordinary = [i for i, w in enumerate(words) if i > 0 and w.islower() and len(w) > 3]
        dropped = set(rng.sample(ordinary, min(2, len(ordinary))))
        return " ".join("says" if w == "said" else w for i, w in enumerate(words) if i not in dropped)

    pasted = " ".join(edited(x) if edit else x for x in sentences[start:start + k])
    paragraphs = [p for p in host.split("\n\n") if p.strip()]
    return "\n\n".join(paragraphs[:2] + [pasted] + paragraphs[2:])


def build_stream(shared: Path, path: Path, size: int, reports: float = 5.0, seed: int = 14,
                 word_share: float = WORD_SHARE, pasted_share: float = 0.0) -> dict:
    """Write ``size`` reports as JSON Lines; return the ground truth (planted derivations, events).

    ``pasted_share``: the share of events whose wire-style independent report (``independent2``)
    instead pastes 2-4 sentences of the event's first report into itself (kind ``pasted``: a
    site's own report with a wire paragraph in it, the commonest reuse on real news pages). At
    0 (the default) the corpus is the one every earlier run used, draw for draw."""
    rng = random.Random(seed)
    templates = load_templates(shared)
    vocab = Vocabulary(shared)
    docs: list[dict] = []
    planted: list[list[str]] = []  # [source id, derived id, kind]
    event_of: dict[str, int] = {}
    template_of_event: list[int] = []
    start = date(2024, 1, 1)
    event = 0
    while len(docs) < size:
        t = event if event < len(templates) else rng.randrange(len(templates))
        template = templates[t]
        template_of_event.append(t)
        rewrite = EventRewriter(vocab, rng, word_share)
        day = start + timedelta(days=rng.randrange(365))
        members: list[dict] = []

        def add(text: str, published: date, kind: str, source: dict | None) -> dict:
            doc = {"id": f"e{event:06d}-{len(members):02d}-{kind}", "published": published.isoformat(),
                   "site": f"site{rng.randrange(300)}.example", "text": text}
            members.append(doc)
            event_of[doc["id"]] = event
            if source is not None:
                planted.append([source["id"], doc["id"], kind])
            return doc

        host = None
        if pasted_share > 0 and "independent2" in template.texts and rng.random() < pasted_share:
            host = template.texts["independent2"]
        independents = [add(rewrite(template.texts[v]), day + timedelta(days=rng.randint(0, 1)), "independent", None)
                        for v in INDEPENDENT if v in template.texts and not (host is not None and v == "independent2")]
        bbc = independents[0]
        if host is not None:
            text = _pasted(rewrite(host), bbc["text"], rng)
            if text is not None:
                add(text, date.fromisoformat(bbc["published"]) + timedelta(days=rng.randint(0, 2)), "pasted", bbc)
        # Mean ``reports`` per event: the derived count is drawn around what the independents leave.
        target = max(len(independents), round(rng.uniform(0.5, 1.5) * reports))
        handwritten = [v for v in HANDWRITTEN_DERIVED if v in template.texts]
        rng.shuffle(handwritten)
        while len(members) < target:
            if handwritten and rng.random() < 0.5:
                kind = handwritten.pop()
                source, text = bbc, rewrite(template.texts[kind])
            else:
                kind = rng.choice(("copy", "edited", "excerpt"))
                source = rng.choice(members)
                text = _wire_copy(source["text"], kind, rng)
            add(text, date.fromisoformat(source["published"]) + timedelta(days=rng.randint(0, 3)), kind, source)
        docs.extend(members)
        event += 1
    docs = docs[:size]
    kept = {d["id"] for d in docs}
    planted = [p for p in planted if p[0] in kept and p[1] in kept]
    rng.shuffle(docs)
    with path.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    return {"planted": planted, "events": len({event_of[i] for i in kept}), "documents": len(docs),
            "reports_per_event": reports, "word_share": word_share, "seed": seed, "pasted_share": pasted_share,
            "template_of_event": template_of_event}


def root_of(truth: dict) -> dict[str, str]:
    """Each derived report -> the independent report its derivation chain starts from."""
    parent = {derived: source for source, derived, _ in truth["planted"]}
    roots = {}
    for derived in parent:
        node = derived
        while node in parent:
            node = parent[node]
        roots[derived] = node
    return roots


def score_pairs(truth: dict, pairs: list[dict]) -> dict:
    """Recall of planted derivations (overall and per kind), precision against related pairs."""
    found = {frozenset((p["source_id"], p["suspect_id"])) for p in pairs}
    roots = root_of(truth)

    def event(doc_id: str) -> str:
        return doc_id.split("-", 1)[0]

    per_kind: dict[str, list[int]] = {}
    for source, derived, kind in truth["planted"]:
        per_kind.setdefault(kind, [0, 0])
        per_kind[kind][1] += 1
        per_kind[kind][0] += frozenset((source, derived)) in found
    hits = sum(v[0] for v in per_kind.values())
    total = sum(v[1] for v in per_kind.values())
    # Reports derived from one independent report (directly or through a chain) all share its
    # text: any pair of them is reuse. Any other pair is false.
    false_pairs = [p for p in found if len({roots.get(i, i) for i in p}) != 1]
    same_event_false = sum(len({event(i) for i in p}) == 1 for p in false_pairs)
    # Two events built on one template are one hand-written text with names, numbers and some
    # words swapped: a pair kind of this corpus, not of a real stream (see the module's docstring).
    template = truth.get("template_of_event") or []
    same_template_false = sum(
        len({event(i) for i in p}) == 2 and len({template[int(event(i)[1:])] for i in p}) == 1
        for p in false_pairs) if template else 0
    realistic_false = len(false_pairs) - same_template_false
    return {
        "recall": hits / max(1, total), "planted": total,
        "per_kind": {k: f"{v[0]}/{v[1]}" for k, v in sorted(per_kind.items())},
        "precision": 1 - len(false_pairs) / max(1, len(found)),
        "false_pairs": len(false_pairs), "false_same_event": same_event_false,
        "false_same_template": same_template_false,
        "precision_without_template_pairs": 1 - realistic_false / max(1, len(found) - same_template_false),
    }


def candidate_recall(truth: dict, index_of: dict[str, int], left, right) -> float:
    """Share of planted derivations that blocking proposed as candidates."""
    by_kind = candidate_recall_by_kind(truth, index_of, left, right)
    return sum(p for p, _ in by_kind.values()) / max(1, sum(n for _, n in by_kind.values()))


def candidate_recall_by_kind(truth: dict, index_of: dict[str, int], left, right) -> dict[str, tuple[int, int]]:
    """Per kind of planted derivation: (proposed by blocking, planted)."""
    cands = {(int(a), int(b)) for a, b in zip(left, right)}
    counts: dict[str, list[int]] = {}
    for source, derived, kind in truth["planted"]:
        i, j = sorted((index_of[source], index_of[derived]))
        count = counts.setdefault(kind, [0, 0])
        count[0] += (i, j) in cands
        count[1] += 1
    return {kind: (p, n) for kind, (p, n) in sorted(counts.items())}
