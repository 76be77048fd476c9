"""Session fixtures: what many tests read, made once per test run (also under pytest-xdist).

- ``geography``: the bundled geography, ``load_geography()`` (the 2022 clusters: the
  suite pins the build date, which picks the default area set, to 1 December 2026).
- ``small_sample``: a folder with a small synthetic extract of all of Denmark (scale
  0.01, seed 7, years 2021-2023, about 59,000 persons, every table). Read only: copy it
  to change it.
- ``small_results``: the ``Results`` of ``small_sample`` with the default settings;
  ``council_results`` the same for the 2027 councils (``sundhedsraad-2027``).
- ``tiny_sample``: a smaller one (``TINY_SAMPLE``: scale 0.002, seed 11, years
  2022-2023, about 12,000 persons), for tests that generate or build again and again.
- ``exported_workbook``: ``small_results`` exported to XLSX (``indikatorer.xlsx``), once.
- ``built_pack``: Horsensklyngen's pack built from ``small_sample`` by ``datapakke build
  --format both`` (run in-process), dated by ``SOURCE_DATE_EPOCH=BUILD_EPOCH``: a
  ``BuiltPack`` with its PDF, HTML and workbook, the command's output, the text of each
  PDF page (pypdf's, extracted once) and the Pack model.
- ``full_packs``: the full PDFs of Bornholm, Klynge Byen and Fynsklyngen of
  ``small_sample``, built once (mark their tests ``@READS_FULL_PACKS``).

The indicators of ``small_sample`` and ``tiny_sample`` are computed once per worker
and settings (``computed_once``): a build, export or preview of one of them (or of an
unchanged copy) reads and checks it as always, then takes the results computed before
with the same geography, catalogue and settings. A folder a test changed is computed
afresh.

With pytest-xdist every worker is a process of its own: the first one to ask for the
sample, the results or the pack makes it under the run's shared temporary folder while
the others wait on a file lock, then all read the same files. Mark a test that reads
``built_pack`` with ``@READS_BUILT_PACK``: such tests go to one worker (``--dist
loadgroup``), so the others never sit waiting for the build.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import pickle
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from datapakke.engine.compute import Results
from datapakke.geography import Geography, load_geography
from datapakke.pack import Pack
from tests.helpers import invoke

# The default area set follows the build date (klynger-2022 until 31 December 2026,
# sundhedsraad-2027 from 1 January 2027): pin the date, here and in the CLI processes the
# tests start, so that the suite means the same on any day. Tests of the rule set their own.
os.environ.setdefault(
    "SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 12, 1, tzinfo=dt.UTC).timestamp()))
)
BUILD_EPOCH = "1735776000"  # 2 January 2025, 00:00 UTC
BUILD_DAY = dt.date(2025, 1, 2)
BUILT_KLYNGE = "horsensklyngen"
READS_BUILT_PACK = pytest.mark.xdist_group("built_pack")
# The other full packs of ``small_sample`` the slow tests read (``full_packs``).
FULL_PACKS = {
    "bornholm": "Bornholm",
    "hovedstaden-byen": "Klynge Byen",
    "fynsklyngen": "Fynsklyngen",
}
READS_FULL_PACKS = pytest.mark.xdist_group("full_packs")


_UNGROUPED = pytest.StashKey[str]()


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Fail the grouped tests of a ``--dist loadgroup`` run whose groups group nothing.

    pytest-xdist groups by a suffix it writes into each marked test's id; when a pytest
    release ignores that write (pytest 9.2 with xdist 3.8, pytest-xdist#1386), the tests
    of a group are spread over the workers without a word, and each worker makes the
    group's fixtures again or waits for another's.
    """
    if not getattr(config.option, "loadgroup", False):
        return
    for item in items:
        if item.get_closest_marker("xdist_group") and "@" not in item.nodeid:
            item.stash[_UNGROUPED] = (
                f"pytest-xdist's --dist loadgroup does not group with pytest {pytest.__version__}:"
                " install the versions pyproject.toml allows"
            )


def pytest_runtest_setup(item: pytest.Item) -> None:
    if _UNGROUPED in item.stash:
        pytest.fail(item.stash[_UNGROUPED], pytrace=False)


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """The folder ``name``, made by ``make`` once per test run, whichever worker asks first.

    Only ``make``'s folder is in it: markers and locks lie beside it, so an extract
    folder holds nothing but the extract.
    """
    root = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder = root / name
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        done = root / f"{name}.done"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # a worker that failed half-way
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


