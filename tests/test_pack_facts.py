"""Each fact once: the pack and its templates take windows, rules, phrasings and names from
the catalogue or the engine, so that a user's catalogue changes what the reader sees."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest

from datapakke.engine.catalogue import CATALOGUE_FILE, Catalogue, load_catalogue
from datapakke.engine.compare import TREND_YEARS
from datapakke.engine.compute import Results, compute
from datapakke.errors import InputError
from datapakke.geography import load_geography
from datapakke.pack import Pack, build_pack
from datapakke.paths import bundled_templates_dir
from tests.golden.extract import golden_extract

PACK_MODULES = sorted((Path(__file__).parents[1] / "src" / "datapakke" / "pack").glob("*.py"))
TEMPLATES = sorted(bundled_templates_dir().glob("*.j2"))
BUNDLED = load_catalogue()


def _catalogue_facts(catalogue: Catalogue) -> set[str]:
    """Texts that belong to the catalogue: theme titles, phrasings, disease names (phrasings
    of three words or more: a shorter one, "forebyggelige indlæggelser", may be an example)."""
    phrases = [i.phrase for i in catalogue.indicators if i.phrase]
    facts = {t.title for t in catalogue.themes}
    facts |= {t.subject for t in catalogue.themes if " " in t.subject}
    facts |= {p.noun for p in phrases} | {p.counted for p in phrases} | {p.subject for p in phrases}
    facts = {f for f in facts if f.count(" ") >= 2} | {t.title for t in catalogue.themes}
    facts |= set(catalogue.disease_names.values())
    return facts


# Windows and rules the engine or the catalogue defines, as code or prose would spell them.
NUMBER_FACTS = re.compile(
    r"\[-(5|10)\s*:\]|\bop til (5|fem|10|ti) år|\bseneste (5|fem) år|\b(10|ti) hændelser|"
    r"\b50 dødsfald|99,8|\"pool_years\", 5|\buændret\b"
)


def _reader_text(path: Path) -> str:
    """What a module or template can put in front of a reader: a module's string literals
    (not its docstrings and comments, whose examples may quote the catalogue), a template's
    text without its comments."""
    source = path.read_text(encoding="utf-8")
    if path.suffix != ".py":
        return re.sub(r"\{#.*?#\}", "", source, flags=re.DOTALL)
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return "\n".join(
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    )


@pytest.mark.parametrize("path", [*PACK_MODULES, *TEMPLATES], ids=lambda p: p.name)
def test_no_pack_module_or_template_states_a_catalogue_or_engine_fact(path: Path) -> None:
    text = _reader_text(path)
    for fact in _catalogue_facts(BUNDLED):
        # Whole words only: "KOL" in "KOL-patienter" is part of a catalogue short title.
        assert not re.search(rf"(?<![\w-]){re.escape(fact)}(?![\w-])", text), (path.name, fact)
    found = NUMBER_FACTS.search(text)
    # The population text may say that the population is unchanged ("uændret"): it is a
    # full count, not a test.
    allowed = path.name == "population_section.py" and found and found.group() == "uændret"
    assert found is None or allowed, (path.name, found and found.group())


def test_the_catalogue_phrases_every_compared_indicator_and_names_its_diseases() -> None:
    assert all(i.phrase is not None for i in BUNDLED.indicators if i.compared)
    used = {d for i in BUNDLED.indicators for d in i.params.get("diseases", ())}
    assert used <= set(BUNDLED.disease_names)


def _edited(tmp_path: Path, *changes: tuple[str, str]) -> Path:
    text = CATALOGUE_FILE.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "catalogue.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_catalogue_without_a_disease_name_is_refused_naming_the_indicator(
    tmp_path: Path,
) -> None:
    with pytest.raises(InputError) as raised:
        load_catalogue(_edited(tmp_path, ('kol = "KOL"\n', "")))
    assert "prev_kol: params.diseases: no Danish name for 'kol'" in raised.value.message


def test_a_level_phrase_without_its_subject_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError) as raised:
        load_catalogue(_edited(tmp_path, ('subject = "Dødeligheden"\n', "")))
    assert "doedelighed: phrase: Value error, subject" in raised.value.message or (
        "doedelighed: phrase: subject" in raised.value.message
    )


@pytest.fixture(scope="module")
def user_pack(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    """Byen's pack from the golden extract (2022-2024) with a user's catalogue that pools
    two years for life expectancy, measures the population change over two years, wants
    60 deaths, and renames a theme and a disease."""
    folder = tmp_path_factory.mktemp("user_catalogue")
    text = CATALOGUE_FILE.read_text(encoding="utf-8")
    text = text.replace("pool_years = 5\nmin_deaths = 50", "pool_years = 2\nmin_deaths = 60")
    text = text.replace("max_years = 10", "max_years = 2")
    text = text.replace('title = "De sårbare ældre"', 'title = "Ældre borgere"')
    text = text.replace('subject = "de sårbare ældre"', 'subject = "de ældre borgere"')
    text = text.replace('kol = "KOL"', 'kol = "kronisk obstruktiv lungesygdom"')
    path = folder / "catalogue.toml"
    path.write_text(text, encoding="utf-8")
    catalogue = load_catalogue(path)
    geography = load_geography()
    results: Results = compute(golden_extract(), geography, catalogue)
    return build_pack(
        results, geography, geography.key_of(geography.find_area("byen")),
        build_date=dt.date(2026, 12, 1), version="9.9.9",
    )  # fmt: skip


def test_a_user_catalogue_with_two_pooled_years_prints_two_year_periods(user_pack: Pack) -> None:
    assert user_pack.key_figures is not None
    rows = {r.indicator_id: r for r in user_pack.key_figures.rows}
    assert rows["middellevetid"].period == "2023–2024"
    assert rows["folketal_udvikling"].period == "2023–2024"
    population = user_pack.sections[0]
    blocks = {b.id: b for b in population.blocks}
    assert "data for op til 2 år samlet" in blocks["middellevetid"].subtitle
    assert any("2023–2024" in f.title for f in blocks["middellevetid"].figures)
    assert any(p.startswith("Fra 2023 til 2024 er folketallet") for p in population.paragraphs)


def test_a_user_catalogue_changes_rules_theme_and_disease_names_in_the_pack(
    user_pack: Pack,
) -> None:
    assert user_pack.methods is not None
    guide = dict(user_pack.methods.reading_guide)
    assert "middellevetider med under 60 dødsfald" in guide["Små tal"]
    assert f"de seneste {TREND_YEARS} år" in guide["Udvikling"]
    assert "Ældre borgere" in [s.title for s in user_pack.sections]
    assert "de ældre borgere" in user_pack.front.lead
    definitions = {d.indicator_id: dict(d.items) for g in user_pack.methods.groups
                   for d in g.definitions}  # fmt: skip
    assert definitions["prev_kol"]["Sygdomme i RUKS"] == "kronisk obstruktiv lungesygdom"
