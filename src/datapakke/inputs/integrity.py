"""Decode user-supplied Parquet files once in a child process before reading them here.

Polars' native Parquet reader can abort the whole process on a damaged data page
(a panic in one of its executor threads that cannot be caught; seen with Polars
2.1 on files with a few bytes changed). Decoding each file first in a child
process turns such a crash into a clear finding, and the main process only ever
reads files that decoded cleanly. The child costs one interpreter start for the
whole extract.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

# Prints "ok <path>" or "error <path>\t<message>" per file. Hashing every column
# forces every page of every column to be decompressed and decoded.
_DECODE = """
import sys
import polars as pl
for path in sys.argv[1:]:
    try:
        pl.scan_parquet(path).select(pl.all().hash().sum()).collect()
    except pl.exceptions.PanicException:
        print("error", path + "\\t" + "a data page is damaged", flush=True)
    except BaseException as error:
        text = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
        print("error", path + "\\t" + text, flush=True)
    else:
        print("ok", path, flush=True)
"""


def undecodable_parquet(paths: Sequence[Path]) -> dict[Path, str]:
    """The files among ``paths`` that cannot be decoded, each with the reason."""
    failures: dict[Path, str] = {}
    remaining = list(paths)
    while remaining:
        child = subprocess.run(
            [sys.executable, "-c", _DECODE, *map(str, remaining)],
            capture_output=True,
            text=True,
            check=False,
        )
        reported = [
            line for line in child.stdout.splitlines() if line.startswith(("ok ", "error "))
        ]
        for line in reported:
            if line.startswith("error "):
                path, _, message = line.removeprefix("error ").partition("\t")
                failures[Path(path)] = message
        if child.returncode == 0 or len(reported) >= len(remaining):
            break
        # The child died on the first file it did not report on.
        crashed = remaining[len(reported)]
        failures[crashed] = "the Parquet reader crashed on a damaged data page"
        remaining = remaining[len(reported) + 1 :]
    return failures