class ComputedOnce:
    """``engine.compute.compute`` for the session's samples, remembered.

    ``load_results`` (every build, export and preview) still reads and checks the
    extract; only the computation is taken from an earlier one with equal inputs: the
    files of a shared sample, byte for byte (a test's copy of one too), read the same
    way (``Extract.provenance``), with equal geography, catalogue and settings. Any
    other folder is computed afresh. The computation is deterministic
    (``test_determinism``), so a result computed again would be the same.
    """

    def __init__(self, compute: Callable[..., Results]) -> None:
        self.compute = compute
        self.samples: set[tuple[tuple[str, str], ...]] = set()
        self.done: list[tuple[tuple[object, ...], Results]] = []

    def share(self, folder: Path) -> None:
        """Remember the computations of the extract in ``folder`` (and of its copies)."""
        self.samples.add(self.contents(folder))

    @staticmethod
    def contents(folder: Path) -> tuple[tuple[str, str], ...]:
        """Each file of ``folder`` by its relative path, with the digest of its bytes."""
        return tuple(
            (str(p.relative_to(folder)), hashlib.sha256(p.read_bytes()).hexdigest())
            for p in sorted(folder.rglob("*"))
            if p.is_file()
        )

    def remember(
        self,
        folder: Path,
        provenance: object,
        geography: Geography,
        catalogue: Any,
        settings: Any,
        results: Results,
    ) -> None:
        """Hand out ``results`` for these inputs from now on."""
        key = self._key(self.contents(folder), provenance, geography, catalogue, settings)
        self.done.append((key, results))

    @staticmethod
    def _key(
        contents: object, provenance: object, geography: Geography, catalogue: Any, settings: Any
    ) -> tuple[object, ...]:
        """What a computation depends on, with the defaults ``compute`` fills in."""
        from datapakke.engine.catalogue import load_catalogue
        from datapakke.engine.settings import ComputeSettings

        return (
            contents, provenance, geography, catalogue or load_catalogue(),
            settings or ComputeSettings(),
        )  # fmt: skip

    def __call__(
        self, extract: Any, geography: Geography, catalogue: Any = None, settings: Any = None
    ) -> Results:
        contents = self.contents(extract.folder)
        if contents not in self.samples:
            return self.compute(extract, geography, catalogue, settings)
        key = self._key(contents, extract.provenance, geography, catalogue, settings)
        for known, results in self.done:
            if known == key:
                return results
        results = self.compute(extract, geography, catalogue, settings)
        self.done.append((key, results))
        return results


@pytest.fixture(scope="session", autouse=True)
def computed_once() -> Iterator[ComputedOnce]:
    """The session's ``ComputedOnce``, in place of ``compute`` inside ``load_results``."""
    import datapakke.engine.compute as engine

    memo = ComputedOnce(engine.compute)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine, "compute", memo)
        yield memo


@pytest.fixture(scope="session")
def geography() -> Geography:
    """The bundled geography."""
    return load_geography()


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory: pytest.TempPathFactory, computed_once: ComputedOnce) -> Path:
    """A small synthetic extract of all of Denmark (scale 0.01, about 59,000 persons)."""
    from datapakke.sample.generate import generate_sample

    def make(folder: Path) -> None:
        generate_sample(folder, scale=0.01, seed=7, years=range(2021, 2024))

    folder = made_once(tmp_path_factory, "small_sample", make)
    computed_once.share(folder)
    return folder


@pytest.fixture(scope="session")
def bundled_sample(computed_once: ComputedOnce) -> Path:
    """The repository's ``sample_data/`` (what ``make demo`` builds from), read only."""
    folder = Path(__file__).parent.parent / "sample_data"
    computed_once.share(folder)
    return folder


TINY_SAMPLE: dict[str, Any] = {"scale": 0.002, "seed": 11, "years": range(2022, 2024)}


@pytest.fixture(scope="session")
def tiny_sample(tmp_path_factory: pytest.TempPathFactory, computed_once: ComputedOnce) -> Path:
    """A smaller synthetic Denmark: ``generate_sample(folder, **TINY_SAMPLE)``."""
    from datapakke.sample.generate import generate_sample

    def make(folder: Path) -> None:
        generate_sample(folder, **TINY_SAMPLE)

    folder = made_once(tmp_path_factory, "tiny_sample", make)
    computed_once.share(folder)
    return folder


