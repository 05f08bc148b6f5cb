"""Reading PAN text-alignment corpora and reading/writing PAN detection XML.

Layout (PAN 2013-2015 text alignment)::

    corpus/pairs                 "suspicious-documentNNNNN.txt source-documentNNNNN.txt" a line
    corpus/susp/*.txt            suspicious documents
    corpus/src/*.txt             source documents
    corpus/truth/<susp-stem>-<src-stem>.xml
        <document reference="suspicious-...txt">
          <feature name="plagiarism" this_offset=.. this_length=.. source_reference=..
                   source_offset=.. source_length=.. obfuscation=.. />
        </document>

Offsets are character offsets into the text decoded as UTF-8. Texts are therefore read with
``newline=""``: Python's default newline translation would silently turn ``\\r\\n`` into one
character and shift every later offset. Nothing else is normalised either (a BOM stays a
character) because the truth counts whatever characters the file holds.

Problems with the files raise :class:`PanFormatError` naming the file, because a corpus that
half-loads would give scores that look plausible and are wrong.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from spintrace.errors import SpintraceError
from spintrace.evaluation.pan_measures import Case, Detection

__all__ = [
    "DETECTION_FEATURE",
    "TRUTH_FEATURE",
    "PanFormatError",
    "PanPair",
    "iter_pairs",
    "pair_file_name",
    "read_detection_dir",
    "read_detections",
    "read_pairs",
    "read_truth",
    "write_detections",
]

TRUTH_FEATURE = "plagiarism"
DETECTION_FEATURE = "detected-plagiarism"


class PanFormatError(SpintraceError):
    """A PAN corpus or detection file that cannot be read as the format requires."""

    def __init__(self, path: str | Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = Path(path)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class PanPair:
    """One suspicious/source document pair with its texts and ground-truth cases."""

    suspicious_reference: str
    source_reference: str
    suspicious_text: str
    source_text: str
    cases: tuple[Case, ...]

    @property
    def file_name(self) -> str:
        """The name PAN gives this pair's truth and detection files."""
        return pair_file_name(self.suspicious_reference, self.source_reference)


def pair_file_name(suspicious_reference: str, source_reference: str) -> str:
    """``suspicious-document00001.txt`` + ``source-document00002.txt`` ->
    ``suspicious-document00001-source-document00002.xml``."""
    return f"{Path(suspicious_reference).stem}-{Path(source_reference).stem}.xml"


def _read_text(path: Path) -> str:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return fh.read()
    except FileNotFoundError:
        raise PanFormatError(path, "file listed in the corpus is missing") from None
    except UnicodeDecodeError as exc:
        raise PanFormatError(path, f"not valid UTF-8 ({exc.reason} at byte {exc.start})") from None


