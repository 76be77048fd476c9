"""The settings a user can choose, each declared once: its flag, its environment variable,
its key in ``datapakke.toml``, how its value is read, and the commands that take it.

A new setting is one ``SettingOption`` in ``OPTIONS`` (and its field in
``datapakke.run.settings.Settings``): every command named in ``commands`` gets the
flag, ``datapakke config`` shows it, and the file and the environment can set it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from datapakke.engine.settings import ComputeSettings, parse_standard
from datapakke.run.settings import CSV_DIALECTS, DEFAULT_OUT, PROFILES, Settings

ENV_PREFIX = "DATAPAKKE_"
CONFIG_FILE = "datapakke.toml"
DEFAULT_DATA = Path("sample_data")


@dataclass(frozen=True)
class Kind:
    """How a value of a setting is written and read.

    ``flag_type`` is what Typer parses the flag as (for its help and completion);
    ``read`` takes a flag's, an environment variable's (text) or the file's (TOML)
    value and returns it, or raises ValueError saying what is wrong.
    """

    flag_type: Any
    read: Callable[[object], object]
    metavar: str | None = None  # None: Typer's own (the choices of a choice)
    is_path: bool = False


def _path(raw: object) -> Path:
    if isinstance(raw, Path):
        return raw
    if isinstance(raw, str) and raw.strip():
        return Path(raw.strip()).expanduser()
    raise ValueError("expected a path")


def _set_id(raw: object) -> str:
    # Whether a shipped set has this id is checked when the geography is loaded (it
    # needs the package's data; a wrong id is still a usage error, see cli/areas.py).
    if isinstance(raw, str) and re.fullmatch(r"[a-z0-9][a-z0-9-]*", raw.strip()):
        return raw.strip()
    raise ValueError("expected the id of an area set, e.g. sundhedsraad-2027")


def _whole(minimum: int) -> Callable[[object], int]:
    def read(raw: object) -> int:
        if isinstance(raw, bool):
            raise ValueError("expected a whole number")
        if isinstance(raw, str) and raw.strip().lstrip("+-").isdigit():
            raw = int(raw)
        if not isinstance(raw, int):
            raise ValueError("expected a whole number")
        if raw < minimum:
            raise ValueError(f"must be at least {minimum}")
        return raw

    return read


def _percent(low: float, high: float) -> Callable[[object], float]:
    def read(raw: object) -> float:
        if isinstance(raw, str):
            try:
                raw = float(raw.strip().removesuffix("%").replace(",", "."))
            except ValueError:
                raise ValueError("expected a number of per cent, e.g. 95") from None
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise ValueError("expected a number of per cent, e.g. 95")
        if not low <= raw <= high:
            raise ValueError(f"must lie between {low:g} and {high:g}")
        return float(raw)

    return read


def _standard(raw: object) -> str:
    """``national``, ``national:2022`` or ``esp2013`` (ComputeSettings reads the year)."""
    text = str(raw).strip().lower()
    if parse_standard(text) is None:
        raise ValueError("expected national, national:YEAR (e.g. national:2022) or esp2013")
    return text


def _flag(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off", ""):
        return False
    raise ValueError("expected true or false")


def _choice(name: str, *values: str) -> Kind:
    choices = StrEnum(name, {v.replace("-", "_"): v for v in values})  # type: ignore[misc]

    def read(raw: object) -> str:
        text = str(getattr(raw, "value", raw)).strip()
        if text not in values:
            raise ValueError(f"expected one of {', '.join(values)}")
        return text

    return Kind(choices, read)


FOLDER = Kind(Path, _path, "DIR", is_path=True)
FILE = Kind(Path, _path, "FILE", is_path=True)
COUNT = Kind(int, _whole(1), "N")
FLAG = Kind(bool, _flag)

# Command names, for the ``commands`` of each option.
BUILD, PREVIEW, EXPORT, VALIDATE = "build", "preview", "export", "validate"
INSPECT, INDICATORS, AREAS = "inspect", "indicators", "omraader"
CONFIG = "config"  # config takes every setting, to show it
COMPUTING = frozenset({BUILD, PREVIEW, EXPORT})
READING = COMPUTING | {VALIDATE, INSPECT}


@dataclass(frozen=True)
class SettingOption:
    """One setting: ``--KEY`` on the command line, ``DATAPAKKE_KEY`` in the environment,
    ``KEY = ...`` in datapakke.toml; its value goes to the Settings field ``field``
    (``compute.NAME`` for the engine's choices) through ``to_field``."""

    key: str
    field: str
    kind: Kind
    help: str
    commands: frozenset[str]
    short: str | None = None
    to_field: Callable[[Any], Any] = lambda value: value
    shown: Callable[[Any], str] = str  # a field value as the user writes it
    default_text: str | None = None  # when the field's default says nothing (None)
    example: str | None = None  # a typical value for the commented datapakke.toml

    @property
    def flag(self) -> str:
        return f"--{self.key}"

    @property
    def env(self) -> str:
        return ENV_PREFIX + self.key.upper().replace("-", "_")

    @property
    def param(self) -> str:
        """The keyword the option arrives as in a command function."""
        return "opt_" + self.key.replace("-", "_")

    def default(self) -> object:
        """The field's default (from Settings), or DEFAULT_DATA for the data folder."""
        if self.field == "data":
            return DEFAULT_DATA
        return _field_default(self.field)

    def default_shown(self) -> str:
        if self.default_text is not None:
            return self.default_text
        return self.shown(self.default())


def _formats(choice: str) -> frozenset[str]:
    return frozenset({"pdf", "html"}) if choice == "both" else frozenset({choice})


def _formats_shown(formats: frozenset[str]) -> str:
    return "both" if len(formats) > 1 else next(iter(formats))


OPTIONS: tuple[SettingOption, ...] = (
    SettingOption(
        "data", "data", FOLDER, "Folder with the register extract.", READING,
        default_text="./sample_data", example="/data/udtraek",
    ),
    SettingOption(
        "mapping", "mapping", FILE,
        "Mapping file (TOML) for files no layout covers and the register settings; "
        "'datapakke inspect' writes a starting one.", READING,
        default_text="none", example="mapping.toml",
    ),
    SettingOption(
        "inddeling", "inddeling", Kind(str, _set_id, "ID"),
        "Area set: sundhedsraad-2027 (the 17 councils, from 2027) or klynger-2022 (the 22 "
        "clusters, 2022-2026).", READING | {AREAS},
        default_text="the set in force on the build date", example="sundhedsraad-2027",
    ),
    SettingOption(
        "geografi", "geografi", Kind(Path, _path, "DIR|FILE", is_path=True),
        "Your own area set: a folder with omraader.csv (regioner.csv, inddeling.toml) or "
        "one CSV file of areas.", READING | {AREAS},
        default_text="none", example="mine-omraader",
    ),
    SettingOption("out", "out", FOLDER, "Output folder.", frozenset({BUILD})),
    SettingOption(
        "format", "formats", _choice("PackFormat", "pdf", "html", "both"),
        "Write the PDF, the HTML, or both (the workbook always).", frozenset({BUILD}),
        to_field=_formats, shown=_formats_shown,
    ),
    SettingOption(
        "profil", "profil", _choice("ProfileChoice", *PROFILES),
        "fuld: the full data pack (the analyst's reference); kort: the four-page profile "
        "(NAME-profil.pdf, for politicians); begge: both.", frozenset({BUILD}),
    ),
    SettingOption(
        "templates", "templates", FOLDER, "Folder of templates that override the bundled ones.",
        frozenset({BUILD, PREVIEW}), default_text="the bundled ones", example="templates",
    ),
    SettingOption(
        "catalogue", "catalogue", FILE, "Your own indicator catalogue (TOML).",
        COMPUTING | {INDICATORS}, default_text="the bundled one", example="katalog.toml",
    ),
    SettingOption(
        "standard", "compute.standard", Kind(str, _standard, "STANDARD"),
        "Standard population of every standardised rate, the same for every year: the "
        "country's population of the latest data year by age band and sex (national), of a "
        "year you name (national:2022), or the European Standard Population 2013 (esp2013, "
        "age only).", COMPUTING,
    ),
    SettingOption(
        "min-count", "compute.min_count", COUNT,
        "Disclosure threshold: counts from 1 to N-1 are never shown.", COMPUTING,
    ),
    SettingOption(
        "confidence", "compute.level", Kind(float, _percent(50.0, 99.9), "PCT"),
        "Confidence level of every interval and comparison, in per cent.", COMPUTING,
        to_field=lambda percent: percent / 100, shown=lambda level: f"{100 * level:g}",
    ),
    SettingOption(
        "trend-confidence", "compute.trend_level", Kind(float, _percent(50.0, 99.99), "PCT"),
        "Level at which the trend test calls a development rising or falling, in per cent "
        "(Fingertips uses 99.8: a strict level, so chance is rarely called a trend).",
        COMPUTING,
        to_field=lambda percent: percent / 100, shown=lambda level: f"{100 * level:g}",
    ),
    SettingOption(
        "jobs", "jobs", COUNT, "Worker processes that render packs.", frozenset({BUILD}),
        short="-j", default_text="one per CPU", example="2",
    ),
    SettingOption(
        "fail-fast", "fail_fast", FLAG, "Stop at the first failing pack.", frozenset({BUILD}),
        shown=lambda on: "true" if on else "false",
    ),
    SettingOption(
        "force", "force", FLAG, "Rebuild packs that are up to date.", frozenset({BUILD}),
        shown=lambda on: "true" if on else "false",
    ),
    SettingOption(
        "csv-dialekt", "csv_dialect", _choice("CsvDialectChoice", *CSV_DIALECTS),
        "CSV for programs (standard: ',' and '.', UTF-8) or for a Danish Excel "
        "(excel-da: ';', decimal comma, UTF-8 with BOM).", frozenset({EXPORT}),
    ),
)  # fmt: skip

BY_KEY: Mapping[str, SettingOption] = {option.key: option for option in OPTIONS}


def options_for(command: str) -> tuple[SettingOption, ...]:
    """The settings ``command`` takes, in declaration order."""
    return tuple(option for option in OPTIONS if command in option.commands or command == CONFIG)


@cache
def _defaults() -> Settings:
    return Settings(data=DEFAULT_DATA, out=DEFAULT_OUT, compute=ComputeSettings())


def _field_default(path: str) -> object:
    value: object = _defaults()
    for name in path.split("."):
        value = getattr(value, name)
    return value


def make_settings(values: Mapping[str, Any]) -> Settings:
    """Settings from field values by path (``data``, ``compute.min_count``...); the rest default."""
    compute = {k.removeprefix("compute."): v for k, v in values.items() if k.startswith("compute.")}
    top = {k: v for k, v in values.items() if not k.startswith("compute.")}
    defaults = _defaults()
    return dataclasses.replace(
        defaults, compute=dataclasses.replace(defaults.compute, **compute), **top
    )
