"""The indicator catalogue: a TOML data file, validated into frozen models when loaded.

The catalogue says *what* each indicator is (titles, theme, method, unit,
polarity, population group, code lists); the engine's registry of kinds says
*how* each kind is computed and validates the kind-specific ``params``.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from datapakke.engine.params import Params
from datapakke.engine.registry import KINDS
from datapakke.errors import InputError
from datapakke.inputs.schema import SYGDOMME, TABLES
from datapakke.paths import DATA_DIR

CATALOGUE_FILE = DATA_DIR / "catalogue.toml"

Method = Literal[
    "count",
    "share_full",
    "change",
    "share",
    "rate_standardised",
    "rate_crude",
    "life_expectancy",
    "survey",
]
Unit = Literal["persons", "percent", "per_1000", "years"]
Polarity = Literal["lower_better", "higher_better", "none"]

# Methods whose counts come from health registers and pass disclosure control (counts and
# shares of the population register are public; life expectancy publishes no count).
GUARDED_METHODS: frozenset[str] = frozenset({"share", "rate_standardised", "rate_crude"})
# Methods whose values carry sampling uncertainty (and can be compared with the country).
SAMPLED_METHODS: frozenset[str] = frozenset(
    {"share", "rate_standardised", "rate_crude", "life_expectancy", "survey"}
)
# Methods whose values do not depend on the areas' age and sex structure (direct
# standardisation; a life table summarises age-specific rates).
AGE_ADJUSTED_METHODS: frozenset[str] = frozenset({"rate_standardised", "life_expectancy"})
# How each method is described to a reader; {level} is the confidence level ("95 %").
METHOD_LABELS: Mapping[str, str] = {
    "count": "Optælling",
    "share_full": "Andel (hel optælling, ingen usikkerhed)",
    "change": "Ændring i procent",
    "share": "Andel med {level}-konfidensinterval (Wilson)",
    "rate_standardised": "Direkte køns- og aldersstandardiseret rate med {level}-konfidensinterval "
    "(Dobson)",
    "rate_crude": "Ustandardiseret rate med {level}-konfidensinterval (eksakt Poisson under 10 "
    "hændelser, ellers Byar)",
    "life_expectancy": "Forkortet dødelighedstavle (Chiang II) med {level}-konfidensinterval",
    "survey": "Andel fra en spørgeskemaundersøgelse, med det {level}-konfidensinterval, "
    "udgiveren har beregnet",
}


def method_label(method: str, level_text: str) -> str:
    """The reader's description of ``method`` at confidence level ``level_text`` ("95 %")."""
    return METHOD_LABELS[method].format(level=level_text)


