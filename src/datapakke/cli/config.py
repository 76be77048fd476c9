"""Where each setting comes from: flag > environment variable > datapakke.toml > default.

``datapakke.toml`` is read from ``--config FILE`` (or ``DATAPAKKE_CONFIG``), else
from the working folder if it has one. Paths in the file are relative to the
file's folder; paths in flags and environment variables to the working folder.
Every key of the file is checked, whichever command runs: an unknown key or a bad
value stops with the file and line.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from datapakke.cli.options import (
    BY_KEY,
    CONFIG_FILE,
    ENV_PREFIX,
    SettingOption,
    make_settings,
    options_for,
)
from datapakke.errors import UsageError
from datapakke.run.settings import Settings

Source = Literal["flag", "environment", "file", "default"]
CONFIG_ENV = f"{ENV_PREFIX}CONFIG"


@dataclass(frozen=True)
class Chosen:
    """A setting's value as the user wrote it, its field value, and where it came from."""

    option: SettingOption
    value: object  # as read: a Path, a number, a choice
    source: Source
    origin: str  # "--min-count", "DATAPAKKE_MIN_COUNT", "datapakke.toml, line 4", ""

    @property
    def field_value(self) -> object:
        return self.option.to_field(self.value)

    @property
    def text(self) -> str:
        """The value as the user would write it."""
        if self.source == "default":
            return self.option.default_shown()
        return str(self.value) if self.option.kind.is_path else self.option.shown(self.field_value)


@dataclass(frozen=True)
class ConfigFile:
    """The values of a datapakke.toml, with the line each came from."""

    path: Path
    values: Mapping[str, tuple[object, int]]


class Configuration:
    """The settings of one command, each with where it came from."""

    def __init__(self, chosen: tuple[Chosen, ...], file: ConfigFile | None) -> None:
        self.chosen = chosen
        self.file = file

    def settings(self) -> Settings:
        """The Settings of this run; an unset data folder must exist as ./sample_data."""
        values = {c.option.field: c.field_value for c in self.chosen if c.source != "default"}
        data = next((c for c in self.chosen if c.option.key == "data"), None)
        if data is not None and data.source == "default":
            folder = data.option.default()
            if not isinstance(folder, Path) or not folder.is_dir():
                raise UsageError(
                    "No data folder given, and there is no ./sample_data here.",
                    hint='Use --data DIR (or data = "DIR" in datapakke.toml, or DATAPAKKE_DATA) '
                    "with your register extract, or make synthetic data first: "
                    "'datapakke sample --out sample_data'.",
                )
            values["data"] = folder
        return make_settings(values)

    def given(self, key: str) -> Chosen | None:
        """The setting ``key`` if a flag, the environment or the file gave it, else None."""
        return next((c for c in self.chosen if c.option.key == key and c.source != "default"), None)

    def describe(self) -> list[tuple[str, str, str]]:
        """(key, value, where from) for every setting, for ``datapakke config``."""
        return [(c.option.key, c.text, f"{c.source} {c.origin}".strip()) for c in self.chosen]


def resolve(
    command: str,
    flags: Mapping[str, object],
    config: Path | None = None,
    environ: Mapping[str, str] | None = None,
) -> Configuration:
    """Each setting ``command`` takes, from its flag (None: not given), the environment,
    the config file or the default, in that order."""
    environ = os.environ if environ is None else environ
    file = read_config(_config_path(config, environ))
    chosen = []
    for option in options_for(command):
        flag = flags.get(option.key)
        env_text = environ.get(option.env, "").strip()
        if flag is not None:
            chosen.append(_chosen(option, flag, "flag", option.flag, f"{option.flag} {flag}"))
        elif env_text:
            where = f"{option.env}={env_text}"
            chosen.append(_chosen(option, env_text, "environment", option.env, where))
        elif file is not None and option.key in file.values:
            value, line = file.values[option.key]
            chosen.append(Chosen(option, value, "file", f"{file.path}, line {line}"))
        else:
            chosen.append(Chosen(option, option.default(), "default", ""))
    return Configuration(tuple(chosen), file)


def _chosen(option: SettingOption, raw: object, source: Source, origin: str, where: str) -> Chosen:
    try:
        return Chosen(option, option.kind.read(raw), source, origin)
    except ValueError as error:
        raise UsageError(f"{where}: {error}.", hint=f"{option.flag}: {option.help}") from None


def _config_path(given: Path | None, environ: Mapping[str, str]) -> Path | None:
    if given is not None:
        return given
    if environ.get(CONFIG_ENV, "").strip():
        return Path(environ[CONFIG_ENV].strip())
    here = Path(CONFIG_FILE)
    return here if here.is_file() else None


def read_config(path: Path | None) -> ConfigFile | None:
    """Read and check a datapakke.toml: every key known, every value readable."""
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such configuration file.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read the configuration file ({error}).") from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(
            f"{path}: not valid TOML: {error}.",
            hint='Write one setting a line, e.g. min-count = 5 or data = "/data/udtraek".',
        ) from None
    lines = text.splitlines()
    values: dict[str, tuple[object, int]] = {}
    for key, raw in document.items():
        line = _line_of(key, lines)
        option = BY_KEY.get(key)
        if option is None:
            raise UsageError(
                f"{path}, line {line}: unknown setting '{key}'.",
                hint=f"Known settings: {', '.join(BY_KEY)}. Run 'datapakke config' to see them.",
            )
        try:
            value = option.kind.read(raw)
        except ValueError as error:
            raise UsageError(f"{path}, line {line}: {key} = {raw!r}: {error}.") from None
        if option.kind.is_path and isinstance(value, Path) and not value.is_absolute():
            value = path.parent / value
        values[key] = (value, line)
    return ConfigFile(path, values)


def _line_of(key: str, lines: list[str]) -> int:
    """The line that sets top-level ``key`` (or opens a table of that name)."""
    name = re.escape(key)
    pattern = re.compile(rf"""^\s*(\[+\s*)?(?:{name}|"{name}"|'{name}')\s*[=.\]]""")
    return next((n for n, line in enumerate(lines, start=1) if pattern.match(line)), 1)
