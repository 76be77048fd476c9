"""The settings of a run: one type for build (one pack or many), preview and export.

Each field is one thing a user can choose. Fields whose value cannot change a
pack's bytes (how many workers, whether to stop early, whether to rebuild, how
``export`` writes CSV) are declared with ``not_in_packs`` so the manifest leaves
them out of its fingerprints.
"""

from __future__ import annotations

from dataclasses import KW_ONLY, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from datapakke.engine.settings import ComputeSettings

OutputFormat = Literal["pdf", "html"]
Document = Literal["fuld", "kort"]  # the full pack, the four-page profile
DEFAULT_OUT = Path("out")
# --profil: the documents each pack gets, the full pack (the analyst's reference), the
# four-page profile (the politician's), or both.
PROFILES: dict[str, tuple[Document, ...]] = {
    "fuld": ("fuld",),
    "kort": ("kort",),
    "begge": ("fuld", "kort"),
}
# What each document's file names end with: horsensklyngen.pdf, horsensklyngen-profil.pdf.
DOCUMENT_SUFFIX: dict[Document, str] = {"fuld": "", "kort": "-profil"}


@dataclass(frozen=True)
class CsvDialect:
    """How ``export`` writes CSV: the field separator, the decimal mark, a byte-order mark."""

    separator: str
    decimal_comma: bool
    bom: bool


CSV_DIALECTS = {
    # The contract's own: what programs (R, Python, SAS) read without options.
    "standard": CsvDialect(separator=",", decimal_comma=False, bom=False),
    # What a double-click opens right in a Danish Excel: ";", decimal comma, UTF-8 with BOM.
    "excel-da": CsvDialect(separator=";", decimal_comma=True, bom=True),
}


def not_in_packs(default: Any) -> Any:
    """A field that never changes a pack's files."""
    return field(default=default, metadata={"not_in_packs": True})


@dataclass(frozen=True)
class Settings:
    """Where to read, how to compute, where and what to write, and how to run.

    ``data``: the extract folder; ``mapping``: a mapping file (TOML) for files no
    delivered layout covers, and the register settings. ``out``: the output folder of
    ``build``. ``inddeling``: a shipped area set's id, ``geografi``: a user's own set (a
    folder or a CSV file); neither: the set in force on the build date (``load_geography``).
    ``formats``: the files each pack gets besides its workbook; ``profil``: a key of
    PROFILES, which documents (full pack, profile, both) they hold. ``templates``: a
    folder of templates that override the bundled ones. ``catalogue``: a user's
    indicator catalogue (default: the bundled one). ``compute``: the engine's
    choices. ``jobs`` (None: one per CPU), ``fail_fast``, ``force``: how a build runs.
    ``csv_dialect``: a key of CSV_DIALECTS, for ``export`` to CSV.
    """

    data: Path
    _: KW_ONLY  # every other field by name: a new field never shifts a call's meaning
    mapping: Path | None = None
    out: Path = DEFAULT_OUT
    inddeling: str | None = None
    geografi: Path | None = None
    formats: frozenset[OutputFormat] = frozenset({"pdf"})
    profil: str = "fuld"
    templates: Path | None = None
    catalogue: Path | None = None
    compute: ComputeSettings = field(default_factory=ComputeSettings)
    jobs: int | None = not_in_packs(None)
    fail_fast: bool = not_in_packs(False)
    force: bool = not_in_packs(False)
    csv_dialect: str = not_in_packs("standard")


def pack_settings(settings: Settings) -> dict[str, Any]:
    """The fields that can change a pack's bytes, by name (the manifest hashes these)."""
    chosen = (f for f in fields(settings) if not f.metadata.get("not_in_packs"))
    return {f.name: getattr(settings, f.name) for f in chosen}
