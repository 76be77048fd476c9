"""manifest.json: what a batch read, with which version, settings and templates, and what it wrote.

The manifest is also the memory of incremental builds. Each pack's fingerprint
hashes everything its files depend on (tool and library versions, settings,
input files, templates, the package's catalogue and reference data, the area
set's files, the area); a rerun skips a pack whose fingerprint is unchanged and whose files
are still there with the bytes the manifest recorded.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import platform
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from datapakke import __version__
from datapakke.dates import pinned_build_date
from datapakke.engine.catalogue import load_catalogue
from datapakke.files import write_text
from datapakke.geography import AreaSet
from datapakke.inputs.read import SYNTHETIC_MARKER
from datapakke.inputs.registers.detect import data_stem
from datapakke.paths import DATA_DIR, bundled_templates_dir
from datapakke.run.settings import Settings, pack_settings

MANIFEST_NAME = "manifest.json"
MANIFEST_FORMAT = 2  # 2: packs of any area (area_id), and the area set's files
# Libraries whose upgrade can change the bytes of a pack.
RENDERING_LIBRARIES = ("weasyprint", "pydyf", "fonttools", "matplotlib", "jinja2", "polars")
# Settings that name files or folders: their contents are hashed instead of their names
# (the area set's, whichever option chose it, as the manifest's area_set).
PATH_SETTINGS = frozenset(
    {"data", "out", "templates", "catalogue", "mapping", "inddeling", "geografi"}
)


@dataclass(frozen=True)
class FileDigest:
    """A file by its path (relative to the folder it belongs to), size and SHA-256."""

    path: str
    size: int
    sha256: str


@dataclass(frozen=True)
class BuildIdentity:
    """Everything a batch's packs depend on, apart from which area each one is."""

    version: str
    libraries: Mapping[str, str]
    settings: Mapping[str, Any]
    inputs: tuple[FileDigest, ...]
    templates: tuple[FileDigest, ...]
    catalogue: tuple[FileDigest, ...]
    catalogue_version: str = ""
    area_set: str = ""  # the set's id or, for a user's own, its path
    area_set_files: tuple[FileDigest, ...] = ()

    def fingerprint(self, area_id: str) -> str:
        """A hash that changes whenever anything the pack of ``area_id`` depends on does."""
        settings = {k: v for k, v in self.settings.items() if k not in PATH_SETTINGS}
        identity = {
            "area": area_id,
            "version": self.version,
            "libraries": dict(self.libraries),
            "settings": settings,
            "inputs": combined_sha256(self.inputs),
            "templates": combined_sha256(self.templates),
            "catalogue": combined_sha256(self.catalogue),
            "area_set": [self.area_set, combined_sha256(self.area_set_files)],
        }
        return _sha256_of(identity)


@dataclass(frozen=True)
class PackEntry:
    """One pack in the manifest: how it went, and the files it wrote."""

    area_id: str
    status: str
    fingerprint: str | None
    pages: int | None
    seconds: float
    stages: Mapping[str, float]
    outputs: tuple[FileDigest, ...]
    error: str | None = None


@dataclass(frozen=True)
class RunInfo:
    """When and how the last run went."""

    started: str
    jobs: int
    compute_seconds: float
    render_seconds: float
    seconds: float
    counts: Mapping[str, int]
    complete: bool


def file_digest(path: Path, root: Path) -> FileDigest:
    """Size and SHA-256 of ``path``, named relative to ``root``."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return FileDigest(path.relative_to(root).as_posix(), path.stat().st_size, digest.hexdigest())


def combined_sha256(digests: Iterable[FileDigest]) -> str:
    """One hash over a set of files (their names and contents), independent of order."""
    return _sha256_of(sorted((d.path, d.sha256) for d in digests))


def input_files(data: Path) -> list[Path]:
    """The data files of the extract in ``data`` (at any depth: register deliveries sit in
    folders of their own), and its marker.

    Judged by file name only, so it may include a file the reader does not use: a
    change there rebuilds the packs needlessly, but never leaves one stale.
    """
    files = [
        p
        for p in data.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(data).parts)
        and data_stem(p) is not None
    ]
    if (data / SYNTHETIC_MARKER).is_file():
        files.append(data / SYNTHETIC_MARKER)
    return sorted(files)


def input_digests(settings: Settings) -> tuple[FileDigest, ...]:
    """The extract's data files, and the mapping file that says how to read them."""
    digests = tuple(file_digest(p, settings.data) for p in input_files(settings.data))
    mapping = settings.mapping
    if mapping is not None and mapping.is_file():
        own = file_digest(mapping, mapping.parent)
        digests += (dataclasses.replace(own, path=f"mapping:{mapping.name}"),)
    return digests


def template_digests(user_templates: Path | None) -> tuple[FileDigest, ...]:
    """Every bundled template file (as ``default:NAME``) and every file of the user's folder."""
    bundled = bundled_templates_dir()
    digests = [dataclasses.replace(d, path=f"default:{d.path}") for d in _folder_digests(bundled)]
    if user_templates is not None:
        digests += _folder_digests(user_templates)
    return tuple(digests)


