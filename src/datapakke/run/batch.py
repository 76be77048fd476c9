"""The one build path: compute once, render the packs (in parallel worker processes when
there are several), keep a manifest. One pack is a batch of one.

The computed results are small tables: they cross the process boundary once per
worker (see ``workers.py``), not once per pack.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

import jinja2

from datapakke.dates import build_date
from datapakke.engine.compute import Results
from datapakke.errors import DatapakkeError, ExitCode, InputError
from datapakke.files import claimed_folder
from datapakke.geography import AreaKey, Geography
from datapakke.render import html as render
from datapakke.render.system import check_pdf_requirements
from datapakke.run.build import Stage, pack_files, render_pack
from datapakke.run.index_page import write_index
from datapakke.run.load import load_results
from datapakke.run.manifest import (
    BuildIdentity,
    FileDigest,
    PackEntry,
    RunInfo,
    build_identity,
    file_digest,
    is_current,
    read_manifest,
    write_manifest,
)
from datapakke.run.settings import PROFILES, Settings
from datapakke.run.workers import TaskRaised, WorkerDied, WorkerPool

Status = Literal["built", "skipped", "failed", "not built"]


@dataclass(frozen=True)
class PackOutcome:
    """What happened to one area's pack in a batch (``area_id``: ``AreaKey.slug``)."""

    area_id: str
    status: Status
    pages: int | None = None
    seconds: float = 0.0
    stages: Mapping[Stage, float] = field(default_factory=dict)
    outputs: tuple[FileDigest, ...] = ()
    error: str | None = None
    error_code: ExitCode | None = None  # of an error the user can act on (bad template...)

    @property
    def size(self) -> int:
        """Bytes written (all output files together)."""
        return sum(output.size for output in self.outputs)


@dataclass(frozen=True)
class BatchReport:
    """A finished batch: one outcome per area (in the order asked for) and its timings."""

    outcomes: tuple[PackOutcome, ...]
    jobs: int
    compute_seconds: float
    render_seconds: float
    seconds: float
    manifest: Path

    @property
    def ok(self) -> bool:
        """Whether every pack is built (now or, unchanged, by an earlier run)."""
        return all(o.status in ("built", "skipped") for o in self.outcomes)

    @property
    def exit_code(self) -> ExitCode:
        """OK; PARTIAL_FAILURE when some packs failed; when none was built and every
        failure has the same cause the user can act on (a broken template: INVALID_INPUT),
        that cause's code, as for a single pack."""
        if self.ok:
            return ExitCode.OK
        failed = {o.error_code for o in self.outcomes if o.status == "failed"}
        if self.count("built") + self.count("skipped") == 0 and len(failed) == 1:
            (code,) = failed
            if code is not None:
                return code
        return ExitCode.PARTIAL_FAILURE

    def count(self, status: Status) -> int:
        """How many packs ended with ``status``."""
        return sum(o.status == status for o in self.outcomes)


class BatchProgress(Protocol):
    """Receives a batch's progress (the CLI shows it as a bar or as log lines)."""

    def begin(self, total: int) -> None:
        """The batch covers ``total`` packs."""

    def phase(self, message: str) -> None:
        """A step that is not a pack starts, e.g. computing the indicators."""

    def warning(self, message: str) -> None:
        """Something the user should know, e.g. an optional table that is missing."""

    def pack_started(self, area_id: str) -> None:
        """A pack starts rendering."""

    def pack_done(self, outcome: PackOutcome) -> None:
        """A pack is built, skipped, failed or left out."""

    def end(self) -> None:
        """The batch is over."""


@dataclass(frozen=True)
class RenderJob:
    """Everything a worker needs to render any pack of the batch; sent once per worker."""

    results: Results
    geography: Geography
    settings: Settings
    synthetic: bool
    day: dt.date
    areas: Mapping[str, AreaKey]  # the batch's areas by ``area_id``


