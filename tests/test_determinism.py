"""The same input gives the same IndicatorTable, bit for bit, on any number of threads.

Each run is its own process (Polars reads ``POLARS_MAX_THREADS`` once, at import), and
the runs go side by side so that they load the machine and each other, as builds on a
busy machine do. Floats are compared by their 64 bits, not by value.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SAMPLE = Path(__file__).parents[1] / "sample_data"

# Prints one digest of every column of the IndicatorTable and the population structure:
# floats by their bit patterns (nulls and NaN told apart), everything else by value.
_DIGEST = """
import hashlib, sys
from pathlib import Path
import polars as pl
from datapakke.engine.compute import compute
from datapakke.geography import load_geography
from datapakke.inputs.read import read_extract

geography = load_geography()
results = compute(read_extract(Path(sys.argv[1]), geography), geography)
digest = hashlib.sha256()
for frame in (results.indicators, results.population):
    for column in frame.iter_columns():
        digest.update(column.name.encode())
        digest.update(column.is_null().to_numpy().tobytes())
        if column.dtype.is_float():
            digest.update(column.fill_null(0.0).to_numpy().view("u8").tobytes())
        else:
            digest.update(repr(column.to_list()).encode())
print(pl.thread_pool_size(), digest.hexdigest())
"""


def _start(threads: int | None) -> subprocess.Popen[str]:
    environment = dict(os.environ)
    environment.pop("POLARS_MAX_THREADS", None)
    if threads is not None:
        environment["POLARS_MAX_THREADS"] = str(threads)
    return subprocess.Popen(
        [sys.executable, "-c", _DIGEST, str(SAMPLE)],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_indicator_table_bits_do_not_depend_on_threads_or_load() -> None:
    runs = [_start(threads) for threads in (1, None, None, 4)]
    outputs = []
    for run in runs:
        stdout, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr
        outputs.append(stdout.split())
    thread_counts = [int(threads) for threads, _ in outputs]
    assert thread_counts[0] == 1
    assert thread_counts[3] == 4
    digests = {digest for _, digest in outputs}
    assert len(digests) == 1, outputs
