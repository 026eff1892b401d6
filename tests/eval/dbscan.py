#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
#
# dbscan.py TRACE WINDOW DIMS: the reference row of `make eval`. Reads a
# hotspan trace (docs/engine.md has the layout), cuts the first heat map's
# events into count windows of WINDOW events, and runs plain DBSCAN from
# scikit-learn on each window's indices (eps 8, min_samples 8, each index
# weighted by its accesses). A cluster's span is its members' bounding box
# and its share the window's accesses inside that span, as hotspan counts
# them. Prints hotspan's -f json window lines, so the same scorer reads
# both.
import struct
import sys

import numpy as np
from sklearn.cluster import DBSCAN


def read_trace(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89HSR\r\n\x1a\n":
        sys.exit("not a hotspan trace")
    version, _flags, nmaps = struct.unpack_from("<HHI", data, 8)
    pos = 16
    for _ in range(nmaps):
        _dims, _zero, n = struct.unpack_from("<BBH", data, pos)
        pos += 4 + n
        if version >= 2:
            pos += 16
    if version >= 2:
        _origin, _wall, nsites = struct.unpack_from("<QQI", data, pos)
        pos += 20
        for _ in range(nsites):
            (n,) = struct.unpack_from("<H", data, pos)
            pos += 2 + n
    pos += 4  # header CRC
    size = 32 if version >= 2 else 24
    rows, cols = [], []
    while pos < len(data):
        kind, m, _zero, count = struct.unpack_from("<BBHI", data, pos)
        pos += 8
        if kind == 1:
            ev = np.frombuffer(data, dtype=np.int64, count=count * size // 8, offset=pos)
            ev = ev.reshape(count, size // 8)
            if m == 0:
                rows.append(ev[:, 1])
                cols.append(ev[:, 2])
            pos += count * size
        elif kind == 2:
            pos += 8
        pos += 4
        if kind == 3:
            break
    return np.concatenate(rows), np.concatenate(cols)


def main():
    path, window, dims = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rows, cols = read_trace(path)
    n = len(cols)
    out = sys.stdout
    for w, start in enumerate(range(0, n, window), 1):
        r, c = rows[start:start + window], cols[start:start + window]
        pts = np.stack([r, c], axis=1) if dims == 2 else c.reshape(-1, 1)
        uniq, counts = np.unique(pts, axis=0, return_counts=True)
        labels = DBSCAN(eps=8, min_samples=8).fit(uniq, sample_weight=counts).labels_
        clusters = []
        for k in sorted(set(labels) - {-1}):
            mem = uniq[labels == k]
            lo, hi = mem.min(axis=0), mem.max(axis=0) + 1
            inside = np.all((pts >= lo) & (pts < hi), axis=1).sum()
            span = ("[%d, %d]" % (lo[0], lo[1]), "[%d, %d]" % (hi[0], hi[1])) if dims == 2 \
                else ("%d" % lo[0], "%d" % hi[0])
            clusters.append('{"id": %d, "lo": %s, "hi": %s, "share": %.6f}'
                            % (k + 1, span[0], span[1], inside / len(c)))
        out.write('{"type": "window", "data": {"map": "@h", "window": %d, "events": %d, '
                  '"lost": 0, "clusters": [%s]}}\n' % (w, len(c), ", ".join(clusters)))


main()
