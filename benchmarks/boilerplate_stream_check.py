"""Which scan decisions leaving out site templates changes (``ingest.boilerplate``), pair by pair.

    python benchmarks/boilerplate_stream_check.py STREAM.jsonl WORK/candidates.npz

Every candidate pair (from an earlier scan's ``work/candidates.npz`` of the same corpus) that
involves a document with template sentences is aligned twice, on the original texts and on the
blanked ones, and each pair whose outcome differs is printed as ``DIFF a b before after``.
"""
import sys

import numpy as np

from spintrace.engines.stages import AnalysisCache, ScanOptions, align_pair, read_corpus

corpus, candidates = sys.argv[1], sys.argv[2]
plain = read_corpus([corpus], site_boilerplate=False).documents
blank = read_corpus([corpus], site_boilerplate=True).documents
changed = {d.index for d, b in zip(plain, blank) if d.text != b.text}
print("blanked documents", len(changed))
c = np.load(candidates)
pairs = [(int(i), int(j)) for i, j in zip(c["left"], c["right"]) if int(i) in changed or int(j) in changed]
print("candidate pairs touching them", len(pairs))
opts = ScanOptions()
ca, cb = AnalysisCache(), AnalysisCache()
diff = same = 0
for i, j in pairs:
    a = align_pair(plain[i], plain[j], opts, ca)
    b = align_pair(blank[i], blank[j], opts, cb)
    ka = None if a is None else (a[0].source_id, a[0].suspect_id, a[0].verdict)
    kb = None if b is None else (b[0].source_id, b[0].suspect_id, b[0].verdict)
    if ka != kb:
        diff += 1
        print("DIFF", plain[i].id, plain[j].id, ka, kb, flush=True)
    else:
        same += 1
print("same", same, "different", diff)
