"""What perfect detection scores against a PAN truth whose offsets are not exact.

In the shared PAN sample the truth's suspicious offsets do not line up with the texts as stored
(see ``pan_truth_check``). A detector that finds the copied text perfectly is then scored below 1.
This oracle reports, for every case, exactly where its copy sits: the case's source range as
given and the suspicious range the truth check locates. Its PAN scores against the truth as given
are what finding every copy exactly is worth there: the practical ceiling (a detection running
past the copy can score a little higher where it happens to cover the shifted truth, which is
luck, not skill).
"""

from __future__ import annotations

from spintrace.evaluation.pan_corpus import PanPair
from spintrace.evaluation.pan_truth_check import check_truth


def oracle_spans(pair: PanPair) -> list[tuple[int, int, int, int]]:
    """For each case, (susp_start, susp_end, src_start, src_end) of the copy as it really sits."""
    [located] = check_truth([pair]).pairs
    return [
        (c.this_offset, c.this_offset + c.this_length, c.source_offset, c.source_offset + c.source_length)
        for c in located.cases
    ]
