"""The user workflows parse, and do what the README says: incremental, never cancelled
mid-build, one clear failure when validation fails, an offline variant from a wheelhouse."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from datapakke.cli.config import CONFIG_ENV
from datapakke.cli.options import OPTIONS

WORKFLOWS = Path(__file__).parents[1] / ".github" / "workflows"
KNOWN_VARIABLES = {o.env for o in OPTIONS} | {CONFIG_ENV}


def _load(name: str) -> dict[Any, Any]:
    document = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


@pytest.mark.parametrize("name", ["datapakker.yml", "datapakker-offline.yml"])
def test_a_running_build_is_never_cancelled_and_settings_are_known(name: str) -> None:
    workflow = _load(name)
    assert workflow["concurrency"]["cancel-in-progress"] is False
    for job in workflow["jobs"].values():
        variables = {k for k in job.get("env", {}) if k.startswith("DATAPAKKE_")}
        assert variables <= KNOWN_VARIABLES, variables - KNOWN_VARIABLES
    runs = " ".join(step.get("run", "") for step in _steps(workflow))
    assert "datapakke validate" in runs and "datapakke build --all" in runs


def test_the_hosted_workflow_is_incremental_and_fails_once() -> None:
    steps = _steps(_load("datapakker.yml"))
    names = [step.get("name", step.get("uses", "")) for step in steps]
    uses = [step.get("uses", "") for step in steps]
    build = next(i for i, step in enumerate(steps) if step.get("id") == "build")
    restore = uses.index("actions/cache/restore@v4")
    save = uses.index("actions/cache/save@v4")
    assert restore < build < save, names
    validate = next(i for i, s in enumerate(steps) if "datapakke validate" in s.get("run", ""))
    assert validate < build
    # After a failed validation the build is skipped, and so is everything that needs it:
    # no second failure from an upload with no files.
    for step in (steps[save], next(s for s in steps if "upload-artifact" in s.get("uses", ""))):
        assert "steps.build.outcome != 'skipped'" in step["if"]
        assert "always()" not in step["if"]


def test_the_offline_workflow_installs_from_a_wheelhouse_only() -> None:
    workflow = _load("datapakker-offline.yml")
    (job,) = workflow["jobs"].values()
    assert "self-hosted" in job["runs-on"]
    runs = [step.get("run", "") for step in job["steps"]]
    install = next(r for r in runs if "pip install" in r)
    assert re.search(r"--no-index --find-links \"\$WHEELHOUSE\"", install)
    everything = (WORKFLOWS / "datapakker-offline.yml").read_text(encoding="utf-8")
    assert "apt-get" not in everything and "setup-python" not in everything
    assert not any(s.get("uses", "").startswith("actions/cache") for s in job["steps"])
    assert job["env"]["DATAPAKKE_OUT"].startswith("/")  # a folder that persists
