"""What the command line imports at start-up (the lazy imports that keep it fast stay lazy)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
from spintrace.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
sys.stdout.flush()
print("\\n" + json.dumps(sorted(sys.modules)))
"""


def _imported(*args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=300)
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_help_imports_no_heavy_library():
    modules = _imported("--help")
    assert "spintrace.cli.compare_command" in modules
    assert not modules & {"numpy", "scipy", "onnxruntime", "wordfreq", "rich", "rapidfuzz", "pyarrow", "fastapi"}


def test_a_one_shot_compare_does_not_import_wordfreq_its_tokenizer_or_scipy(seed_pair, tmp_path):
    source, suspect = tmp_path / "a.txt", tmp_path / "b.txt"
    source.write_text(seed_pair[0], encoding="utf-8")
    suspect.write_text(seed_pair[1], encoding="utf-8")
    modules = _imported("compare", str(source), str(suspect), "--format", "json", "-o", str(tmp_path / "out.json"))
    assert "spintrace.pipeline.compare" in modules and "numpy" in modules and "onnxruntime" in modules
    assert not modules & {"wordfreq", "ftfy", "langcodes", "regex", "rich", "trafilatura", "pyarrow", "scipy"}
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["verdict"] == "paraphrase"
