"""The build date: what packs are dated, and what picks the area set in force."""

from __future__ import annotations

import datetime as dt
import os


def build_date() -> dt.date:
    """The date printed on packs: ``SOURCE_DATE_EPOCH`` if set (reproducible builds), else today."""
    pinned = pinned_build_date()
    return pinned if pinned is not None else dt.date.today()


def pinned_build_date() -> dt.date | None:
    """The date ``SOURCE_DATE_EPOCH`` pins, or None when it is not set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).date()
    return None