def read_pairs(corpus_dir: str | Path) -> list[tuple[str, str]]:
    """The (suspicious, source) file names of the ``pairs`` file, in file order."""
    path = Path(corpus_dir) / "pairs"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (FileNotFoundError, NotADirectoryError):
        raise PanFormatError(path, "no 'pairs' file: not a PAN text-alignment corpus") from None
    except IsADirectoryError:
        raise PanFormatError(path, "is a folder; a PAN corpus's 'pairs' is a file") from None
    except UnicodeDecodeError as exc:
        raise PanFormatError(path, f"not valid UTF-8 ({exc.reason})") from None
    pairs: list[tuple[str, str]] = []
    for lineno, line in enumerate(lines, 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 2:
            raise PanFormatError(path, f"line {lineno}: expected 'suspicious.txt source.txt', got {line!r}")
        pairs.append((fields[0], fields[1]))
    return pairs


def _parse_document(path: Path) -> ET.Element:
    try:
        root = ET.parse(path).getroot()
    except FileNotFoundError:
        raise PanFormatError(path, "file is missing") from None
    except ET.ParseError as exc:
        raise PanFormatError(path, f"malformed XML ({exc})") from None
    if root.tag != "document":
        raise PanFormatError(path, f"root element is <{root.tag}>, expected <document>")
    if not root.get("reference"):
        raise PanFormatError(path, "<document> has no 'reference' attribute")
    return root


def _int_attr(path: Path, feature: ET.Element, name: str) -> int:
    raw = feature.get(name)
    if raw is None:
        raise PanFormatError(path, f"<feature name={feature.get('name')!r}> lacks attribute {name!r}")
    try:
        return int(raw)
    except ValueError:
        raise PanFormatError(path, f"attribute {name}={raw!r} is not an integer") from None


def _features(path: Path, feature_name: str) -> tuple[str, list[tuple[ET.Element, int, int, int, int, str]]]:
    root = _parse_document(path)
    reference = root.get("reference", "")
    out = []
    for feature in root.iter("feature"):
        if feature.get("name") != feature_name:
            continue  # PAN files may carry other features (e.g. about the document); not ours
        this_offset = _int_attr(path, feature, "this_offset")
        this_length = _int_attr(path, feature, "this_length")
        source_offset = _int_attr(path, feature, "source_offset")
        source_length = _int_attr(path, feature, "source_length")
        source_reference = feature.get("source_reference")
        if not source_reference:
            raise PanFormatError(path, f"<feature name={feature_name!r}> lacks attribute 'source_reference'")
        out.append((feature, this_offset, this_length, source_offset, source_length, source_reference))
    return reference, out


def read_truth(path: str | Path) -> list[Case]:
    """The ``plagiarism`` features of one truth file as cases."""
    path = Path(path)
    reference, features = _features(path, TRUTH_FEATURE)
    try:
        return [
            Case(t_off, t_len, s_off, s_len, reference, s_ref, feature.get("obfuscation"))
            for feature, t_off, t_len, s_off, s_len, s_ref in features
        ]
    except (ValueError, TypeError) as exc:
        raise PanFormatError(path, str(exc)) from None


def read_detections(path: str | Path) -> list[Detection]:
    """The ``detected-plagiarism`` features of one detection file."""
    path = Path(path)
    reference, features = _features(path, DETECTION_FEATURE)
    try:
        return [
            Detection(t_off, t_len, s_off, s_len, reference, s_ref)
            for _, t_off, t_len, s_off, s_len, s_ref in features
        ]
    except (ValueError, TypeError) as exc:
        raise PanFormatError(path, str(exc)) from None


def read_detection_dir(detections_dir: str | Path) -> list[Detection]:
    """All detections in ``*.xml`` directly below ``detections_dir`` and one level deeper, the
    files the official scorer reads, so results written by other PAN systems score the same."""
    root = Path(detections_dir)
    if not root.is_dir():
        raise PanFormatError(root, "detections directory does not exist")
    files = sorted(root.glob("*.xml")) + sorted(root.glob("*/*.xml"))
    out: list[Detection] = []
    for f in files:
        out.extend(read_detections(f))
    return out


def iter_pairs(corpus_dir: str | Path, truth: str = "truth") -> Iterator[PanPair]:
    """The corpus's pairs in ``pairs`` order, each with both texts and its truth cases (read from
    the ``truth`` folder of the corpus, e.g. ``truth-relocated`` where a repaired copy ships).

    A pair without a truth file is an error, not an empty truth: PAN ships a (possibly empty)
    truth file for every pair, so a missing one means a broken copy of the corpus.
    """
    root = Path(corpus_dir)
    for susp_name, src_name in read_pairs(root):
        truth_path = root / truth / pair_file_name(susp_name, src_name)
        cases = read_truth(truth_path)
        for case in cases:
            if case.suspicious_reference != susp_name:
                raise PanFormatError(
                    truth_path, f"document reference {case.suspicious_reference!r} is not the pair's {susp_name!r}"
                )
        yield PanPair(
            suspicious_reference=susp_name,
            source_reference=src_name,
            suspicious_text=_read_text(root / "susp" / susp_name),
            source_text=_read_text(root / "src" / src_name),
            cases=tuple(cases),
        )


def write_detections(out_dir: str | Path, pair: PanPair, detections: Iterable[Detection]) -> Path:
    """Write one pair's detections as PAN detection XML (named like its truth file).

    The file is written even when there are no detections, as PAN systems do, so an empty
    result is distinguishable from a pair that was never processed.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    root = ET.Element("document", {"reference": pair.suspicious_reference})
    root.text = "\n"
    for det in detections:
        if det.suspicious_reference and det.suspicious_reference != pair.suspicious_reference:
            raise ValueError(
                f"detection for {det.suspicious_reference!r} cannot be written to pair {pair.file_name!r}"
            )
        feature = ET.SubElement(
            root,
            "feature",
            {
                "name": DETECTION_FEATURE,
                "this_offset": str(det.this_offset),
                "this_length": str(det.this_length),
                "source_reference": det.source_reference or pair.source_reference,
                "source_offset": str(det.source_offset),
                "source_length": str(det.source_length),
            },
        )
        feature.tail = "\n"
    path = out / pair.file_name
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=False)
    return path
