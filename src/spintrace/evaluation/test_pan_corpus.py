"""PAN corpus reading and detection XML: round trips on made-up pairs, and the shared sample
read end to end, where an oracle that echoes the truth must score a perfect plagdet."""

from __future__ import annotations

from pathlib import Path

import pytest

from spintrace.evaluation.pan import evaluate_pan, evaluate_pan_detections, spans_to_detections
from spintrace.evaluation.pan_corpus import (
    PanFormatError,
    PanPair,
    iter_pairs,
    read_detection_dir,
    read_detections,
    read_truth,
    write_detections,
)
from spintrace.evaluation.pan_measures import Case, Detection

SAMPLE = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "pan-no-obfuscation-sample"

SUSP = "suspicious-document00001.txt"
SRC = "source-document00002.txt"


def _pair(susp_text: str = "x" * 1000, src_text: str = "y" * 1000, cases: tuple[Case, ...] = ()) -> PanPair:
    return PanPair(SUSP, SRC, susp_text, src_text, cases)


def _write_corpus(root: Path, susp_text: str, src_text: str, truth_xml: str) -> Path:
    (root / "susp").mkdir(parents=True)
    (root / "src").mkdir()
    (root / "truth").mkdir()
    (root / "pairs").write_text(f"{SUSP} {SRC}\n", encoding="utf-8")
    (root / "susp" / SUSP).write_bytes(susp_text.encode("utf-8"))
    (root / "src" / SRC).write_bytes(src_text.encode("utf-8"))
    (root / "truth" / "suspicious-document00001-source-document00002.xml").write_text(truth_xml, encoding="utf-8")
    return root


def test_detection_xml_round_trip(tmp_path: Path) -> None:
    pair = _pair()
    dets = [
        Detection(10, 20, 30, 40, SUSP, SRC),
        Detection(0, 5, 900, 100, SUSP, SRC),
    ]
    path = write_detections(tmp_path, pair, dets)
    assert path.name == "suspicious-document00001-source-document00002.xml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f'<document reference="{SUSP}">')
    assert 'name="detected-plagiarism"' in text
    assert read_detections(path) == dets
    assert read_detection_dir(tmp_path) == dets


def test_empty_detections_still_write_a_file(tmp_path: Path) -> None:
    path = write_detections(tmp_path, _pair(), [])
    assert path.exists()
    assert read_detections(path) == []


def test_malformed_xml_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "suspicious-document00001-source-document00002.xml"
    bad.write_text('<document reference="x.txt"><feature name="detected-plagiarism"', encoding="utf-8")
    with pytest.raises(PanFormatError) as err:
        read_detections(bad)
    assert bad.name in str(err.value)
    assert err.value.path == bad


def test_missing_and_non_integer_attributes_are_format_errors(tmp_path: Path) -> None:
    f = tmp_path / "t.xml"
    f.write_text(
        '<document reference="s.txt"><feature name="plagiarism" this_offset="1" this_length="2" '
        'source_reference="r.txt" source_offset="3"/></document>',
        encoding="utf-8",
    )
    with pytest.raises(PanFormatError, match="source_length"):
        read_truth(f)
    f.write_text(
        '<document reference="s.txt"><feature name="plagiarism" this_offset="a" this_length="2" '
        'source_reference="r.txt" source_offset="3" source_length="4"/></document>',
        encoding="utf-8",
    )
    with pytest.raises(PanFormatError, match="this_offset"):
        read_truth(f)


def test_corpus_offsets_count_characters_not_bytes_or_translated_newlines(tmp_path: Path) -> None:
    # "é" is two UTF-8 bytes and "\r\n" two characters: the copied passage starts at character 5
    # of the suspicious text ("ab\r\né" = a, b, \r, \n, é) and must be found there.
    susp = "ab\r\né" + "COPIED PASSAGE" + " tail"
    src = "ü COPIED PASSAGE"
    truth = (
        f'<document reference="{SUSP}">\n<feature name="plagiarism" obfuscation="none" '
        f'source_reference="{SRC}" source_offset="2" source_length="14" this_offset="5" this_length="14"/>\n'
        "<feature name=\"about\" authors=\"someone\"/>\n</document>"
    )
    root = _write_corpus(tmp_path / "corpus", susp, src, truth)
    (pair,) = list(iter_pairs(root))
    (c,) = pair.cases
    assert pair.suspicious_text[c.this_offset : c.this_offset + c.this_length] == "COPIED PASSAGE"
    assert pair.source_text[c.source_offset : c.source_offset + c.source_length] == "COPIED PASSAGE"
    assert c.obfuscation == "none"

    # A detector finding exactly that passage scores perfectly; one finding nothing scores 0.
    def exact(s: str, r: str) -> list[tuple[int, int, int, int]]:
        i, j = s.index("COPIED"), r.index("COPIED")
        return [(i, i + 14, j, j + 14)]

    report = evaluate_pan(root, exact, out_dir=tmp_path / "out")
    assert report.overall.plagdet == 1.0
    assert report.by_obfuscation["none"].cases == 1
    assert evaluate_pan_detections(root, tmp_path / "out").overall.plagdet == 1.0
    assert evaluate_pan(root, lambda s, r: []).overall.plagdet == 0.0


