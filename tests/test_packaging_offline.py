"""The wheelhouse for a research server without internet: `make wheelhouse` names every
dependency that only Windows needs (pip cannot tell them from this machine)."""

from __future__ import annotations

import re
from importlib.metadata import distribution
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).parents[1]
WINDOWS = {**default_environment(), "sys_platform": "win32", "platform_system": "Windows",
           "os_name": "nt", "extra": ""}  # fmt: skip


def _windows_only_dependencies() -> set[str]:
    """Packages the runtime closure of datapakke needs on Windows but not here."""
    here = {**default_environment(), "extra": ""}
    seen: set[str] = set()
    windows_only: set[str] = set()
    waiting = ["datapakke"]
    while waiting:
        name = waiting.pop()
        if name in seen:
            continue
        seen.add(name)
        for text in distribution(name).requires or []:
            requirement = Requirement(text)
            marker = requirement.marker
            on_windows = marker is None or marker.evaluate(WINDOWS)
            on_this = marker is None or marker.evaluate(here)
            dependency = canonicalize_name(requirement.name)
            if on_windows and not on_this:
                windows_only.add(dependency)
            elif on_this:
                waiting.append(dependency)
    return windows_only


def test_the_wheelhouse_names_what_only_windows_needs() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    listed = re.search(r"^WINDOWS_ONLY := (.*)$", makefile, re.MULTILINE)
    assert listed is not None
    assert _windows_only_dependencies() <= set(listed[1].split())
    assert "--only-binary=:all:" in makefile and "--platform" in makefile
