"""Read and validate the geography files: the shared municipalities and one area set.

An area set is a folder (shipped under ``data/inddelinger/<id>/`` or a user's own):
``omraader.csv`` (the areas and their municipalities), ``regioner.csv`` (the set's
regions and their municipalities) and ``inddeling.toml`` (name, dates, the words for
its areas). A user's set may be a single ``omraader.csv``-style file, or a folder
without ``regioner.csv`` (it then uses the regions in force). Every problem is
reported with its file, line and municipality, all at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import tomllib
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from datapakke.errors import InputError
from datapakke.geography.lookup import fold_name
from datapakke.geography.model import Area, AreaSet, Kommune, Region
from datapakke.geography.words import GENERIC_WORDS, RESERVED_LEVELS, AreaWords
from datapakke.paths import DATA_DIR

M = TypeVar("M", bound=BaseModel)

KOMMUNER_FILE = DATA_DIR / "kommuner.csv"
SETS_DIR = DATA_DIR / "inddelinger"
AREAS_FILE = "omraader.csv"
REGIONS_FILE = "regioner.csv"
INFO_FILE = "inddeling.toml"

# CSV column -> model field, for each file.
KOMMUNE_COLUMNS = {"kommunekode": "kode", "kommune": "navn", "folketal_ca": "folketal_ca"}
REGION_COLUMNS = {
    "regionskode": "kode",
    "region": "navn",
    "navn": "fulde_navn",
    "kommunekoder": "kommunekoder",
    "note": "note",
}
AREA_COLUMNS = {
    "id": "id",
    "navn": "navn",
    "aliaser": "aliaser",
    "region": "regionskode",
    "akuthospital": "akuthospital",
    "kommunekoder": "kommunekoder",
    "sikkerhed": "sikkerhed",
    "kilde": "kilde",
    "forbehold": "forbehold",
    "afgraensning": "afgraensning",
}
REQUIRED_AREA_COLUMNS = ("id", "navn", "kommunekoder")
HINT = "Correct the geography file and run again (docs/geography.md describes the files)."


class _Info(BaseModel):
    """inddeling.toml."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    navn: str = Field(min_length=1)
    gyldig_fra: dt.date | None = None
    gyldig_til: dt.date | None = None
    kilde: str = ""
    afloest: str = ""
    regioner: str | None = Field(
        default=None, description="use the regions of this shipped set (no regioner.csv)"
    )
    ord: AreaWords = GENERIC_WORDS


def shipped_area_sets() -> tuple[str, ...]:
    """The ids of the area sets shipped with datapakke, oldest first."""
    return tuple(sorted(p.name for p in SETS_DIR.iterdir() if (p / AREAS_FILE).is_file()))


def default_area_set(day: dt.date) -> str:
    """The shipped set in force on ``day``: the latest one whose ``gyldig_fra`` has come."""
    sets = shipped_area_sets()
    started = [s for s in sets if (_shipped(s).valid_from or dt.date.min) <= day]
    return started[-1] if started else sets[0]


@cache
def load_kommuner() -> Mapping[int, Kommune]:
    """The 98 municipalities (``data/kommuner.csv``), the same in every area set."""
    rows = _validate_rows(KOMMUNER_FILE, _read_csv(KOMMUNER_FILE), Kommune, KOMMUNE_COLUMNS)
    return {k.kode: k for k in rows}


def load_area_set(source: str | Path, day: dt.date) -> AreaSet:
    """A shipped set by its id, or a user's own set (a folder or one CSV file).

    ``day`` (the build date) picks the regions of a user's set that brings none.
    """
    if isinstance(source, str):
        if source not in shipped_area_sets():
            raise InputError(
                f"There is no area set called '{source}'.",
                hint=f"Use one of: {', '.join(shipped_area_sets())}, "
                "or --geografi FILE|DIR for a set of your own.",
            )
        return _shipped(source)
    if not source.exists():
        raise InputError(
            f"{source}: no such file or folder.",
            hint="Point --geografi at a folder with omraader.csv, or at one CSV file of areas.",
        )
    return _read_set(source, shipped=False, day=day)


@cache
def _shipped(set_id: str) -> AreaSet:
    return _read_set(SETS_DIR / set_id, shipped=True, day=dt.date.min)


def _info(folder: Path) -> _Info:
    path = folder / INFO_FILE
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"{path}: cannot read the area set's description ({error}).") from error
    try:
        info = _Info.model_validate(document)
    except ValidationError as error:
        problems = [
            f"{path}: {'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
        ]
        raise InputError("\n".join(problems), hint=HINT) from error
    if info.ord.niveau in RESERVED_LEVELS:
        raise InputError(
            f"{path}: ord.niveau: '{info.ord.niveau}' is a level of its own in every set.",
            hint="Name the level of your areas otherwise, e.g. 'distrikt'.",
        )
    return info


