"""The batch library on a few clusters: incremental skips, failures, --fail-fast, dead workers.

HTML-only builds from the tiny sample keep these quick; the PDF path is covered end to end
in test_batch_cli.py. The pool tests hand their workers the session's results.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest

from datapakke.dates import build_date
from datapakke.engine.compute import Results
from datapakke.engine.settings import ComputeSettings
from datapakke.geography import AreaKey, Geography
from datapakke.run.batch import (
    PackOutcome,
    RenderJob,
    _render_in_pool,
    build_packs,
    largest_first,
)
from datapakke.run.manifest import MANIFEST_NAME, build_identity, file_digest
from datapakke.run.settings import Settings
from datapakke.run.workers import WorkerPool

FAIL_FOR_BORNHOLM = (
    '{% extends "default:pack.html.j2" %}'
    "{% block front_page %}"
    "{% if pack.front.slug == 'bornholm' %}{{ pack.front.no_such_field }}{% endif %}"
    "{{ super() }}{% endblock %}"
)


@pytest.fixture(scope="module")
def three(geography: Geography) -> list[AreaKey]:
    return [geography.key("klynge", k) for k in ("bornholm", "horsensklyngen", "holbaek")]


def test_the_workers_start_the_packs_with_most_municipalities_first(
    geography: Geography,
) -> None:
    areas = {
        key.slug: key
        for key in (
            geography.key("klynge", "bornholm"),  # 1 municipality
            geography.key("klynge", "horsensklyngen"),  # 4
            geography.key("kommune", "101"),  # 1 (København)
            geography.key("klynge", "fynsklyngen"),  # 9
            geography.key("region", "1082"),  # Region Midtjylland: 19
        )
    }
    asked = list(areas)
    assert largest_first(asked, areas, geography) == [
        "region-midtjylland", "fynsklyngen", "horsensklyngen", "bornholm", "kommune-koebenhavn",
    ]  # fmt: skip


def _html_settings(
    data: Path,
    out: Path,
    templates: Path | None = None,
    *,
    force: bool = False,
    fail_fast: bool = False,
) -> Settings:
    return Settings(data=data, out=out, formats=frozenset({"html"}), templates=templates,
                    jobs=1, force=force, fail_fast=fail_fast)  # fmt: skip


def _statuses(outcomes: tuple[PackOutcome, ...]) -> dict[str, str]:
    return {o.area_id: o.status for o in outcomes}


@pytest.mark.slow
def test_rerun_skips_unchanged_packs_and_rebuilds_what_changed(
    tiny_sample: Path, tmp_path: Path, geography: Geography, three: list[AreaKey]
) -> None:
    settings = _html_settings(tiny_sample, tmp_path / "out")
    first = build_packs(three, settings, geography)
    assert first.ok
    assert first.count("built") == 3
    assert first.compute_seconds > 0

    again = build_packs(three, settings, geography)
    assert again.count("skipped") == 3
    assert again.compute_seconds == 0  # nothing to build: the indicators are not computed

    # A file that is gone or no longer has the recorded bytes is built again.
    (tmp_path / "out" / "bornholm.html").unlink()
    (tmp_path / "out" / "holbaek.html").write_text("edited by hand", encoding="utf-8")
    repaired = build_packs(three, settings, geography)
    assert _statuses(repaired.outcomes) == {
        "bornholm": "built", "horsensklyngen": "skipped", "holbaek": "built",
    }  # fmt: skip

    forced = build_packs(three, _html_settings(tiny_sample, tmp_path / "out", force=True),
                         geography)  # fmt: skip
    assert forced.count("built") == 3


@pytest.mark.slow
def test_a_changed_template_or_setting_rebuilds_every_pack(
    tiny_sample: Path, tmp_path: Path, geography: Geography, three: list[AreaKey]
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "pack.html.j2").write_text(
        '{% extends "default:pack.html.j2" %}', encoding="utf-8"
    )
    settings = _html_settings(tiny_sample, tmp_path / "out", templates)
    assert build_packs(three, settings, geography).count("built") == 3

    (templates / "pack.html.j2").write_text(
        '{% extends "default:pack.html.j2" %}{% block front_page %}<p>Ny forside</p>{% endblock %}',
        encoding="utf-8",
    )
    edited = build_packs(three, settings, geography)
    assert edited.count("built") == 3
    assert "<p>Ny forside</p>" in (tmp_path / "out" / "bornholm.html").read_text(encoding="utf-8")

    both = Settings(tiny_sample, out=tmp_path / "out", formats=frozenset({"html", "pdf"}),
                    templates=templates)  # fmt: skip
    assert build_identity(both).fingerprint("bornholm") != build_identity(settings).fingerprint(
        "bornholm"
    )


def test_the_fingerprint_follows_inputs_version_and_pinned_date(
    tiny_sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    shutil.copytree(tiny_sample, data)  # with its aggregate inputs in aggregater/
    settings = _html_settings(data, tmp_path / "out")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    base = build_identity(settings).fingerprint("bornholm")
    assert build_identity(settings).fingerprint("bornholm") == base
    assert build_identity(settings).fingerprint("holbaek") != base

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735689600")
    pinned = build_identity(settings).fingerprint("bornholm")
    assert pinned != base
    monkeypatch.delenv("SOURCE_DATE_EPOCH")

    (data / "doedsfald.parquet").write_bytes((data / "doedsfald.parquet").read_bytes() + b"\0")
    changed = build_identity(settings).fingerprint("bornholm")
    assert changed not in (base, pinned)
    survey = data / "aggregater" / "sundhedsprofil.parquet"
    survey.write_bytes(survey.read_bytes() + b"\0")
    assert build_identity(settings).fingerprint("bornholm") != changed

    stricter = Settings(data, out=tmp_path / "out", formats=frozenset({"html"}),
                        compute=ComputeSettings(min_count=10))  # fmt: skip
    assert build_identity(stricter).fingerprint("bornholm") != build_identity(settings).fingerprint(
        "bornholm"
    )

    monkeypatch.setattr("datapakke.run.manifest.__version__", "99.0")
    assert build_identity(settings).fingerprint("bornholm") != base


def test_manifest_records_inputs_templates_settings_and_outputs(
    tiny_sample: Path, tmp_path: Path, geography: Geography, three: list[AreaKey]
) -> None:
    out = tmp_path / "out"
    report = build_packs(three[:1], _html_settings(tiny_sample, out), geography)
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert report.manifest == out / MANIFEST_NAME
    assert manifest["tool"]["name"] == "datapakke"
    assert manifest["tool"]["libraries"]["weasyprint"]
    assert manifest["settings"]["formats"] == ["html"]
    inputs = {f["path"]: f for f in manifest["inputs"]["files"]}
    assert set(inputs) >= {"befolkning.parquet", "datapakke-sample.json"}
    assert (
        inputs["befolkning.parquet"]
        == file_digest(tiny_sample / "befolkning.parquet", tiny_sample).__dict__
    )
    template_names = {f["path"] for f in manifest["templates"]["files"]}
    assert {"default:pack.html.j2", "default:pack.css"} <= template_names
    catalogue_files = {f["path"] for f in manifest["catalogue"]["files"]}
    assert catalogue_files >= {"inddelinger/klynger-2022/omraader.csv", "catalogue.toml"}
    assert manifest["catalogue"]["version"]
    pack = manifest["packs"]["bornholm"]
    assert pack["status"] == "built"
    assert set(pack["stages"]) == {"model", "charts", "html", "workbook"}
    names = ["bornholm.html", "bornholm.xlsx"]
    assert pack["outputs"] == [file_digest(out / name, out).__dict__ for name in names]
    assert manifest["run"]["complete"] is True


@pytest.mark.slow
def test_one_failing_pack_leaves_the_others_built(
    tiny_sample: Path, tmp_path: Path, geography: Geography, three: list[AreaKey]
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "pack.html.j2").write_text(FAIL_FOR_BORNHOLM, encoding="utf-8")
    settings = _html_settings(tiny_sample, tmp_path / "out", templates)

    report = build_packs(three, settings, geography)
    assert not report.ok
    assert _statuses(report.outcomes) == {
        "bornholm": "failed", "horsensklyngen": "built", "holbaek": "built",
    }  # fmt: skip
    (failed,) = [o for o in report.outcomes if o.status == "failed"]
    assert failed.error is not None
    assert "pack.html.j2:1" in failed.error
    assert "no_such_field" in failed.error
    assert not (tmp_path / "out" / "bornholm.html").exists()
    assert (tmp_path / "out" / "holbaek.html").is_file()

    # A rerun tries the failed pack again and skips the rest.
    rerun = build_packs(three, settings, geography)
    assert _statuses(rerun.outcomes) == {
        "bornholm": "failed", "horsensklyngen": "skipped", "holbaek": "skipped",
    }  # fmt: skip


def test_fail_fast_stops_after_the_first_failure(
    tiny_sample: Path, tmp_path: Path, geography: Geography, three: list[AreaKey]
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "pack.html.j2").write_text(FAIL_FOR_BORNHOLM, encoding="utf-8")
    settings = _html_settings(tiny_sample, tmp_path / "out", templates, fail_fast=True)
    report = build_packs(three, settings, geography)
    assert [o.status for o in report.outcomes] == ["failed", "not built", "not built"]
    assert [p.name for p in (tmp_path / "out").glob("*.html")] == ["index.html"]  # no pack


def die_on_bornholm(_job: RenderJob, area_id: str) -> PackOutcome:
    """A pool task that kills its worker for Bornholm, as the kernel's OOM killer would."""
    if area_id == "bornholm":
        os._exit(9)
    return PackOutcome(area_id, "built")


