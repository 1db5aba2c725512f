"""Peak memory and time of reading a big CSV file (issue 25 #9).

    python -m tests.benchmarks.csv_load [--rows 1000000] [--columns 10] [--file PATH]

Writes a CSV of ``--rows`` rows of ``--columns`` columns (normal features with six decimals, a
0/1 label; 4M x 10 is 350 MB) unless ``--file`` names one, then loads it with
``engine.datasets.load`` in a fresh interpreter and reports that process's peak resident memory
(``ru_maxrss``), its ratio to the file's size, and the seconds the load took. The list-of-
strings reader peaked at about 15x the file (5.4 GB for 350 MB); the chunked one at about
3-5x, all of it the float table and its split, standardised copies.

The same script runs against an older checkout (``PYTHONPATH=that/checkout``) for a
before/after pair: it needs only ``datasets.load``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

LOAD = ("import sys, time; from engine import datasets; t = time.perf_counter(); "
        "d = datasets.load('csv:' + sys.argv[1]); "
        "print(time.perf_counter() - t, len(d.x_train) + len(d.x_val))")


def write_csv(path, rows, columns):
    rng = np.random.default_rng(0)
    with open(path, "w") as handle:
        handle.write(",".join([f"f{i}" for i in range(columns - 1)] + ["label"]) + "\n")
        for start in range(0, rows, 100_000):
            x = rng.normal(size=(min(100_000, rows - start), columns - 1))
            np.savetxt(handle, np.column_stack([x, x[:, 0] > 0]),
                       fmt=["%.6f"] * (columns - 1) + ["%d"], delimiter=",")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--columns", type=int, default=10)
    parser.add_argument("--file", help="an existing CSV file to load instead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="losslab-csv-load-") as folder:
        path = args.file or os.path.join(folder, "rows.csv")
        if not args.file:
            write_csv(path, args.rows, args.columns)
        size = os.path.getsize(path)
        began = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", LOAD, path], capture_output=True,
                              text=True, check=True)
        wall = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # kB on Linux
    seconds, rows = done.stdout.split()
    print(f"file {size / 2**20:.0f} MB, {int(rows):,} rows: peak memory {peak / 2**20:.0f} MB "
          f"({peak / size:.1f}x the file), load {float(seconds):.1f} s "
          f"(process {wall:.1f} s)")


if __name__ == "__main__":
    main()
