"""Helpers shared by the tests: hand-made extracts and CLI invocations (in-process or real)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import polars as pl
from typer.testing import CliRunner, Result

from datapakke.cli import app
from datapakke.cli.app import err, out


def person_rows(
    kommunekode: int, year: int, births: Sequence[tuple[str, dt.date]], prefix: str
) -> list[dict[str, object]]:
    """befolkning rows for persons (sex, birth date) living in one municipality in one year."""
    return [
        {
            "pnr": f"{prefix}{i:04d}",
            "aar": year,
            "koen": sex,
            "foed_dato": born,
            "kommunekode": kommunekode,
        }
        for i, (sex, born) in enumerate(births)
    ]


def write_extract(folder: Path, tables: dict[str, list[dict[str, object]]]) -> Path:
    """Write tables (lists of row dicts) as Parquet files into ``folder``."""
    from datapakke.inputs.schema import TABLES

    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        pl.DataFrame(rows, schema=TABLES[name].schema).write_parquet(folder / f"{name}.parquet")
    return folder


def invoke(
    *args: str | Path,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    width: int = 120,
) -> Result:
    """Run ``datapakke ARGS`` in this process (Typer's runner); stdout and stderr apart.

    ``width`` is the terminal's: the CLI's consoles are set to it for the call (they
    read COLUMNS only when made, and pytest-xdist workers start with COLUMNS=80). An
    exception the CLI does not turn into a message fails the test with its traceback.
    """
    runner = CliRunner(env={"COLUMNS": str(width), **(env or {})})
    # Rich offers no public way back to "as made", hence its private _width.
    widths = [(console, console._width) for console in (out, err)]
    try:
        for console, _ in widths:
            console.width = width
        with contextlib.chdir(cwd) if cwd else contextlib.nullcontext():
            return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
    finally:
        for console, made in widths:
            console._width = made


def run_cli(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m datapakke ARGS`` as a real process: for tests of the process itself
    (entry point, signals, an installed wheel); everything else uses ``invoke``."""
    return subprocess.run(
        [sys.executable, "-m", "datapakke", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "120", **(env or {})},
        check=False,
    )


def structure_elements(node: Any, kind: str) -> list[dict[str, Any]]:
    """Every element of PDF structure type ``kind`` (e.g. "/Figure") below ``node``."""
    found, stack = [], [node]
    while stack:
        item = stack.pop()
        item = item.get_object() if hasattr(item, "get_object") else item
        if isinstance(item, dict):
            if item.get("/S") == kind:
                found.append(item)
            if "/K" in item:
                stack.append(item["/K"])
        elif isinstance(item, list):
            stack.extend(item)
    return found