def test_a_dead_worker_costs_only_its_own_pack(
    small_sample: Path, small_results: Results, geography: Geography, tmp_path: Path
) -> None:
    settings = _html_settings(small_sample, tmp_path)
    ids = ["horsensklyngen", "bornholm", "holbaek", "fynsklyngen", "lillebaelt"]
    job = RenderJob(
        small_results, geography, settings, False, build_date(),
        {i: geography.key("klynge", i) for i in ids},
    )  # fmt: skip
    with WorkerPool(die_on_bornholm, 2) as pool:
        outcomes = list(_render_in_pool(pool, job, ids, fail_fast=False))
    statuses = {o.area_id: o.status for o in outcomes}
    assert statuses == {
        "horsensklyngen": "built", "bornholm": "failed", "holbaek": "built",
        "fynsklyngen": "built", "lillebaelt": "built",
    }  # fmt: skip
    error = next(o.error for o in outcomes if o.area_id == "bornholm")
    assert error is not None
    assert "worker process stopped unexpectedly (exit code 9)" in error


def fail_on_bornholm(_job: RenderJob, area_id: str) -> PackOutcome:
    """A pool task that fails Bornholm's pack at once and takes a while over the others."""
    if area_id == "bornholm":
        return PackOutcome(area_id, "failed", error="broken on purpose")
    time.sleep(3)  # as long as a real pack: the failure is known before this one ends
    return PackOutcome(area_id, "built")


def test_fail_fast_in_the_pool_starts_nothing_after_a_failure(
    small_sample: Path, small_results: Results, geography: Geography, tmp_path: Path
) -> None:
    settings = _html_settings(small_sample, tmp_path)
    ids = ["bornholm", "horsensklyngen", "holbaek", "fynsklyngen", "lillebaelt"]
    job = RenderJob(
        small_results, geography, settings, False, build_date(),
        {i: geography.key("klynge", i) for i in ids},
    )  # fmt: skip
    with WorkerPool(fail_on_bornholm, 2) as pool:
        outcomes = list(_render_in_pool(pool, job, ids, fail_fast=True))
    statuses = {o.area_id: o.status for o in outcomes}
    assert sorted(statuses) == sorted(ids)
    assert statuses["bornholm"] == "failed"
    # Only the pack already running beside Bornholm's was finished; none was started after.
    assert statuses["horsensklyngen"] == "built"
    assert [statuses[k] for k in ids[2:]] == ["not built"] * 3
