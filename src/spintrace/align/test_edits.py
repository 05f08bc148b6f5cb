"""Word-level edit scripts: unit cases, the seed pair, and the development set's spun copies checked
against a word alignment computed here, independently (plain difflib on lower-cased words)."""

from __future__ import annotations

import difflib
import json
import re

import pytest

import spintrace
from conftest import shared_path
from spintrace.align.edits import edit_script
from spintrace.normalise import STOPWORDS, tokenize

WORD = re.compile(r"\w+(?:['’\-]\w+)*")


def _script(source: str, suspect: str):
    return edit_script(tokenize(source), tokenize(suspect))


def _ops(source: str, suspect: str) -> list[tuple[str, str, str]]:
    """(op, source words, suspect words) for each edit, for readable assertions."""
    out = []
    for e in _script(source, suspect):
        a = source[e.source_start : e.source_end] if e.source_start is not None else ""
        b = suspect[e.suspect_start : e.suspect_end] if e.suspect_start is not None else ""
        out.append((e.op, a, b))
    return out


def _words_by_edit(text: str, start: int, end: int, edits, side: str) -> list[list[str]]:
    """For each word of text[start:end] (found with this test's own regex), the ops covering it."""
    words = []
    for m in WORD.finditer(text, start, end):
        ops = [
            e.op for e in edits
            if getattr(e, f"{side}_start") is not None
            and getattr(e, f"{side}_start") <= m.start() and m.end() <= getattr(e, f"{side}_end")
        ]
        words.append(ops)
    return words


def assert_covers_exactly(source: str, suspect: str, link) -> None:
    """Each word of both sentences lies in exactly one edit, of an op that has that side."""
    for side, text, start, end, allowed in (
        ("source", source, link.source_start, link.source_end, {"keep", "replace", "move", "delete"}),
        ("suspect", suspect, link.suspect_start, link.suspect_end, {"keep", "replace", "move", "insert"}),
    ):
        for ops in _words_by_edit(text, start, end, link.edits, side):
            assert len(ops) == 1 and ops[0] in allowed, (side, ops)
        for e in link.edits:
            s, t = getattr(e, f"{side}_start"), getattr(e, f"{side}_end")
            if s is not None:
                assert start <= s < t <= end


def test_identical_sentences_are_one_keep():
    text = "The musical will open in Vienna on Saturday, 40 years after the film."
    assert _ops(text, text) == [("keep", text[:-1], text[:-1])]


def test_a_synonym_swap_is_a_replace_and_inflections_are_kept():
    ops = _ops("The embattled leader resigned after protests.", "The troubled leaders resign after protest.")
    assert ops == [
        ("keep", "The", "The"),
        ("replace", "embattled", "troubled"),
        ("keep", "leader resigned after protests", "leaders resign after protest"),
    ]


def test_a_moved_phrase_is_a_move_not_a_delete_and_an_insert():
    ops = _ops("In Vienna, the musical opens on Saturday.", "The musical opens on Saturday in Vienna.")
    assert ("move", "In Vienna", "in Vienna") in ops
    assert not any(op in ("insert", "delete") for op, _, _ in ops)


def test_added_and_dropped_words():
    ops = _ops("Prices rose sharply in March.", "Prices rose in early March, officials said.")
    assert ("delete", "sharply", "") in ops
    assert ("insert", "", "early") in ops
    assert ("insert", "", "officials said") in ops


def test_a_long_reworded_run_pairs_only_the_words_next_to_the_shared_anchor():
    ops = _ops(
        "troops went to Kazakhstan at the request of the country's embattled leader today",
        "troops went to Kazakhstan's troubled leader today",
    )
    assert ("replace", "embattled", "troubled") in ops
    assert ("delete", "at the request of the country's", "") in ops


def test_empty_sides():
    assert _script("", "") == ()
    (only,) = _script("", "New words here")
    assert only.op == "insert" and only.source_start is None


@pytest.fixture(scope="module")
def seed_result(seed_pair):
    return spintrace.compare(*seed_pair)


def test_seed_pair_substitutions(seed_result):
    pairs = {(s.source, s.suspect) for s in seed_result.substitutions}
    assert {("embattled", "troubled"), ("hike", "rise"), ("alliance", "coalition")} <= pairs
    counts = [s.count for s in seed_result.substitutions]
    assert counts == sorted(counts, reverse=True)
    # names and numbers stay in `changes`, never in substitutions
    assert not any(any(ch.isdigit() or ch.isupper() for ch in s.source + s.suspect) for s in seed_result.substitutions)
    assert not any("kassym" in s.source or "tokayev" in s.source for s in seed_result.substitutions)


def test_seed_pair_every_link_is_covered_exactly(seed_pair, seed_result):
    source, suspect = seed_pair
    links = [l for p in seed_result.passages for l in p.links]
    assert links and all(l.edits for l in links)
    for link in links:
        assert_covers_exactly(source, suspect, link)
    data = json.loads(json.dumps(seed_result.to_dict()))
    edit = data["passages"][0]["links"][0]["edits"][0]
    assert set(edit) == {"op", "source_start", "source_end", "suspect_start", "suspect_end"}
    assert data["substitutions"][0].keys() == {"source", "suspect", "count"}


