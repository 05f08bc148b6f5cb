"""Real-page evaluation: the doc/pair format, copy kinds, and figures by label, kind and event."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spintrace.errors import InputError
from spintrace.evaluation.baselines import Detection
from spintrace.evaluation.real_pages import copy_kind, is_real_pages_file, read_real_pairs, real_pages_markdown, score_real_pairs
from spintrace.evaluation.suite import markdown_table


def _write(tmp_path: Path) -> Path:
    lines = [
        {"type": "doc", "id": "quake/1", "event": "quake", "site": "a", "text": "Wire text one."},
        {"type": "doc", "id": "quake/2", "event": "quake", "site": "b", "text": "Wire text one, edited."},
        {"type": "doc", "id": "quake/3", "event": "quake", "site": "c", "text": "Own report."},
        {"type": "doc", "id": "vote/1", "event": "vote", "site": "a", "text": "Vote story."},
        {"type": "doc", "id": "vote/2", "event": "vote", "site": "d", "text": "Vote story spun."},
        {"type": "pair", "a": "quake/1", "b": "quake/2", "label": "copy", "evidence": "lightly edited: same lead"},
        {"type": "pair", "a": "quake/1", "b": "quake/3", "label": "independent", "evidence": "own words"},
        {"type": "pair", "a": "quake/2", "b": "quake/3", "label": "unsure", "evidence": "?"},
        {"type": "pair", "a": "vote/1", "b": "vote/2", "label": "copy", "evidence": "Spun/reworded copy"},
        {"type": "pair", "a": "vote/1", "b": "quake/3", "label": "unrelated-same-topic", "evidence": ""},
        {"type": "pair", "a": "vote/1", "b": "nowhere/9", "label": "copy", "evidence": ""},
    ]
    path = tmp_path / "real.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def test_reads_labelled_pairs_and_leaves_out_unsure(tmp_path: Path) -> None:
    path = _write(tmp_path)
    assert is_real_pages_file(path)
    warnings: list[str] = []
    pairs = read_real_pairs([path], warnings)
    assert [(p.a, p.b, p.label, p.copy_kind) for p in pairs] == [
        ("quake/1", "quake/2", "copy", "lightly edited"),
        ("quake/1", "quake/3", "independent", ""),
        ("vote/1", "vote/2", "copy", "spun/reworded"),
        ("vote/1", "quake/3", "unrelated-same-topic", ""),
    ]
    assert len(warnings) == 1 and "real.jsonl:11" in warnings[0]
    assert copy_kind("both derived from AP text") == "kind not recorded"


def test_figures_by_label_kind_and_event(tmp_path: Path) -> None:
    pairs = read_real_pairs([_write(tmp_path)])
    # The edited wire copy is found, the spun copy missed, the independent report accused.
    detections = [Detection(True, 0.9), Detection(True, 0.7), Detection(False, 0.2), Detection(False, 0.0)]
    report = score_real_pairs(pairs, detections, "m")
    assert report.by_label == {"copy": (1, 2), "independent": (1, 1), "unrelated-same-topic": (0, 1)}
    assert report.by_kind == {"spun/reworded": (0, 1), "lightly edited": (1, 1)}
    assert report.by_event["quake"] == {"copy": (1, 1), "independent": (1, 1), "unrelated-same-topic": (0, 0)}
    assert report.by_event["vote"]["copy"] == (0, 1)
    text = real_pages_markdown([report], markdown_table)
    assert "| copy | 1/2 (0.500) | >= 0.90 |" in text and "quake" in text
    assert len(report.wrong) == 2


def test_a_file_without_pairs_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text(json.dumps({"type": "doc", "id": "x/1", "text": "t"}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="no labelled pairs"):
        read_real_pairs([path])
