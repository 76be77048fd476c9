"""A mapping file (TOML) for deliveries no layout covers, and overrides of the register settings.

::

    [settings]                      # any field of RegisterSettings
    include_minipas = true

    [registers.lpr_adm.columns]     # a delivered register's renamed columns
    pnr = "v_cpr"

    [tables.kontakter]              # a contract table from files of your own
    files = ["rkkp/kontakter_*.csv"]        # globs, relative to the data folder
    [tables.kontakter.columns]      # contract column = column in the file
    pnr = "cpr"
    [tables.kontakter.values.prioritet]     # value in the file = contract value
    ATA1 = "akut"
    [tables.kontakter.constants]    # the same value on every row
    omraade = "somatik"
    [tables.kontakter.formats]      # a date layout (strftime) for a text column
    start = "%d-%m-%Y %H:%M"

Every mistake is an ``InputError`` that names the mapping file and line; findings
about the mapped data name the line that mapped the column.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from datapakke.errors import InputError
from datapakke.inputs.columns import ColumnMap
from datapakke.inputs.registers.detect import REGISTERS
from datapakke.inputs.registers.settings import DEFAULT_SETTINGS, RegisterSettings
from datapakke.inputs.schema import TABLES

SECTIONS = ("settings", "registers", "tables")
TABLE_KEYS = ("files", "columns", "values", "constants", "formats")


@dataclass(frozen=True)
class MappedTable:
    """A contract table read from the files a mapping names."""

    table: str
    files: tuple[Path, ...]
    columns: ColumnMap


@dataclass(frozen=True)
class MappingFile:
    """A parsed mapping file: settings, renamed register columns, mapped tables."""

    path: Path | None = None
    settings: RegisterSettings = DEFAULT_SETTINGS
    registers: Mapping[str, ColumnMap] = field(default_factory=dict)
    tables: tuple[MappedTable, ...] = ()

    @property
    def claimed(self) -> frozenset[Path]:
        """The files the mapped tables read."""
        return frozenset(p for t in self.tables for p in t.files)


NO_MAPPING = MappingFile()


class _Lines:
    """Finds the line of a key in the TOML text (tomllib gives none), by section and key."""

    def __init__(self, text: str) -> None:
        self.headers: dict[str, int] = {}
        self.keys: dict[tuple[str, str], int] = {}
        section = ""
        for number, line in enumerate(text.splitlines(), start=1):
            stripped = line.strip()
            header = re.match(r"^\[+\s*([^\]]+?)\s*\]+", stripped)
            if header:
                section = re.sub(r"\s*\.\s*", ".", header[1]).replace('"', "")
                self.headers.setdefault(section, number)
                continue
            key = re.match(r'^"?([^"=\s]+)"?\s*=', stripped)
            if key:
                self.keys.setdefault((section, key[1]), number)

    def of(self, section: str, key: str | None = None) -> int:
        if key is not None and (section, key) in self.keys:
            return self.keys[section, key]
        parent, _, last = section.rpartition(".")
        if (parent, last) in self.keys:  # an inline table: key = { ... }
            return self.keys[parent, last]
        if section in self.headers:
            return self.headers[section]
        return self.of(parent) if parent else 1


def load_mapping(path: Path | None, data: Path) -> MappingFile:
    """Parse the mapping file at ``path`` (None: no mapping); globs resolve against ``data``."""
    if path is None:
        return NO_MAPPING
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: the mapping file cannot be read ({error}).") from error
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(
            f"{path}: not a valid TOML file ({error}).",
            hint="'datapakke inspect --data DIR' writes a valid starting mapping file.",
        ) from error
    return _Parser(path, _Lines(text)).parse(parsed, data)


@dataclass
class _Parser:
    path: Path
    lines: _Lines

    def fail(
        self, section: str, key: str | None, message: str, hint: str | None = None
    ) -> NoReturn:
        where = f"{self.path.name} line {self.lines.of(section, key)}"
        raise InputError(f"{self.path}: {where}: {message}", hint=hint)

    def where(self, section: str, key: str) -> str:
        return f"{self.path.name} line {self.lines.of(section, key)}"

    def parse(self, parsed: dict[str, Any], data: Path) -> MappingFile:
        for key in parsed:
            if key not in SECTIONS:
                self.fail(key, None, f"unknown section [{key}]", f"Use {', '.join(SECTIONS)}.")
        settings = self._settings(parsed.get("settings", {}))
        registers = {
            name: self._register(name, spec) for name, spec in parsed.get("registers", {}).items()
        }
        tables = tuple(
            self._table(name, spec, data) for name, spec in parsed.get("tables", {}).items()
        )
        return MappingFile(self.path, settings, registers, tables)

    def _settings(self, values: dict[str, Any]) -> RegisterSettings:
        try:
            return DEFAULT_SETTINGS.overridden(values)
        except KeyError as error:
            self.fail("settings", str(error.args[0]), f"unknown setting '{error.args[0]}'",
                      "The settings are listed in docs/data-contract.md.")  # fmt: skip
        except (TypeError, ValueError) as error:
            key = str(error).split(" ")[0]
            self.fail("settings", key, str(error))

    def _register(self, name: str, spec: Any) -> ColumnMap:
        section = f"registers.{name}"
        if name not in REGISTERS:
            self.fail(section, None, f"unknown register '{name}'",
                      f"Registers: {', '.join(REGISTERS)}.")  # fmt: skip
        columns = spec.get("columns", {}) if isinstance(spec, dict) else None
        if not isinstance(columns, dict) or set(spec) - {"columns"}:
            self.fail(section, None, 'a register takes only columns = { column = "in file" }')
        return ColumnMap(
            sources={k: str(v) for k, v in columns.items()},
            where={k: self.where(f"{section}.columns", k) for k in columns},
        )

    def _table(self, name: str, spec: Any, data: Path) -> MappedTable:
        section = f"tables.{name}"
        if name not in TABLES:
            self.fail(section, None, f"unknown table '{name}'", f"Tables: {', '.join(TABLES)}.")
        if not isinstance(spec, dict):
            self.fail(section, None, "a table takes files, columns, values, constants, formats")
        for key in spec:
            if key not in TABLE_KEYS:
                self.fail(section, key, f"unknown key '{key}'", f"Use {', '.join(TABLE_KEYS)}.")
        table = TABLES[name]
        known = {c.name for c in table.columns}
        files = self._files(section, spec.get("files"), data)
        parts: dict[str, dict[str, Any]] = {}
        for part in ("columns", "values", "constants", "formats"):
            value = spec.get(part, {})
            if not isinstance(value, dict):
                self.fail(section, part, f"{part} must be a table of column = value")
            for column in value:
                if column not in known:
                    self.fail(f"{section}.{part}", column, f"'{column}' is not a column of {name}",
                              f"The columns of {name}: {', '.join(sorted(known))}.")  # fmt: skip
            parts[part] = value
        # Columns the mapping does not name are found under their contract names.
        where = {c: self.where(f"{section}.columns", c) for c in parts["columns"]}
        where |= {c: self.where(f"{section}.constants", c) for c in parts["constants"]}
        return MappedTable(
            name,
            files,
            ColumnMap(
                sources={k: str(v) for k, v in parts["columns"].items()},
                values={
                    k: {str(a): str(b) for a, b in v.items()} for k, v in parts["values"].items()
                },
                constants={k: str(v) for k, v in parts["constants"].items()},
                formats={k: str(v) for k, v in parts["formats"].items()},
                where=where,
            ),
        )

    def _files(self, section: str, patterns: Any, data: Path) -> tuple[Path, ...]:
        if not isinstance(patterns, list) or not patterns:
            self.fail(section, "files", 'files must list the files, e.g. files = ["x.csv"]')
        found: list[Path] = []
        for pattern in patterns:
            matches = sorted(p for p in data.glob(str(pattern)) if p.is_file())
            if not matches:
                self.fail(section, "files", f"no file in {data} matches '{pattern}'")
            found += [m for m in matches if m not in found]
        return tuple(found)