def _read_set(source: Path, *, shipped: bool, day: dt.date) -> AreaSet:
    folder = source if source.is_dir() else source.parent
    areas_file = source / AREAS_FILE if source.is_dir() else source
    info_file = folder / INFO_FILE if source.is_dir() else None
    if info_file is not None and info_file.is_file():
        info = _info(folder)
    else:
        info = _Info(navn=source.stem if source.is_file() else source.name)
    files: list[Path] = [KOMMUNER_FILE]
    kommuner = load_kommuner()
    regions_file = folder / REGIONS_FILE if source.is_dir() else None
    if info.regioner is not None:
        regioner = load_area_set(info.regioner, day).regioner
    elif regions_file is not None and regions_file.is_file():
        regioner = _read_regions(regions_file, kommuner)
        files.append(regions_file)
    else:
        regioner = load_area_set(default_area_set(day), day).regioner
    areas = _read_areas(areas_file, kommuner, regioner)
    files.append(areas_file)
    if info_file is not None and info_file.is_file():
        files.append(info_file)
    return AreaSet(
        id=source.name if source.is_dir() else source.stem,
        navn=info.navn,
        words=info.ord,
        areas=areas,
        regioner=regioner,
        source=source.name if shipped else str(source),
        files=tuple(files),
        shipped=shipped,
        valid_from=info.gyldig_fra,
        valid_until=info.gyldig_til,
        kilde=info.kilde,
        replaced_note=info.afloest,
    )


