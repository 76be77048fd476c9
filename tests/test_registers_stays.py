"""The vectorised chaining against the plain loop, on any contacts hypothesis can think of."""

from __future__ import annotations

import datetime as dt

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from datapakke.inputs.registers.stays import chain_stays
from tests.registers.reference import chained

BASE = dt.datetime(2023, 12, 30)

contact = st.tuples(
    st.sampled_from(["P1", "P2", "P3"]),
    st.sampled_from(["somatik", "psykiatri"]),
    st.integers(0, 6 * 24 * 60),  # start: minutes after BASE (across New Year)
    st.integers(0, 30 * 60),  # length in minutes, 0 to 30 hours
    st.sampled_from(["akut", "planlagt"]),
    st.sampled_from(["DJ189", "DF200", "DS720"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(contact, min_size=1, max_size=40))
def test_chaining_matches_the_plain_loop(
    contacts: list[tuple[str, str, int, int, str, str]],
) -> None:
    rows = [
        {
            "pnr": pnr,
            "omraade": area,
            "kontakt": f"K{n:03d}",
            "start": BASE + dt.timedelta(minutes=start),
            "slut": BASE + dt.timedelta(minutes=start + length),
            "prioritet": priority,
            "aktionsdiagnose": diagnosis,
        }
        for n, (pnr, area, start, length, priority, diagnosis) in enumerate(contacts)
    ]
    frame = pl.LazyFrame(
        rows, schema_overrides={"start": pl.Datetime("us"), "slut": pl.Datetime("us")}
    )
    stays = chain_stays(frame, gap_hours=4, admission_hours=12).collect()
    columns = ["pnr", "start", "slut", "omraade", "prioritet", "kontakttype", "aktionsdiagnose"]
    assert sorted(stays.select(columns).iter_rows()) == chained(rows)
    assert stays["__contacts"].sum() == len(rows)
