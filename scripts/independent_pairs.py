"""Two independent reports of one article compared with each other: how many are called reuse?

    .venv/bin/python scripts/independent_pairs.py

The pairs of ``labelled_sets.independent_pairs`` in both orders (each report as source once),
compared by the released models with the first look alone and with the second look at a part
of the source. Nothing here is fitted: the models never saw this kind of pair.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from labelled_sets import independent_pairs  # noqa: E402
from spintrace.classify.verdict import VerdictRules  # noqa: E402
from spintrace.pipeline.analyse import analyse_text  # noqa: E402
from spintrace.pipeline.compare import compare_analysed  # noqa: E402

FIRST_LOOK_ONLY = VerdictRules(part_min_links=10**6)


def main() -> None:
    total = first = both = 0
    for pair in independent_pairs():
        for source, suspect in ((pair.source_text, pair.suspect_text), (pair.suspect_text, pair.source_text)):
            a, b = analyse_text(source), analyse_text(suspect)
            whole = compare_analysed(a, b, verdict_rules=FIRST_LOOK_ONLY)
            released = compare_analysed(a, b)
            total += 1
            first += whole.reused
            both += released.reused
            if released.reused:
                print(f"  called reuse: {pair.dataset} {pair.group} ({released.verdict}, {released.score:.2f}"
                      f"{', second look' if 'source_part_share' in released.features else ''})", flush=True)
    print(f"{total} ordered pairs of two independent reports: called reuse by the first look alone {first}, "
          f"with the second look {both}")


if __name__ == "__main__":
    main()