@pytest.fixture(scope="session")
def small_results(
    small_sample: Path,
    geography: Geography,
    computed_once: ComputedOnce,
    tmp_path_factory: pytest.TempPathFactory,
) -> Results:
    """Every indicator of ``small_sample``, computed once (workers share a pickled copy)."""
    from datapakke.run.load import load_results
    from datapakke.run.settings import Settings

    def make(folder: Path) -> None:
        extract, results = load_results(Settings(small_sample), geography)
        (folder / "results.pickle").write_bytes(pickle.dumps((extract.provenance, results)))

    folder = made_once(tmp_path_factory, "small_results", make)
    saved: tuple[object, Results] = pickle.loads((folder / "results.pickle").read_bytes())
    provenance, results = saved
    computed_once.remember(small_sample, provenance, geography, None, None, results)
    return results


@pytest.fixture(scope="session")
def council_results(
    small_sample: Path, computed_once: ComputedOnce, tmp_path_factory: pytest.TempPathFactory
) -> Results:
    """Every indicator of ``small_sample`` for the 2027 councils and regions, computed once."""
    from datapakke.run.load import load_results
    from datapakke.run.settings import Settings

    councils = load_geography("sundhedsraad-2027")

    def make(folder: Path) -> None:
        extract, results = load_results(Settings(small_sample), councils)
        (folder / "results.pickle").write_bytes(pickle.dumps((extract.provenance, results)))

    folder = made_once(tmp_path_factory, "council_results", make)
    saved: tuple[object, Results] = pickle.loads((folder / "results.pickle").read_bytes())
    provenance, results = saved
    computed_once.remember(small_sample, provenance, councils, None, None, results)
    return results


@pytest.fixture(scope="session")
def exported_workbook(small_results: Results, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``small_results`` exported to ``indikatorer.xlsx`` (every area and indicator), once."""
    from datapakke.run.export import export_results

    def make(folder: Path) -> None:
        export_results(small_results, folder / "indikatorer.xlsx")

    return made_once(tmp_path_factory, "exported_workbook", make) / "indikatorer.xlsx"


@pytest.fixture(scope="session")
def full_packs(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder with the full PDF packs of ``FULL_PACKS`` (one, nine and a city's
    municipalities) of ``small_sample``, built once per run by ``datapakke build``."""

    def make(folder: Path) -> None:
        names = [a for name in FULL_PACKS.values() for a in ("--klynge", name)]
        result = invoke("build", *names, "--data", small_sample, "--out", folder)
        assert result.exit_code == 0, result.output

    return made_once(tmp_path_factory, "full_packs", make)


@dataclass(frozen=True)
class BuiltPack:
    """One pack as ``datapakke build --format both`` wrote it, and the Pack model behind it."""

    folder: Path
    pdf: Path
    html: Path
    xlsx: Path
    stdout: str
    stderr: str
    pages: tuple[str, ...]
    pack: Pack


@pytest.fixture(scope="session")
def built_pack(
    small_sample: Path,
    small_results: Results,
    geography: Geography,
    tmp_path_factory: pytest.TempPathFactory,
) -> BuiltPack:
    """Horsensklyngen's pack (PDF, HTML, XLSX) of ``small_sample``, built once per run."""
    from datapakke.run.build import pack_model

    def make(folder: Path) -> None:
        result = invoke(
            "build", "--klynge", "Horsensklyngen", "--data", small_sample, "--out", folder,
            "--format", "both", env={"SOURCE_DATE_EPOCH": BUILD_EPOCH},
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        reader = PdfReader(folder / f"{BUILT_KLYNGE}.pdf")
        output = {
            "stdout": result.stdout,
            "stderr": result.stderr,
            "pages": [page.extract_text() or "" for page in reader.pages],
        }
        (folder.parent / f"{folder.name}.json").write_text(json.dumps(output), encoding="utf-8")

    folder = made_once(tmp_path_factory, "built_pack", make)
    output = json.loads((folder.parent / f"{folder.name}.json").read_text(encoding="utf-8"))
    klynge = geography.key("klynge", BUILT_KLYNGE)
    return BuiltPack(
        folder=folder,
        pdf=folder / f"{BUILT_KLYNGE}.pdf",
        html=folder / f"{BUILT_KLYNGE}.html",
        xlsx=folder / f"{BUILT_KLYNGE}.xlsx",
        stdout=output["stdout"],
        stderr=output["stderr"],
        pages=tuple(output["pages"]),
        pack=pack_model(small_results, geography, klynge, synthetic=True, day=BUILD_DAY),
    )