def _spun_pairs():
    articles = {}
    with open(shared_path("bbc-news", "articles.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            articles[row["id"]] = row["text"]
    with open(shared_path("rewrites-dev", "variants.jsonl"), encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [(articles[r["id"]], "\n\n".join(r["paragraphs"])) for r in rows if r["variant"] == "spun"]


def _plain_words(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    return [(m.group().lower().replace("’", "'"), m.start(), m.end()) for m in WORD.finditer(text, start, end)]


@pytest.mark.slow
@pytest.mark.shared_data
def test_spun_copies_against_an_independent_word_alignment():
    """On the 30 development spins: every link is covered exactly; identical sentences are only
    kept; every run of 3+ words the two sentences share in order (plain difflib, no stemming) is
    kept or moved; and no content word is reported removed on one side and added on the other
    (it would be a move)."""
    links = identical = runs_checked = 0
    for source, suspect in _spun_pairs():
        result = spintrace.compare(source, suspect)
        assert result.substitutions, "a spun copy swaps words"
        for p in result.passages:
            for link in p.links:
                links += 1
                assert_covers_exactly(source, suspect, link)
                a = _plain_words(source, link.source_start, link.source_end)
                b = _plain_words(suspect, link.suspect_start, link.suspect_end)
                if [w for w, _, _ in a] == [w for w, _, _ in b]:
                    identical += 1
                    assert {e.op for e in link.edits} == {"keep"}
                matcher = difflib.SequenceMatcher(None, [w for w, _, _ in a], [w for w, _, _ in b], autojunk=False)
                for i, j, n in matcher.get_matching_blocks():
                    if n < 3:
                        continue
                    runs_checked += 1
                    for w, s, e in a[i : i + n]:
                        assert any(ed.op in ("keep", "move") and ed.source_start <= s and e <= ed.source_end
                                   for ed in link.edits if ed.source_start is not None), (w, source[link.source_start:link.source_end])
                removed = {source_word for ed in link.edits if ed.op in ("delete", "replace")
                           for source_word, _, _ in _plain_words(source, ed.source_start, ed.source_end)}
                added = {w for ed in link.edits if ed.op in ("insert", "replace")
                         for w, _, _ in _plain_words(suspect, ed.suspect_start, ed.suspect_end)}
                assert not {w for w in removed & added if w not in STOPWORDS}, (removed & added)
    assert links > 300 and identical > 0 and runs_checked > 300


def test_a_long_verbatim_link_is_scripted_fast_and_exactly():
    """Thousands of words in one link (a verbatim region) take the LCS path, not difflib's."""
    import random

    from spintrace.align.edits import LONG_LINK_PAIRS
    from spintrace.comparison import SentenceLink

    words = [f"w{k % 50}" if k % 3 else "the" for k in range(1500)]
    rng = random.Random(13)
    copy = [w if rng.random() > 0.05 else "swapped" for w in words]
    source, suspect = " ".join(words), " ".join(copy)
    assert len(words) ** 2 > LONG_LINK_PAIRS
    edits = _script(source, suspect)
    link = SentenceLink(0, len(source), 0, len(suspect), 1.0, edits)
    assert_covers_exactly(source, suspect, link)
    kept = sum(len(source[e.source_start : e.source_end].split()) for e in edits if e.op == "keep")
    assert kept >= 0.9 * len(words)


def test_a_respelled_name_in_a_reordered_sentence_replaces_itself() -> None:
    source = '"We were betrayed," said Gary Smith, general secretary of the GMB union.'
    suspect = 'Gary Smyth, the GMB union\'s general secretary, said: "We were betrayed."'
    assert ("replace", "Smith", "Smyth") in _ops(source, suspect)


def test_the_words_beside_a_moved_clause_are_not_each_others_replacement() -> None:
    """The dateline's city sat before "Reuters" in the source and "annually" before it in the
    suspect, only because the credit moved from the sentence's start to its end."""
    source = "LONDON (Reuters) - Thames Water said on Tuesday it would cut jobs to save money a year."
    suspect = "Thames Water said on Tuesday it would cut jobs to save money annually, Reuters reported."
    ops = _ops(source, suspect)
    assert ("delete", "LONDON", "") in ops
    assert not any(op == "replace" and "LONDON" in a for op, a, _ in ops)


def test_british_and_american_spellings_of_a_word_are_kept() -> None:
    source = "Thames Water has been criticised, and its nationalisation is in the centre of the debate."
    suspect = "Thames Water has been criticized, and its nationalization is in the center of the debate."
    assert [op for op, _, _ in _ops(source, suspect)] == ["keep"]
    assert [op for op, _, _ in _ops("four hours", "for hours")] == ["replace", "keep"]


def test_a_copy_with_a_swapped_word_is_near_not_exact() -> None:
    """The kind read from the share of words kept (98%) called a long copy with a swapped word
    exact, beside the reworded word the report marks in it."""
    sentences = [f"The committee met for the {n}th time on Monday and agreed the budget for the harbour works."
                 for n in range(4, 12)]
    source = " ".join(sentences)
    suspect = source.replace("agreed the budget for the harbour works.", "approved the budget for the harbour works.", 1)
    kinds = [p.kind for p in spintrace.compare(source, suspect).passages]
    assert kinds == ["near"]
    assert [p.kind for p in spintrace.compare(source, source).passages] == ["exact"]