def _read_csv(path: Path) -> list[tuple[int, dict[str, str]]]:
    """Rows by line number (the header is line 1); a file that cannot be read is an error."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [(i + 2, dict(row)) for i, row in enumerate(csv.DictReader(handle))]
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise InputError(f"{path}: cannot read the geography file ({error}).") from error


def _check_columns(
    path: Path, rows: Sequence[tuple[int, dict[str, str]]], known: Sequence[str],
    required: Sequence[str],
) -> None:  # fmt: skip
    header = list(rows[0][1]) if rows else []
    unknown = [c for c in header if c not in known]
    missing = [c for c in required if c not in header]
    problems = [f"{path}:1: unknown column '{c}'" for c in unknown]
    problems += [f"{path}:1: the column '{c}' is missing" for c in missing]
    if not rows:
        problems.append(f"{path}: the file has no rows")
    if problems:
        raise InputError("\n".join(problems), hint=f"The columns are: {', '.join(known)}.")


def _validate_rows(
    path: Path,
    rows: Sequence[tuple[int, dict[str, Any]]],
    model: type[M],
    columns: Mapping[str, str],
) -> list[M]:
    result: list[M] = []
    problems: list[str] = []
    fields = {field: column for column, field in columns.items()}
    for line, row in rows:
        values = {columns[c]: v for c, v in row.items() if c in columns and v not in (None, "")}
        try:
            result.append(model.model_validate(values))
        except ValidationError as error:
            for e in error.errors():
                column = fields.get(str(e["loc"][0]), str(e["loc"][0])) if e["loc"] else ""
                problems.append(f"{path}:{line}: {column}: {e['msg']}")
    if problems:
        raise InputError("\n".join(problems), hint=HINT)
    return result


def _municipality_codes(
    path: Path, line: int, text: str, kommuner: Mapping[int, Kommune], problems: list[str]
) -> list[int]:
    """The codes in a kommunekoder cell; a municipality may also be given by its name."""
    by_name = {fold_name(k.navn): k.kode for k in kommuner.values()}
    codes = []
    for token in text.replace(";", " ").replace(",", " ").split():
        if token.isdigit() and int(token) in kommuner:
            codes.append(int(token))
        elif not token.isdigit() and fold_name(token) in by_name:
            codes.append(by_name[fold_name(token)])
        else:
            problems.append(f"{path}:{line}: kommunekoder: '{token}' is not a municipality")
    return codes


def _placement(
    path: Path,
    rows: Sequence[tuple[int, dict[str, str]]],
    kommuner: Mapping[int, Kommune],
    what: str,
    problems: list[str],
) -> None:
    """Check that every municipality is in exactly one row; resolve names to codes in place."""
    placed: dict[int, tuple[int, str]] = {}
    for line, row in rows:
        codes = _municipality_codes(path, line, row.get("kommunekoder") or "", kommuner, problems)
        for code in codes:
            if code in placed:
                first_line, owner = placed[code]
                problems.append(
                    f"{path}:{line}: kommunekoder: {_kommune(kommuner, code)} is already in "
                    f"{owner} (line {first_line}); a municipality belongs to exactly one {what}"
                )
            else:
                placed[code] = (line, row.get("navn") or row.get("region") or "?")
        row["kommunekoder"] = " ".join(str(c) for c in dict.fromkeys(codes))
    for code in sorted(set(kommuner) - set(placed)):
        problems.append(f"{path}: {_kommune(kommuner, code)} is in no {what}; add it to one")


def _kommune(kommuner: Mapping[int, Kommune], code: int) -> str:
    return f"{kommuner[code].navn} ({code})"


def _read_regions(path: Path, kommuner: Mapping[int, Kommune]) -> dict[int, Region]:
    rows = _read_csv(path)
    _check_columns(path, rows, list(REGION_COLUMNS), ["regionskode", "region", "kommunekoder"])
    problems: list[str] = []
    _placement(path, rows, kommuner, "region", problems)
    for _line, row in rows:
        row.setdefault("navn", "")
        if not row["navn"]:
            row["navn"] = f"Region {row.get('region', '')}"
    if problems:
        raise InputError("\n".join(problems), hint=HINT)
    regioner = _validate_rows(path, rows, Region, REGION_COLUMNS)
    lines = [line for line, _row in rows]
    codes = [(str(r.kode), str(r.kode), f"line {n}") for n, r in zip(lines, regioner, strict=True)]
    _unique(path, codes, "region code")
    return {r.kode: r for r in regioner}


def _read_areas(
    path: Path, kommuner: Mapping[int, Kommune], regioner: Mapping[int, Region]
) -> dict[str, Area]:
    rows = _read_csv(path)
    _check_columns(path, rows, list(AREA_COLUMNS), REQUIRED_AREA_COLUMNS)
    problems: list[str] = []
    _placement(path, rows, kommuner, "area", problems)
    region_of = {code: r for r in regioner.values() for code in r.kommunekoder}
    by_name = {
        fold_name(spelling): r.kode
        for r in regioner.values()
        for spelling in (str(r.kode), r.navn, r.fulde_navn)
    }
    for line, row in rows:
        codes = [int(c) for c in row["kommunekoder"].split()]
        named = (row.get("region") or "").strip()
        if named and fold_name(named) not in by_name:
            names = ", ".join(r.navn for r in regioner.values())
            problems.append(f"{path}:{line}: region: unknown region '{named}' (use {names})")
            continue
        region = by_name[fold_name(named)] if named else None
        inside = {region_of[c].kode for c in codes}
        if region is None and len(inside) > 1:
            parts = "; ".join(
                f"{regioner[r].fulde_navn}: "
                + ", ".join(_kommune(kommuner, c) for c in codes if region_of[c].kode == r)
                for r in sorted(inside)
            )
            problems.append(
                f"{path}:{line}: kommunekoder: the municipalities lie in several regions "
                f"({parts}); an area lies inside one region"
            )
            continue
        region = region if region is not None else next(iter(inside), None)
        for code in codes:
            if region is not None and region_of[code].kode != region:
                problems.append(
                    f"{path}:{line}: kommunekoder: {_kommune(kommuner, code)} lies in "
                    f"{region_of[code].fulde_navn}, not in {regioner[region].fulde_navn}; "
                    "an area lies inside one region"
                )
        row["region"] = str(region or "")
    if problems:
        raise InputError("\n".join(problems), hint=HINT)
    areas = _validate_rows(path, rows, Area, AREA_COLUMNS)
    lines = [line for line, _row in rows]
    _unique(path, [(a.id, a.id, f"line {n}") for n, a in zip(lines, areas, strict=True)], "id")
    spellings = [
        (fold_name(spelling), spelling, a.id)
        for a in areas
        for spelling in dict.fromkeys((a.id, a.navn, *a.aliaser))
    ]
    _unique(path, spellings, "name or alias")
    return {a.id: a for a in areas}


def _unique(path: Path, keys: Sequence[tuple[str, str, str]], what: str) -> None:
    """Refuse a key (an id, a folded spelling) that two rows share: ``(key, shown, owner)``."""
    owners: dict[str, str] = {}
    problems = []
    for key, shown, owner in keys:
        first = owners.setdefault(key, owner)
        if first != owner:
            problems.append(f"{path}: {what} '{shown}' is used by both {first} and {owner}")
    if problems:
        raise InputError("\n".join(dict.fromkeys(problems)), hint=HINT)
