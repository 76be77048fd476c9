"""The national stay rule written as a plain loop, the reference for the vectorised chaining."""

from __future__ import annotations

import datetime as dt

GAP = dt.timedelta(hours=4)
ADMISSION = dt.timedelta(hours=12)


def chained(rows: list[dict[str, object]]) -> list[tuple[object, ...]]:
    """Stays by the national rule, one contract contact at a time (the reference)."""
    stays: list[tuple[object, ...]] = []
    current: dict[str, object] | None = None
    latest: dt.datetime | None = None
    ordered = sorted(
        rows, key=lambda r: (r["pnr"], r["omraade"], r["start"], r["slut"], r.get("kontakt", ""))
    )
    for row in ordered:
        same = current is not None and (row["pnr"], row["omraade"]) == (
            current["pnr"], current["omraade"]
        )  # fmt: skip
        if same and latest is not None and row["start"] - latest < GAP:  # type: ignore[operator]
            latest = max(latest, row["slut"])  # type: ignore[type-var]
            continue
        if current is not None and latest is not None:
            stays.append(stay_of(current, latest))
        current, latest = row, row["slut"]  # type: ignore[assignment]
    if current is not None and latest is not None:
        stays.append(stay_of(current, latest))
    return sorted(stays)


def stay_of(first: dict[str, object], end: dt.datetime) -> tuple[object, ...]:
    kind = "indlaeggelse" if end - first["start"] >= ADMISSION else "ambulant"  # type: ignore[operator]
    return (first["pnr"], first["start"], end, first["omraade"], first["prioritet"], kind,
            first["aktionsdiagnose"])  # fmt: skip
