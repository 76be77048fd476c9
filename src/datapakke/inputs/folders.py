"""Where the tables of an extract are: one national folder, or one sub-folder per area."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from datapakke.geography import Geography, fold_name, load_geography, shipped_area_sets
from datapakke.inputs.findings import Finding, Findings, Severity
from datapakke.inputs.registers.detect import column_names, data_stem
from datapakke.inputs.schema import TABLES

SUFFIXES = (".parquet", ".csv", ".csv.gz", ".sas7bdat")
# Written by `datapakke sample` beside synthetic tables, so packs can say their data are not real.
SYNTHETIC_MARKER = "datapakke-sample.json"


@dataclass(frozen=True)
class Layout:
    """The files of each table, and how the folder is organised.

    ``areas`` holds the area ids of the sub-folders (empty for a national folder);
    ``foreign`` whether some are named by an area of another set than the chosen one;
    ``others`` every other file in the folder tree (register deliveries, or files that
    are not used), so that none goes unmentioned.
    """

    folder: Path
    files: dict[str, tuple[Path, ...]]
    areas: tuple[str, ...]
    foreign: bool = False
    others: tuple[Path, ...] = ()

    @property
    def kind(self) -> str:
        """``national``, ``per-cluster``, or ``mixed`` (tables in the folder and sub-folders)."""
        in_root = any(p.parent == self.folder for paths in self.files.values() for p in paths)
        if not self.areas:
            return "national"
        return "mixed" if in_root else "per-cluster"


def table_of(path: Path) -> str | None:
    """The table a file holds, judged by its name (``befolkning.csv.gz`` -> ``befolkning``)."""
    name = path.name.lower()
    for suffix in SUFFIXES:
        if name.endswith(suffix) and name[: -len(suffix)] in TABLES:
            return name[: -len(suffix)]
    return None


def find_layout(folder: Path, geography: Geography, findings: Findings) -> Layout:
    """Find every table file in ``folder`` and its per-area sub-folders.

    Sub-folders are read when their name is an area id (or a spelling of one) of the
    chosen area set or of any shipped set (a 2022 extract per cluster is still read
    with the 2027 councils); others are reported and skipped. A table given twice in
    one folder (say as CSV and Parquet) is an error: the tool cannot know which one is
    meant.
    """
    own = _folder_names(geography)
    names = dict(own)
    for set_id in shipped_area_sets():
        for key, area_id in _folder_names(load_geography(set_id)).items():
            names.setdefault(key, area_id)
    folders: list[Path] = [folder]
    areas: list[str] = []
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        area = names.get(fold_name(sub.name))
        holds_tables = any(table_of(p) for p in sub.iterdir() if p.is_file())
        if not holds_tables:
            continue  # an empty or unrelated folder is no part of the extract
        if area is None:
            findings.add(
                Finding(
                    Severity.WARNING,
                    "extract",
                    f"sub-folder '{sub.name}' is not named by an area id; its files are not read",
                    file=sub,
                    hint="Name per-area sub-folders by the area id "
                    "('datapakke omraader' lists them).",
                )
            )
            continue
        folders.append(sub)
        areas.append(area)
    files: dict[str, list[Path]] = {}
    for directory in folders:
        found: dict[str, list[Path]] = {}
        for path in sorted(p for p in directory.iterdir() if p.is_file()):
            table = table_of(path)
            if table is not None and not _delivered_lpr3_f(path, table):
                found.setdefault(table, []).append(path)
        for table, paths in found.items():
            if len(paths) > 1:
                findings.add(
                    Finding(
                        Severity.ERROR,
                        table,
                        f"the table is given {len(paths)} times in one folder: "
                        + ", ".join(p.name for p in paths),
                        file=paths[0],
                        hint="Keep one file per table in each folder.",
                    )
                )
            files.setdefault(table, []).append(paths[0])
    used = {p for paths in files.values() for p in paths}
    return Layout(
        folder=folder,
        files={t: tuple(files[t]) for t in TABLES if t in files},
        areas=tuple(areas),
        foreign=any(fold_name(a) not in own for a in areas),
        others=tuple(p for p in _all_files(folder) if p not in used),
    )


def _folder_names(geography: Geography) -> dict[str, str]:
    """Every spelling of an area of the geography's set, folded, to the area's id."""
    names = {fold_name(a.id): a.id for a in geography.areas.values()}
    for a in geography.areas.values():
        for spelling in (a.navn, *a.aliaser):
            names.setdefault(fold_name(spelling), a.id)
    return names


def _delivered_lpr3_f(path: Path, table: str) -> bool:
    """Whether a file named like the contract's kontakter is LPR3_F's (it has no kontakt_id)."""
    if table != "kontakter":
        return False
    names = {n.strip().lower() for n in column_names(path)}
    return "dw_ek_kontakt" in names and "kontakt_id" not in names


def _all_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` but datapakke's own marker and work folders, and hidden
    files that are not data (.DS_Store); a hidden data file is listed, never skipped."""
    found = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if not path.is_file() or parts[0].startswith(".datapakke-"):
            continue
        if any(part.startswith(".") for part in parts) and data_stem(path) is None:
            continue
        if parts == (SYNTHETIC_MARKER,):
            continue
        found.append(path)
    return found