# The factor k of a value in each unit: a count x / n is reported as k * x / n.
UNIT_MULTIPLIERS: Mapping[str, float] = {
    "persons": 1.0,
    "percent": 100.0,
    "per_1000": 1000.0,
    "years": 1.0,
}
POLARITY_LABELS: Mapping[str, str] = {
    "lower_better": "Lavere er bedre",
    "higher_better": "Højere er bedre",
    "none": "Ingen vurdering (højere/lavere)",
}


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Theme(_Model):
    """A chapter of the pack; ``subject`` names it in running text ("de sårbare ældre")."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(min_length=1)
    intro: str = ""
    subject: str = ""


PhraseKind = Literal["count", "prevalence", "share", "level", "length"]


class Phrase(_Model):
    """How a generated Danish sentence names an indicator (the pack words the sentence).

    ``kind`` picks the comparative: ``count`` "flere/færre {noun}", ``prevalence`` "en
    højere/lavere forekomst af {noun}", ``share`` "en højere/lavere andel {noun}",
    ``level`` "en højere/lavere {noun}", ``length`` "en længere/kortere {noun}".
    ``subject`` opens a sentence about the trend (needed for ``level`` and ``length``,
    derived for the others); ``counted`` names what the numerator counts, printed beside
    the rate ("115 borgere med demens").
    """

    kind: PhraseKind
    noun: str = Field(min_length=1)
    subject: str = ""
    counted: str = ""

    @model_validator(mode="after")
    def _subject_when_needed(self) -> Phrase:
        if self.kind in ("level", "length") and not self.subject:
            raise ValueError(f"subject: a phrase of kind '{self.kind}' needs its subject")
        return self


class Indicator(_Model):
    """One indicator of the catalogue."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    title: str = Field(min_length=1)
    short_title: str = ""
    theme: str
    kind: str = Field(min_length=1)
    method: Method
    unit: Unit
    polarity: Polarity
    decimals: int = Field(default=1, ge=0, le=3)
    headline: bool = False
    age_min: int | None = Field(default=None, ge=0, le=120)
    age_max: int | None = Field(default=None, ge=0, le=120)
    sex: Literal["M", "K"] | None = None
    tables: tuple[str, ...] = Field(min_length=1)
    definition: str = Field(min_length=1)
    source: str = Field(min_length=1)
    params: dict[str, Any] = Field(default_factory=dict)
    phrase: Phrase | None = None
    narrow_age_group: bool = False
    # Years pooled into one figure per area beside the single years (None: no pooled
    # figure), for municipalities whose single-year values are too small to publish.
    pool_small_areas: int | None = Field(default=None, ge=2, le=10)

    @model_validator(mode="after")
    def _check(self) -> Indicator:
        unknown = [t for t in self.tables if t not in TABLES]
        if unknown:
            raise ValueError(f"unknown table(s) {unknown}; known: {list(TABLES)}")
        if self.age_min is not None and self.age_max is not None and self.age_max < self.age_min:
            raise ValueError("age_max is below age_min")
        if self.kind not in KINDS:
            raise ValueError(f"kind: unknown kind '{self.kind}' (known: {', '.join(KINDS)})")
        spec = KINDS[self.kind]
        if self.method not in spec.methods:
            allowed = ", ".join(sorted(spec.methods))
            raise ValueError(
                f"method: kind '{self.kind}' is computed as {allowed}, not {self.method}"
            )
        try:
            settings = spec.params.model_validate(self.params)
        except ValidationError as error:
            problems = [
                f"params.{'.'.join(str(p) for p in e['loc'])}: "
                + str(e["msg"]).removeprefix("Value error, ")
                if e["loc"]
                else "params: " + str(e["msg"]).removeprefix("Value error, ")
                for e in error.errors()
            ]
            raise ValueError("; ".join(problems)) from None
        if self.narrow_age_group and (
            self.method not in SAMPLED_METHODS or self.method in AGE_ADJUSTED_METHODS
        ):
            raise ValueError(
                "narrow_age_group: only for a crude share or rate (a standardised rate and "
                "life expectancy are age-adjusted anyway; counts are not compared)"
            )
        if self.pool_small_areas is not None and self.method not in GUARDED_METHODS:
            raise ValueError(
                "pool_small_areas: only for a share or rate of register counts (life "
                "expectancy pools its years anyway; population counts are never hidden)"
            )
        needed = spec.tables | settings.extra_tables()
        if not needed <= set(self.tables):
            missing = ", ".join(sorted(needed - set(self.tables)))
            raise ValueError(f"tables: kind '{self.kind}' with these params also reads {missing}")
        return self

    @property
    def settings(self) -> Params:
        """The kind-specific ``params``, validated into the kind's model."""
        return KINDS[self.kind].params.model_validate(self.params)

    @property
    def series(self) -> str | None:
        """The ``indikator`` of the aggregate rows it reads, or None (registers only)."""
        return self.settings.series(self.id)

    @property
    def multiplier(self) -> float:
        """The factor k of the unit (1,000 for per 1,000, 100 for per cent, else 1)."""
        return UNIT_MULTIPLIERS[self.unit]

    @property
    def display_title(self) -> str:
        """The short title if there is one, else the title."""
        return self.short_title or self.title

    @property
    def age_adjusted(self) -> bool:
        """Whether the values are free of the areas' age and sex structure."""
        return self.method in AGE_ADJUSTED_METHODS

    @property
    def compared(self) -> bool:
        """Whether values are tested against the country (colour, word, key message).

        Only a sampled value that is age-adjusted, or crude over a group the catalogue
        declares narrow enough in age (``narrow_age_group``): a crude share of all adults
        would differ between areas by their age structure alone. Full counts never.
        Published survey estimates are compared by their intervals as their publisher
        compares them (Den Nationale Sundhedsprofil), and marked as not age-adjusted.
        """
        if self.method == "survey":
            return True
        return self.method in SAMPLED_METHODS and (self.age_adjusted or self.narrow_age_group)

    @property
    def age_group(self) -> str | None:
        """The population group in Danish, e.g. '65+ år', '0-17 år'; None for all ages."""
        if self.age_min in (None, 0) and self.age_max is None:
            return None
        if self.age_max is None:
            return f"{self.age_min}+ år"
        return f"{self.age_min or 0}-{self.age_max} år"