def default_jobs() -> int:
    """The number of CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build_packs(
    areas: Sequence[AreaKey],
    settings: Settings,
    geography: Geography,
    progress: BatchProgress | None = None,
) -> BatchReport:
    """Build the packs of ``areas`` (one or many) into ``settings.out``; write its manifest.

    Packs that are up to date are skipped (unless ``settings.force``); the indicators
    are computed only if some pack needs building. A failing pack does not stop the
    others unless ``settings.fail_fast``. The manifest is rewritten after every pack,
    so a run that is killed still lets the next one skip what it finished. Another
    build into the same folder meanwhile stops with an OutputError; a missing font or
    Pango (for a PDF) with a SystemRequirementError, before any work.
    """
    # Fail once, clearly, rather than once per pack.
    if "pdf" in settings.formats:
        check_pdf_requirements()
    if not settings.data.is_dir():
        raise InputError(
            f"{settings.data}: no such data folder.",
            hint="Point --data at a folder of register extracts.",
        )
    render.template_environment(settings.templates)
    with claimed_folder(settings.out):
        return _build(areas, settings, geography, progress or _Silent())


def _build(
    areas: Sequence[AreaKey], settings: Settings, geography: Geography, progress: BatchProgress
) -> BatchReport:
    jobs = max(1, settings.jobs or default_jobs())
    identity = build_identity(settings, geography.area_set)
    memory = read_manifest(settings.out)
    ledger = _Ledger(settings.out, identity, memory.packs, jobs)
    ledger.names.update({a.slug: a.name for a in areas})
    progress.begin(len(areas))
    if memory.problem is not None:
        progress.warning(memory.problem)

    to_build: list[str] = []
    for area in areas:
        entry = ledger.entries.get(area.slug)
        fingerprint = ledger.identity.fingerprint(area.slug)
        files = pack_files(area.slug, settings.formats, PROFILES[settings.profil])
        if (
            entry is not None
            and not settings.force
            and is_current(entry, fingerprint, settings.out, files)
        ):
            skipped = PackOutcome(area.slug, "skipped", entry.pages, outputs=entry.outputs)
            ledger.record(skipped)
            progress.pack_done(skipped)
        else:
            to_build.append(area.slug)

    if to_build:
        workers = ledger.jobs = min(jobs, len(to_build))
        # Workers start now, so their imports overlap with computing the indicators.
        warm_up = _warm_up_worker if "pdf" in settings.formats else None
        pool = WorkerPool(_render_in_worker, workers, warm_up) if workers > 1 else None
        with pool or contextlib.nullcontext():
            computing = time.perf_counter()
            extract, results = load_results(settings, geography, on_stage=progress.phase)
            ledger.compute_seconds = time.perf_counter() - computing
            for warning in (*extract.warnings, *results.warnings):
                progress.warning(warning)
            job = RenderJob(
                results, geography, settings, extract.synthetic, build_date(),
                {a.slug: a for a in areas},
            )  # fmt: skip
            progress.phase(f"Rendering {len(to_build)} pack(s) with {workers} worker(s)")
            rendering = time.perf_counter()
            order = largest_first(to_build, job.areas, geography)
            outcomes = (
                _render_here(job, to_build, settings.fail_fast, progress.pack_started)
                if pool is None
                else _render_in_pool(pool, job, order, settings.fail_fast, progress.pack_started)
            )
            for outcome in outcomes:
                ledger.record(outcome)
                ledger.render_seconds = time.perf_counter() - rendering
                ledger.write(complete=False)
                progress.pack_done(outcome)

    manifest = ledger.write(complete=True)
    progress.end()
    return BatchReport(
        outcomes=tuple(ledger.outcomes[a.slug] for a in areas),
        jobs=ledger.jobs,
        compute_seconds=ledger.compute_seconds,
        render_seconds=ledger.render_seconds,
        seconds=ledger.elapsed(),
        manifest=manifest,
    )


# --- rendering, in this process or in a pool of workers -------------------------------------


_environments: dict[Path | None, jinja2.Environment] = {}


def _warm_up_worker() -> None:
    """Import and initialise WeasyPrint (fonts, Pango) while the parent still computes."""
    import weasyprint

    weasyprint.HTML(string="<p>datapakke</p>").write_pdf()


def _render_in_worker(job: RenderJob, area_id: str) -> PackOutcome:
    """The worker's task: render one pack, reusing the worker's Jinja environment."""
    templates = job.settings.templates
    try:
        if templates not in _environments:
            _environments[templates] = render.template_environment(templates)
    except DatapakkeError as error:
        return PackOutcome(area_id, "failed", error=error.message, error_code=error.exit_code)
    return render_one(job, area_id, _environments[templates])


def render_one(job: RenderJob, area_id: str, environment: jinja2.Environment) -> PackOutcome:
    """Render one pack; a failure becomes a ``failed`` outcome with a one-line reason."""
    started = time.perf_counter()
    try:
        result = render_pack(
            job.results, job.geography, job.areas[area_id], job.settings,
            synthetic=job.synthetic, environment=environment, day=job.day,
        )  # fmt: skip
        outputs = tuple(file_digest(p, job.settings.out) for p in result.outputs)
    except DatapakkeError as error:
        return PackOutcome(
            area_id, "failed", seconds=time.perf_counter() - started, error=error.message,
            error_code=error.exit_code,
        )  # fmt: skip
    except Exception as error:  # a bug in one pack must not end the batch
        return PackOutcome(
            area_id, "failed", seconds=time.perf_counter() - started,
            error=f"{type(error).__name__}: {error}",
        )  # fmt: skip
    return PackOutcome(area_id, "built", result.pages, result.seconds, result.stages, outputs)


def largest_first(
    area_ids: Sequence[str], areas: Mapping[str, AreaKey], geography: Geography
) -> list[str]:
    """The packs in the order the workers start them: most municipalities first (a pack's
    render grows with its municipalities), so that the last pack of a batch is a short one
    and no worker waits long for the others at the end. Ties keep the order asked for."""
    sizes = geography.membership().group_by("area_level", "area_code").len()
    counts = {(level, code): count for level, code, count in sizes.iter_rows()}

    def municipalities(area_id: str) -> int:
        area = areas[area_id]
        return int(counts.get((area.level, area.code), 0))

    return sorted(area_ids, key=municipalities, reverse=True)


def _render_here(
    job: RenderJob,
    area_ids: Sequence[str],
    fail_fast: bool,
    started: Callable[[str], None] = lambda _area_id: None,
) -> Iterator[PackOutcome]:
    """Render one pack after the other in this process (``--jobs 1``)."""
    environment = render.template_environment(job.settings.templates)
    for index, area_id in enumerate(area_ids):
        started(area_id)
        outcome = render_one(job, area_id, environment)
        yield outcome
        if fail_fast and outcome.status == "failed":
            yield from (_not_built(k) for k in area_ids[index + 1 :])
            return


def _render_in_pool(
    pool: WorkerPool[RenderJob, str, PackOutcome],
    job: RenderJob,
    area_ids: Sequence[str],
    fail_fast: bool,
    started: Callable[[str], None] = lambda _area_id: None,
) -> Iterator[PackOutcome]:
    """Render in the pool's workers; ``job`` crosses to each worker once."""
    finished: set[str] = set()
    results = pool.run(
        job, area_ids, stop_when=lambda result: fail_fast and _failed(result), on_start=started
    )
    for area_id, result in results:
        finished.add(area_id)
        match result:
            case PackOutcome():
                yield result
            case WorkerDied() | TaskRaised():
                yield PackOutcome(area_id, "failed", error=str(result))
    yield from (_not_built(k) for k in area_ids if k not in finished)


