"""From the area options to a geography and the areas to build.

The area set comes from the settings ``inddeling`` or ``geografi`` (a flag, a
DATAPAKKE_* variable or datapakke.toml) or from the areas named: ``--klynge`` names a
2022 cluster and ``--raad`` a 2027 council, so each brings its set. As for every
setting, a choice made on the command line beats one from the environment, which beats
the file; two different choices at the same level are a usage error. ``--omraade``,
``--kommune`` and ``--region`` use the chosen set, or the set in force on the build date.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from datapakke.cli.config import Configuration
from datapakke.cli.logs import CLI_LOGGER
from datapakke.errors import UsageError
from datapakke.run.settings import Settings

if TYPE_CHECKING:  # the geography is imported when a command runs, after its options
    from datapakke.geography import AreaKey, Geography

KLYNGER = "klynger-2022"
RAAD = "sundhedsraad-2027"
AREAS_PANEL = "Areas"

RaadOption = Annotated[
    list[str] | None,
    typer.Option("--raad", "-r", rich_help_panel=AREAS_PANEL, metavar="NAME",
                 help="A 2027 sundhedsråd by id or name, e.g. Horsens."),
]  # fmt: skip
KlyngeOption = Annotated[
    list[str] | None,
    typer.Option("--klynge", "-k", rich_help_panel=AREAS_PANEL, metavar="NAME",
                 help="A 2022-2026 cluster by id, name or alias, e.g. Horsensklyngen."),
]  # fmt: skip
OmraadeOption = Annotated[
    list[str] | None,
    typer.Option("--omraade", "-o", rich_help_panel=AREAS_PANEL, metavar="NAME",
                 help="An area of the chosen set (--inddeling, --geografi)."),
]  # fmt: skip
KommuneOption = Annotated[
    list[str] | None,
    typer.Option("--kommune", rich_help_panel=AREAS_PANEL, metavar="NAME",
                 help="A municipality by name or code, e.g. Odder: against its council (or "
                 "cluster), its region and the country."),
]  # fmt: skip
RegionOption = Annotated[
    list[str] | None,
    typer.Option("--region", rich_help_panel=AREAS_PANEL, metavar="NAME",
                 help="A region, e.g. Midtjylland: its councils (or clusters) side by side."),
]  # fmt: skip
AllOption = Annotated[
    bool,
    typer.Option("--all", help="Build the pack of every area of the set.",
                 rich_help_panel=AREAS_PANEL),
]  # fmt: skip

_RANK = {"flag": 0, "environment": 1, "file": 2}


@dataclass(frozen=True)
class AreaOptions:
    """The area options of one command, as given (names not yet looked up)."""

    klynger: tuple[str, ...] = ()
    raad: tuple[str, ...] = ()
    omraader: tuple[str, ...] = ()
    kommuner: tuple[str, ...] = ()
    regioner: tuple[str, ...] = ()
    all: bool = False

    @property
    def named(self) -> int:
        """How many areas the options name."""
        return sum(map(len, (self.klynger, self.raad, self.omraader, self.kommuner, self.regioner)))


def area_options(
    raad: list[str] | None = None,
    klynge: list[str] | None = None,
    kommune: list[str] | None = None,
    region: list[str] | None = None,
    omraade: list[str] | None = None,
    *,
    all_areas: bool = False,
) -> AreaOptions:
    """The options as Typer hands them over (None for an option not given)."""
    return AreaOptions(
        klynger=tuple(klynge or ()), raad=tuple(raad or ()), omraader=tuple(omraade or ()),
        kommuner=tuple(kommune or ()), regioner=tuple(region or ()), all=all_areas,
    )  # fmt: skip


def check_targets(options: AreaOptions) -> None:
    """Refuse a build that names no area, or areas and --all (before anything is loaded)."""
    if options.all and options.named:
        raise UsageError("Give areas to build, or --all, not both.")
    if not options.all and not options.named:
        raise UsageError(
            "Give an area to build: --raad NAME, --klynge NAME, --kommune NAME, --region NAME, "
            "--omraade NAME (each may be repeated), or --all.",
            hint="Run 'datapakke omraader' to list the areas.",
        )


def check_one(options: AreaOptions) -> None:
    """Refuse a command about one area (preview) that names none or several."""
    if options.named != 1:
        raise UsageError("Give exactly one area: --raad, --klynge, --kommune, --region or "
                         "--omraade NAME.")  # fmt: skip


@dataclass(frozen=True)
class _SetChoice:
    """One way the command chose an area set: its value, where it came from, how strong."""

    value: str | Path
    origin: str  # as the user wrote it: "--inddeling klynger-2022", "--klynge", ...
    rank: int  # 0: a flag, 1: the environment, 2: datapakke.toml


def area_set_choice(config: Configuration, options: AreaOptions) -> str | Path | None:
    """The area set the command chooses: a shipped set's id, a user's own set, or None (the
    set in force on the build date). Contradictions are usage errors, before any loading."""
    named = ((KLYNGER, "--klynge", options.klynger), (RAAD, "--raad", options.raad))
    named_sets = [_SetChoice(set_id, flag, 0) for set_id, flag, names in named if names]
    choices = list(named_sets)
    for key in ("inddeling", "geografi"):
        chosen = config.given(key)
        if chosen is not None and isinstance(chosen.value, str | Path):
            where = {"flag": f"{chosen.origin} {chosen.text}",
                     "environment": f"{chosen.origin}={chosen.text}",
                     "file": f"{chosen.origin} ({key} = {chosen.text})"}[chosen.source]  # fmt: skip
            choices.append(_SetChoice(chosen.value, where, _RANK[chosen.source]))
    if not choices:
        return None
    strongest = min(c.rank for c in choices)
    first, *others = [c for c in choices if c.rank == strongest]
    for other in others:
        if other.value != first.value:
            raise _contradiction(first, other)
    for choice in choices[len(named_sets) :]:  # a wrong id stops even where a flag wins
        if isinstance(choice.value, str):
            _check_shipped(choice)
    for weaker in (c for c in choices if c.rank > strongest and c.value != first.value):
        CLI_LOGGER.info("%s chooses the area set; %s is not used.", first.origin, weaker.origin)
    return first.value


def _contradiction(first: _SetChoice, other: _SetChoice) -> UsageError:
    origins = {first.origin, other.origin}
    if origins == {"--klynge", "--raad"}:
        return UsageError(
            "--klynge names a 2022 cluster and --raad a 2027 council: build them in two runs."
        )
    named = next((c for c in (first, other) if c.origin in ("--klynge", "--raad")), None)
    if named is not None:
        chosen = other if named is first else first
        return UsageError(
            f"{named.origin} names an area of {named.value}, but {chosen.origin} chooses "
            "another area set.",
            hint="Use --omraade NAME for an area of the set you chose.",
        )
    return UsageError(
        f"{first.origin} and {other.origin} choose different area sets: give one.",
        hint="--inddeling names a shipped set, --geografi a set of your own.",
    )


def _check_shipped(choice: _SetChoice) -> None:
    from datapakke.geography import shipped_area_sets

    shipped = shipped_area_sets()
    if choice.value not in shipped:
        raise UsageError(
            f"{choice.origin}: there is no area set called '{choice.value}'.",
            hint=f"Use one of: {', '.join(shipped)}, or --geografi DIR|FILE for your own.",
        )


def chosen_settings(config: Configuration, options: AreaOptions | None = None) -> Settings:
    """The command's settings, with the area set it chose in ``inddeling`` or ``geografi``
    (the one ``--klynge`` or ``--raad`` brings, if they win); area options are checked first."""
    area_set = area_set_choice(config, options or AreaOptions())
    settings = config.settings()
    return dataclasses.replace(
        settings,
        inddeling=area_set if isinstance(area_set, str) else None,
        geografi=area_set if isinstance(area_set, Path) else None,
    )


def geography_of(settings: Settings) -> Geography:
    """The geography of the settings' area set (neither: the set in force on the build date)."""
    from datapakke.geography import load_geography

    return load_geography(settings.geografi or settings.inddeling)


def chosen_areas(options: AreaOptions, geography: Geography) -> list[AreaKey]:
    """The areas to build, in the order given, each once; every area of the set with --all.
    An unknown name stops the command (UnknownAreaError)."""
    if options.all:
        return [geography.key_of(a) for a in geography.areas.values()]
    keys = [geography.key_of(geography.find_area(name))
            for name in (*options.klynger, *options.raad, *options.omraader)]  # fmt: skip
    keys += [geography.key_of(geography.find_kommune(name)) for name in options.kommuner]
    keys += [geography.key_of(geography.find_region(name)) for name in options.regioner]
    return list(dict.fromkeys(keys))
