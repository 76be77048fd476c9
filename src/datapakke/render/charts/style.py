"""The house style: colours, line styles and the matplotlib style file, shared by every chart.

Colours are safe for colour-blind readers (Okabe-Ito and ColorBrewer hues) and
never carry meaning alone: comparisons are also written as words beside the
bars, and lines also differ by marker and dash.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from typing import Any, cast

import matplotlib as mpl

from datapakke.paths import DATA_DIR

mpl.use("Agg")

STYLE_FILE = DATA_DIR / "datapakke.mplstyle"

# The comparison with the country (methods.md): blue better, orange worse, grey similar,
# dark purple higher and light purple lower when there is no better or worse, white
# (hatched) when not compared.
COMPARISON_COLOURS: dict[str, str] = {
    "better": "#0072B2",
    "worse": "#E69F00",
    "similar": "#BDBDBD",
    "higher": "#5E3C99",
    "lower": "#B2ABD2",
    "not_compared": "#FFFFFF",
}
NOT_COMPARED_HATCH = "////"
INK = "#1A1A1A"
MUTED = "#595959"
WHISKER = "#262626"

# Areas in line charts; neutral bars (no comparison) in slate so they never read as a verdict.
CLUSTER_BLUE = "#08519C"
REGION_GREY = "#6B6B6B"
COUNTRY_BLACK = "#000000"
NEUTRAL_CLUSTER = "#2F3E4E"
NEUTRAL_KOMMUNE = "#8FA3B5"
# Men and women in one teal at two lightnesses: never a comparison colour (a sex is no
# verdict), told apart by lightness (safe for colour-blind readers) and by side and label.
MEN_COLOUR = "#1B6B66"
WOMEN_COLOUR = "#7FC4BD"
WOMEN_TEXT = "#2E7D76"  # darker teal: readable as text on white

SERIES_STYLES: dict[str, dict[str, Any]] = {
    "cluster": {"color": CLUSTER_BLUE, "marker": "o", "linestyle": "-", "linewidth": 2.0},
    "kommune": {"color": NEUTRAL_KOMMUNE, "marker": "D", "linestyle": "-", "linewidth": 1.0},
    "region": {"color": REGION_GREY, "marker": "s", "linestyle": "--", "linewidth": 1.4},
    "country": {"color": COUNTRY_BLACK, "marker": "^", "linestyle": ":", "linewidth": 1.5},
}
REFERENCE_STYLES: dict[str, dict[str, Any]] = {
    "region": {"color": REGION_GREY, "linestyle": "--", "linewidth": 1.2},
    "country": {"color": COUNTRY_BLACK, "linestyle": ":", "linewidth": 1.4},
}
BAR_COLOURS: dict[str, str] = {"cluster": NEUTRAL_CLUSTER, "kommune": NEUTRAL_KOMMUNE}

# Page geometry: A4 text width at 17 mm margins (6.93 in), and the two columns of an
# indicator block (comparison chart and trend chart side by side).
FULL_WIDTH = 6.9
WIDE_WIDTH = 4.5
NARROW_WIDTH = 2.3


@cache
def _style() -> dict[str, Any]:
    """The style file's settings, read once per process."""
    params: Any = mpl.rc_params_from_file(str(STYLE_FILE), use_default_template=False)
    return dict(params)


# Whether a house_style block is open: the blocks inside it change nothing.
_applied: ContextVar[bool] = ContextVar("house_style_applied", default=False)


@contextmanager
def house_style() -> Iterator[None]:
    """Apply the house style to the charts drawn inside the block.

    A pack draws its charts in one block: setting and restoring every setting took about
    1 ms a chart (0.07 CPU-s of a full pack's 1.4), and a chart's drawing changes none of them.
    """
    if _applied.get():
        yield
        return
    with mpl.rc_context(cast(Any, _style())):
        token = _applied.set(True)
        try:
            yield
        finally:
            _applied.reset(token)