def _failed(result: PackOutcome | WorkerDied | TaskRaised) -> bool:
    return not isinstance(result, PackOutcome) or result.status == "failed"


# --- bookkeeping -----------------------------------------------------------------------------


def _not_built(area_id: str) -> PackOutcome:
    return PackOutcome(area_id, "not built", error="not attempted (--fail-fast)")


class _Ledger:
    """The outcomes so far and the manifest entries they become."""

    def __init__(
        self, out: Path, identity: BuildIdentity, entries: dict[str, PackEntry], jobs: int
    ) -> None:
        self.out = out
        self.identity = identity
        self.entries = entries
        self.jobs = jobs
        self.outcomes: dict[str, PackOutcome] = {}
        self.names: dict[str, str] = {}  # for index.html
        self.compute_seconds = 0.0
        self.render_seconds = 0.0
        self.started_at = dt.datetime.now(dt.UTC)
        self._started = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self._started

    def record(self, outcome: PackOutcome) -> None:
        self.outcomes[outcome.area_id] = outcome
        if outcome.status == "skipped":
            return  # the entry of the run that built it still describes its files
        built = outcome.status == "built"
        self.entries[outcome.area_id] = PackEntry(
            area_id=outcome.area_id,
            status=outcome.status,
            fingerprint=self.identity.fingerprint(outcome.area_id) if built else None,
            pages=outcome.pages,
            seconds=round(outcome.seconds, 3),
            stages={stage: round(seconds, 3) for stage, seconds in outcome.stages.items()},
            outputs=outcome.outputs,
            error=outcome.error,
        )

    def write(self, *, complete: bool) -> Path:
        counts: dict[str, int] = {}
        for outcome in self.outcomes.values():
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        run = RunInfo(
            started=self.started_at.isoformat(timespec="seconds"),
            jobs=self.jobs,
            compute_seconds=round(self.compute_seconds, 3),
            render_seconds=round(self.render_seconds, 3),
            seconds=round(self.elapsed(), 3),
            counts=counts,
            complete=complete,
        )
        manifest = write_manifest(self.out, self.identity, self.entries, run)
        write_index(self.out, self.entries, run, self.identity.version, self.names)
        return manifest


class _Silent:
    def begin(self, total: int) -> None:
        pass

    def phase(self, message: str) -> None:
        pass

    def warning(self, message: str) -> None:
        pass

    def pack_started(self, area_id: str) -> None:
        pass

    def pack_done(self, outcome: PackOutcome) -> None:
        pass

    def end(self) -> None:
        pass
