"""Helpers shared by the tests: hand-made extracts and real CLI invocations."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl


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


def run_cli(
    *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m datapakke ARGS`` as a real process and capture its output."""
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
