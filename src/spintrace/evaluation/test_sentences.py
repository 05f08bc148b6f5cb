"""MRPC reading and the threshold/AUC arithmetic, on cases computed by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from spintrace.errors import InputError
from spintrace.evaluation.sentences import accuracy_f1, best_threshold, read_mrpc, roc_auc

HEADER = "\ufeffQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"


def test_roc_auc_hand_cases() -> None:
    assert roc_auc([True, True, False, False], [0.9, 0.8, 0.2, 0.1]) == 1.0
    assert roc_auc([True, True, False, False], [0.1, 0.2, 0.8, 0.9]) == 0.0
    assert roc_auc([True, False], [0.5, 0.5]) == 0.5
    # positives 0.8, 0.4; negatives 0.6, 0.2: pairs (0.8>0.6, 0.8>0.2, 0.4<0.6, 0.4>0.2) -> 3/4
    assert roc_auc([True, False, True, False], [0.8, 0.6, 0.4, 0.2]) == 0.75
    assert np.isnan(roc_auc([True, True], [0.1, 0.2]))


def test_best_threshold_and_accuracy_f1() -> None:
    labels = [False, False, True, False, True, True]
    scores = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]
    threshold = best_threshold(labels, scores)
    # 0.25 and 0.45 both get 5 of 6 right; ties go to the lower threshold
    assert threshold == pytest.approx(0.25)
    accuracy, f1 = accuracy_f1(labels, np.array(scores) >= threshold)
    assert accuracy == pytest.approx(5 / 6)
    assert f1 == pytest.approx(6 / 7)  # precision 3/4, recall 1
    accuracy, f1 = accuracy_f1(labels, np.array(scores) >= 0.45)
    assert (accuracy, f1) == (pytest.approx(5 / 6), pytest.approx(0.8))  # precision 1, recall 2/3


def test_read_mrpc_skips_a_malformed_line_by_name(tmp_path: Path) -> None:
    path = tmp_path / "m.txt"
    rows = [f"{i % 2}\t{i}\t{i + 1}\tSentence {i} a.\tSentence {i} b." for i in range(20)]
    rows.insert(5, "1\t9\tonly three fields")
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    warnings: list[str] = []
    pairs = read_mrpc(path, warnings=warnings)
    assert len(pairs) == 20 and pairs[1].paraphrase and pairs[1].first == "Sentence 1 a."
    assert warnings == [f"{path}:7: skipped, not 5 tab-separated fields with Quality 0 or 1"]
    assert len(read_mrpc(path, limit=3)) == 3


def test_read_mrpc_rejects_other_files(tmp_path: Path) -> None:
    path = tmp_path / "x.txt"
    path.write_text("id,text\n1,hello\n")
    with pytest.raises(InputError, match="header must start with 'Quality'"):
        read_mrpc(path)
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    with pytest.raises(InputError, match="not UTF-8"):
        read_mrpc(path)
    with pytest.raises(InputError, match="cannot read"):
        read_mrpc(tmp_path / "missing.txt")


def test_the_evaluated_matcher_scores_a_sentence_pair_as_compare_does() -> None:
    """`spintrace eval sentences` must report the pair strength `spintrace compare` computes for
    the same two sentences: each embedded in a call of its own (never in a batch with other pairs'
    sentences: the int8 model quantises per batch), with the aligner's clipping and its rule that
    near-identical wording decides."""
    from spintrace.align.aligner import align_sentences
    from spintrace.evaluation.sentences import SentencePair, SentenceScorers
    from spintrace.pipeline.analyse import analyse_text
    from spintrace.pipeline.compare import default_embed

    pairs = [  # MRPC-style pairs (msr_paraphrase_dev.txt), scored in one call
        SentencePair(True, "The company said it expects to report a loss for the third quarter of this year.",
                     "The company said it expected to post a third-quarter loss this year."),
        SentencePair(False, "Shares of the retailer fell 12 percent in early trading on Wall Street on Tuesday.",
                     "The retailer plans to open 40 new stores across the Midwest by the end of next year."),
        SentencePair(True, "Police arrested two men in connection with the robbery late on Friday night.",
                     "Police arrested two men in connection with the robbery late on Friday evening."),
    ]
    evaluated = SentenceScorers().spintrace(pairs)
    embed = default_embed()
    for pair, score in zip(pairs, evaluated):
        source, suspect = analyse_text(pair.first), analyse_text(pair.second)
        assert len(source.sentences) == len(suspect.sentences) == 1
        product = align_sentences(source, suspect, embed).matrices["strength"][0, 0]
        assert score == float(product)