class Relation(_Model):
    """A relation between numerators the engine cannot derive (``[[relation]]``).

    ``parts`` count disjoint subsets of what ``whole`` counts; ``exact``: they add up
    to it, else the rest is a count nobody publishes. Disclosure control protects
    relations the engine derives itself (age and sex groups, code and disease lists of
    the same kind) without being told.
    """

    whole: str
    parts: tuple[str, ...] = Field(min_length=1)
    exact: bool = False


class Catalogue(_Model):
    """Every theme and indicator, in the order the pack shows them, and declared relations.

    ``disease_names`` gives the Danish name of every RUKS disease an indicator uses.
    """

    version: str
    themes: tuple[Theme, ...] = Field(min_length=1)
    indicators: tuple[Indicator, ...] = Field(min_length=1)
    relations: tuple[Relation, ...] = ()
    disease_names: dict[str, str] = Field(default_factory=dict)
    sha256: str = ""

    @model_validator(mode="after")
    def _check(self) -> Catalogue:
        theme_ids = [t.id for t in self.themes]
        problems = [
            f"{i.id}: theme: unknown theme '{i.theme}' (known: {', '.join(theme_ids)})"
            for i in self.indicators
            if i.theme not in theme_ids
        ]
        seen: set[str] = set()
        for indicator in self.indicators:
            if indicator.id in seen:
                problems.append(f"{indicator.id}: id: used by more than one indicator")
            seen.add(indicator.id)
        methods = {i.id: i.method for i in self.indicators}
        for relation in self.relations:
            named = (relation.whole, *relation.parts)
            unknown = [n for n in named if n not in methods]
            if unknown:
                problems.append(f"relation: unknown indicator(s) {', '.join(unknown)}")
            elif relation.whole in relation.parts or len(set(named)) < len(named):
                problems.append(f"relation {relation.whole}: an indicator is named twice")
            elif any(methods[n] not in GUARDED_METHODS for n in named):
                problems.append(
                    f"relation {relation.whole}: population counts and life expectancy "
                    "publish no count to relate"
                )
        problems += [
            f"disease_names: unknown disease '{d}' (known: {', '.join(SYGDOMME)})"
            for d in self.disease_names
            if d not in SYGDOMME
        ]
        problems += [
            f"{i.id}: params.diseases: no Danish name for '{d}' in [disease_names]"
            for i in self.indicators
            for d in i.params.get("diseases", ())
            if d in SYGDOMME and d not in self.disease_names
        ]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def with_sources(self, sources: Mapping[str, str]) -> Catalogue:
        """The catalogue with each indicator of ``sources`` citing that source instead: what
        the data say they come from (an aggregate file's ``kilde``) beats what the catalogue
        expects."""
        indicators = tuple(
            i.model_copy(update={"source": sources[i.id]}) if i.id in sources else i
            for i in self.indicators
        )
        return self.model_copy(update={"indicators": indicators})

    def get(self, indicator_id: str) -> Indicator:
        """The indicator with this id."""
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    def in_theme(self, theme_id: str) -> tuple[Indicator, ...]:
        """The indicators of one theme, in catalogue order."""
        return tuple(i for i in self.indicators if i.theme == theme_id)

    def indicators_by_table(self) -> dict[str, tuple[str, ...]]:
        """Per register table, the ids of the indicators that need it (what it costs missing)."""
        return {
            table: tuple(i.id for i in self.indicators if table in i.tables) for table in TABLES
        }

    def indicators_by_series(self) -> dict[str, tuple[str, ...]]:
        """Per series of aggregate rows, the ids of the indicators that read it."""
        found: dict[str, tuple[str, ...]] = {}
        for indicator in self.indicators:
            if (series := indicator.series) is not None:
                found[series] = (*found.get(series, ()), indicator.id)
        return found

    def theme(self, theme_id: str) -> Theme:
        """The theme with this id."""
        return next(t for t in self.themes if t.id == theme_id)