def test_a_repaired_truth_folder_is_read_when_named(tmp_path: Path) -> None:
    susp, src = "xx COPIED PASSAGE yy", "COPIED PASSAGE"
    shifted = (f'<document reference="{SUSP}"><feature name="plagiarism" obfuscation="none" source_reference="{SRC}" '
               'source_offset="0" source_length="14" this_offset="0" this_length="14"/></document>')
    root = _write_corpus(tmp_path / "corpus", susp, src, shifted)
    (root / "truth-relocated").mkdir()
    for f in (root / "truth").iterdir():
        (root / "truth-relocated" / f.name).write_text(f.read_text(encoding="utf-8").replace('this_offset="0"', 'this_offset="3"'),
                                                       encoding="utf-8")

    def exact(s: str, r: str) -> list[tuple[int, int, int, int]]:
        return [(s.index("COPIED"), s.index("COPIED") + 14, 0, 14)]

    (pair,) = list(iter_pairs(root, "truth-relocated"))
    assert pair.cases[0].this_offset == 3
    assert evaluate_pan(root, exact, truth="truth-relocated").overall.plagdet == 1.0
    assert evaluate_pan(root, exact).overall.plagdet < 1.0


def test_missing_truth_file_is_a_format_error(tmp_path: Path) -> None:
    root = _write_corpus(tmp_path / "c", "abc", "abc", '<document reference="x"/>')
    (root / "truth" / "suspicious-document00001-source-document00002.xml").unlink()
    with pytest.raises(PanFormatError, match="missing"):
        list(iter_pairs(root))


def test_out_of_range_detector_spans_are_refused() -> None:
    pair = _pair(susp_text="a" * 10, src_text="b" * 10)
    with pytest.raises(ValueError):
        spans_to_detections(pair, [(0, 11, 0, 5)])
    with pytest.raises(ValueError):
        spans_to_detections(pair, [(5, 4, 0, 5)])
    # Empty on both sides carries no characters: dropped, not scored.
    assert spans_to_detections(pair, [(3, 3, 4, 4)]) == []
    assert spans_to_detections(pair, [(0, 10, 2, 5)]) == [Detection(0, 10, 2, 3, SUSP, SRC)]


def test_report_renders(tmp_path: Path) -> None:
    root = _write_corpus(
        tmp_path / "c",
        "0123456789",
        "0123456789",
        f'<document reference="{SUSP}"><feature name="plagiarism" obfuscation="random" source_reference="{SRC}" '
        'source_offset="0" source_length="10" this_offset="0" this_length="10"/></document>',
    )
    report = evaluate_pan(root, lambda s, r: [(0, 5, 0, 5)])
    # Half the case detected: recall 0.5, precision 1, plagdet 2/3.
    assert report.overall.recall == pytest.approx(0.5)
    assert report.overall.plagdet == pytest.approx(2 / 3)
    md = report.to_markdown()
    assert "obfuscation=random" in md and "| 0.6667 |" in md
    d = report.to_dict()
    assert d["pairs"] == 1 and d["by_obfuscation"]["random"]["cases"] == 1


def _require_sample() -> Path:
    if not (SAMPLE / "pairs").exists():
        pytest.skip(f"shared PAN sample not present at {SAMPLE}")
    return SAMPLE


@pytest.mark.shared_data
def test_shared_sample_reads() -> None:
    pairs = list(iter_pairs(_require_sample()))
    assert len(pairs) == 100
    cases = [c for p in pairs for c in p.cases]
    assert len(cases) == 124
    assert {c.obfuscation for c in cases} == {"none"}
    for p in pairs:
        assert p.suspicious_text and p.source_text
        assert all(c.suspicious_reference == p.suspicious_reference for c in p.cases)
        assert all(c.source_reference == p.source_reference for c in p.cases)


@pytest.mark.shared_data
def test_oracle_detector_scores_perfectly_on_the_shared_sample(tmp_path: Path) -> None:
    root = _require_sample()
    truth = {
        (p.suspicious_text, p.source_text): [
            (c.this_offset, c.this_offset + c.this_length, c.source_offset, c.source_offset + c.source_length)
            for c in p.cases
        ]
        for p in iter_pairs(root)
    }

    def oracle(susp: str, src: str) -> list[tuple[int, int, int, int]]:
        return truth[(susp, src)]

    out = tmp_path / "detections"
    report = evaluate_pan(root, oracle, out_dir=out)
    for scores in (report.overall, report.by_obfuscation["none"], report.overall_micro):
        assert (scores.precision, scores.recall, scores.granularity, scores.plagdet) == (1.0, 1.0, 1.0, 1.0)
    assert report.overall.cases == 124 and report.by_obfuscation["none"].cases == 124
    assert len(list(out.glob("*.xml"))) == 100
    # The written XML re-scores identically, so runs can be archived and checked later.
    assert evaluate_pan_detections(root, out).overall.plagdet == 1.0
