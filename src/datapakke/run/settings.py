"""The settings of a run: one type for build (one pack or many), preview and export.

Each field is one thing a user can choose. Fields whose value cannot change a
pack's bytes (how many workers, whether to stop early, whether to rebuild) are
declared with ``run_only`` so the manifest leaves them out of its fingerprints.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal

from datapakke.engine.settings import ComputeSettings

OutputFormat = Literal["pdf", "html"]
DEFAULT_OUT = Path("out")


def run_only(default: Any) -> Any:
    """A field that changes how a run goes, never what it writes."""
    return field(default=default, metadata={"run_only": True})


@dataclass(frozen=True)
class Settings:
    """Where to read, how to compute, where and what to write, and how to run.

    ``data``: the extract folder. ``out``: the output folder of ``build``.
    ``formats``: the files each pack gets besides its workbook. ``templates``: a
    folder of templates that override the bundled ones. ``catalogue``: a user's
    indicator catalogue (default: the bundled one). ``compute``: the engine's
    choices. ``jobs`` (None: one per CPU), ``fail_fast``, ``force``: how a build runs.
    """

    data: Path
    out: Path = DEFAULT_OUT
    formats: frozenset[OutputFormat] = frozenset({"pdf"})
    templates: Path | None = None
    catalogue: Path | None = None
    compute: ComputeSettings = field(default_factory=ComputeSettings)
    jobs: int | None = run_only(None)
    fail_fast: bool = run_only(False)
    force: bool = run_only(False)


def pack_settings(settings: Settings) -> dict[str, Any]:
    """The fields that can change a pack's bytes, by name (the manifest hashes these)."""
    chosen = (f for f in fields(settings) if not f.metadata.get("run_only"))
    return {f.name: getattr(settings, f.name) for f in chosen}