def load_catalogue(path: Path | None = None) -> Catalogue:
    """Load and validate the catalogue (default: the bundled one)."""
    return _bundled() if path is None else _load(path)


@cache
def _bundled() -> Catalogue:
    return _load(CATALOGUE_FILE)


# The top-level keys a catalogue file may have; anything else is a typo, never ignored.
CATALOGUE_SECTIONS = frozenset({"version", "theme", "indicator", "disease_names", "relation"})


def _load(path: Path) -> Catalogue:
    try:
        raw = path.read_bytes()
        document = tomllib.loads(raw.decode("utf-8"))
    except OSError as error:
        raise InputError(
            f"{path}: cannot read the catalogue ({error.strerror or error})."
        ) from error
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InputError(
            f"{path}: not a valid TOML file: {error}",
            hint="Check quotes and brackets near the line given.",
        ) from error
    unknown = sorted(set(document) - CATALOGUE_SECTIONS)
    if unknown:
        raise InputError(
            f"{path}: unknown top-level key(s) in the catalogue: {', '.join(unknown)}.",
            hint="The catalogue knows "
            + ", ".join(sorted(CATALOGUE_SECTIONS))
            + " (an indicator is a [[indicator]] table, a theme a [[theme]] table).",
        )
    data = {
        "version": document.get("version", ""),
        "themes": document.get("theme", []),
        "indicators": document.get("indicator", []),
        "relations": document.get("relation", []),
        "disease_names": document.get("disease_names", {}),
        "sha256": hashlib.sha256(raw).hexdigest(),
    }
    try:
        return Catalogue.model_validate(data)
    except ValidationError as error:
        raise InputError(
            f"{path}: the catalogue is not valid:\n" + "\n".join(_describe(error, data)),
            hint="Correct the catalogue file; see the comments at its top for the fields.",
        ) from error


def _describe(error: ValidationError, data: Mapping[str, Any]) -> list[str]:
    """One ``indicator-id: field: message`` line per problem."""
    lines = []
    for problem in error.errors():
        location = list(problem["loc"])
        prefix = ""
        if len(location) >= 2 and location[0] in ("indicators", "themes"):
            entries = data[str(location[0])]
            index = location[1]
            entry_id = (
                entries[index].get("id", f"#{index + 1}")
                if isinstance(index, int) and index < len(entries)
                else f"#{index}"
            )
            prefix = f"{entry_id}: "
            location = location[2:]
        field = ".".join(str(part) for part in location)
        message = str(problem["msg"]).removeprefix("Value error, ")
        lines.append(f"{prefix}{field + ': ' if field else ''}{message}")
    return lines
