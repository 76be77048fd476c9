"""From the area options to a geography and the areas to build.

``--klynge`` names a 2022 cluster and ``--raad`` a 2027 council, so each brings its
set; ``--omraade``, ``--kommune`` and ``--region`` use the set of ``--inddeling`` or
``--geografi``, or the set in force on the build date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from datapakke.errors import InputError

if TYPE_CHECKING:  # the geography is imported when a command runs, after its options
    from datapakke.geography import AreaKey, Geography

KLYNGER = "klynger-2022"
RAAD = "sundhedsraad-2027"


@dataclass(frozen=True)
class AreaOptions:
    """The area options of one command, as given (names not yet looked up)."""

    inddeling: str | None = None
    geografi: Path | None = None
    klynger: Sequence[str] = ()
    raad: Sequence[str] = ()
    omraader: Sequence[str] = ()
    kommuner: Sequence[str] = ()
    regioner: Sequence[str] = ()
    all: bool = False

    @property
    def named(self) -> int:
        """How many areas the options name."""
        return sum(map(len, (self.klynger, self.raad, self.omraader, self.kommuner, self.regioner)))


def area_options(
    inddeling: str | None = None,
    geografi: Path | None = None,
    klynge: list[str] | None = None,
    raad: list[str] | None = None,
    omraade: list[str] | None = None,
    kommune: list[str] | None = None,
    region: list[str] | None = None,
    *,
    all_areas: bool = False,
) -> AreaOptions:
    """The options as Typer hands them over (None for an option not given)."""
    return AreaOptions(
        inddeling, geografi, tuple(klynge or ()), tuple(raad or ()), tuple(omraade or ()),
        tuple(kommune or ()), tuple(region or ()), all_areas,
    )  # fmt: skip


def check_targets(options: AreaOptions) -> None:
    """Refuse a command that names no area, or areas and --all (before anything is loaded)."""
    if options.all and options.named:
        raise InputError("Give areas to build, or --all, not both.")
    if not options.all and not options.named:
        raise InputError(
            "Give an area to build: --raad NAME, --klynge NAME, --kommune NAME, --region NAME, "
            "--omraade NAME, or --all.",
            hint="Run 'datapakke omraader' to list the areas.",
        )


def chosen_geography(options: AreaOptions) -> Geography:
    """The geography the options choose (checked for contradictions first)."""
    _check_sets(options)
    from datapakke.geography import load_geography

    implied = _implied(options)
    if implied:
        return load_geography(implied)
    if options.geografi is not None:
        return load_geography(options.geografi)
    return load_geography(options.inddeling)  # None: the set in force on the build date


def _implied(options: AreaOptions) -> str | None:
    """The set that --klynge or --raad brings."""
    return KLYNGER if options.klynger else RAAD if options.raad else None


def _check_sets(options: AreaOptions) -> None:
    if options.inddeling is not None and options.geografi is not None:
        raise InputError("Give --inddeling or --geografi, not both.")
    implied = {s for s, names in ((KLYNGER, options.klynger), (RAAD, options.raad)) if names}
    if len(implied) > 1:
        raise InputError(
            "--klynge names a 2022 cluster and --raad a 2027 council: build them in two runs."
        )
    chosen = options.inddeling or (str(options.geografi) if options.geografi else None)
    if implied and chosen is not None and implied != {chosen}:
        option = "--klynge" if KLYNGER in implied else "--raad"
        raise InputError(
            f"{option} names an area of {next(iter(implied))}, not of {chosen}.",
            hint="Use --omraade NAME for an area of the set you chose.",
        )


def chosen_areas(options: AreaOptions, geography: Geography) -> list[AreaKey]:
    """The areas to build, in the order given; every area of the set with ``--all``."""
    check_targets(options)
    if options.all:
        return [geography.key_of(a) for a in geography.areas.values()]
    keys: list[AreaKey] = []
    for name in (*options.klynger, *options.raad, *options.omraader):
        keys.append(geography.key_of(geography.find_area(name)))
    keys += [geography.key_of(geography.find_kommune(name)) for name in options.kommuner]
    keys += [geography.key_of(geography.find_region(name)) for name in options.regioner]
    return list(dict.fromkeys(keys))  # the same area twice is built once


def one_area(options: AreaOptions) -> tuple[Geography, AreaKey]:
    """The geography and the single area a command (preview) is about."""
    if options.all or options.named != 1:
        raise InputError(
            "Give exactly one area: --raad, --klynge, --kommune, --region or --omraade NAME."
        )
    geography = chosen_geography(options)
    return geography, chosen_areas(options, geography)[0]