def catalogue_digests(settings: Settings) -> tuple[FileDigest, ...]:
    """The package's data files (indicator catalogue, geography, chart style), and the
    user's own catalogue file when the settings name one."""
    digests = _folder_digests(DATA_DIR)
    own = settings.catalogue
    if own is not None and own.is_file():
        digests += (dataclasses.replace(file_digest(own, own.parent), path=f"user:{own.name}"),)
    return digests


def area_set_digests(area_set: AreaSet) -> tuple[FileDigest, ...]:
    """The files an area set was read from: a shipped set's by their place in the package
    data, a user's own as ``user:NAME``."""
    if area_set.shipped:
        return tuple(file_digest(p, DATA_DIR) for p in area_set.files)
    return tuple(
        dataclasses.replace(file_digest(p, p.parent), path=f"user:{p.name}")
        if not p.is_relative_to(DATA_DIR)
        else file_digest(p, DATA_DIR)
        for p in area_set.files
    )


def build_identity(settings: Settings, area_set: AreaSet | None = None) -> BuildIdentity:
    """Hash the inputs, templates, catalogue and area set that ``settings`` point at."""
    return BuildIdentity(
        version=__version__,
        libraries={name: _library_version(name) for name in RENDERING_LIBRARIES},
        settings=describe_settings(settings),
        inputs=input_digests(settings),
        templates=template_digests(settings.templates),
        catalogue=catalogue_digests(settings),
        catalogue_version=_catalogue_version(settings),
        area_set=area_set.source if area_set else "",
        area_set_files=area_set_digests(area_set) if area_set else (),
    )


def describe_settings(settings: Settings) -> dict[str, Any]:
    """The settings that can change a pack, as JSON values, with the build date if
    ``SOURCE_DATE_EPOCH`` pins it.

    An unpinned date (today) is left out on purpose: a rerun on another day skips
    packs whose inputs are unchanged instead of rebuilding them for a new date.
    """
    described = {name: _jsonable(value) for name, value in pack_settings(settings).items()}
    pinned = pinned_build_date()
    if pinned is not None:
        described["build_date"] = pinned.isoformat()
    return described


def read_packs(out: Path) -> dict[str, PackEntry]:
    """The pack entries of the manifest in ``out``; none if it is missing or unreadable."""
    try:
        document = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
        if document.get("manifest_format") != MANIFEST_FORMAT:
            return {}
        return {key: _pack_entry(value) for key, value in document["packs"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}  # no usable memory: every pack is built again


def is_current(entry: PackEntry | None, fingerprint: str, out: Path) -> bool:
    """Whether ``entry`` has this fingerprint and its files are on disk, byte for byte."""
    if entry is None or entry.status != "built" or entry.fingerprint != fingerprint:
        return False
    if not entry.outputs:
        return False
    for output in entry.outputs:
        path = out / output.path
        if not path.is_file() or path.stat().st_size != output.size:
            return False
        if file_digest(path, out).sha256 != output.sha256:
            return False
    return True


def write_manifest(
    out: Path, identity: BuildIdentity, packs: Mapping[str, PackEntry], run: RunInfo
) -> Path:
    """Write ``out/manifest.json`` atomically and return its path."""
    document = {
        "manifest_format": MANIFEST_FORMAT,
        "tool": {
            "name": "datapakke",
            "version": identity.version,
            "python": platform.python_version(),
            "libraries": dict(identity.libraries),
        },
        "settings": dict(identity.settings),
        "catalogue": {"version": identity.catalogue_version, **_file_set(identity.catalogue)},
        "area_set": {"id": identity.area_set, **_file_set(identity.area_set_files)},
        "templates": _file_set(identity.templates),
        "inputs": _file_set(identity.inputs),
        "run": dataclasses.asdict(run),
        "packs": {key: _jsonable(packs[key]) for key in sorted(packs)},
    }
    target = out / MANIFEST_NAME
    write_text(target, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    return target


def _file_set(digests: tuple[FileDigest, ...]) -> dict[str, Any]:
    return {
        "sha256": combined_sha256(digests),
        "files": [dataclasses.asdict(d) for d in sorted(digests, key=lambda d: d.path)],
    }


def _folder_digests(folder: Path) -> tuple[FileDigest, ...]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return tuple(file_digest(p, folder) for p in files)


def _pack_entry(value: dict[str, Any]) -> PackEntry:
    return PackEntry(
        area_id=value["area_id"],
        status=value["status"],
        fingerprint=value["fingerprint"],
        pages=value["pages"],
        seconds=value["seconds"],
        stages=value["stages"],
        outputs=tuple(FileDigest(**output) for output in value["outputs"]),
        error=value.get("error"),
    )


def _catalogue_version(settings: Settings) -> str:
    return load_catalogue(settings.catalogue).version


def _library_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, frozenset | set):
        return sorted(_jsonable(v) for v in value)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def _sha256_of(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
