"""SKS and ATC code syntax: the contract's patterns and the catalogue's code lists.

A leaf (imports nothing of the project): the input contract checks register
values against the patterns, and the catalogue's parameters expand their code
lists here, so neither has to import the other.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

# SKS diagnosis: 'D', the ICD-10 chapter letter, two digits, then optional sub-codes.
SKS_DIAGNOSIS: Final = r"^D[A-Z][0-9]{2}[0-9A-Z]{0,4}$"
# ATC levels 1-5: A, A10, A10B, A10BA, A10BA02.
ATC_CODE: Final = r"^[A-Z]([0-9]{2}([A-Z]([A-Z]([0-9]{2})?)?)?)?$"

# A catalogue code list entry: an SKS prefix (DJ189, DC) or a range of two-digit codes.
_PREFIX = re.compile(r"^D[A-Z][0-9A-Z]*$")
_RANGE = re.compile(r"^(D[A-Z])(\d{2})-(D[A-Z])(\d{2})$")


def expand_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """Expand SKS code prefixes and ranges: ``["DJ12-DJ14", "DE86"]`` -> DJ12, DJ13, DJ14, DE86.

    Raises ValueError on a malformed code or range.
    """
    expanded: list[str] = []
    for code in codes:
        text = code.strip().upper()
        if match := _RANGE.match(text):
            start_letters, start, end_letters, end = match.groups()
            if start_letters != end_letters or int(end) < int(start):
                raise ValueError(f"bad code range '{code}'")
            expanded += [f"{start_letters}{n:02d}" for n in range(int(start), int(end) + 1)]
        elif _PREFIX.match(text):
            expanded.append(text)
        else:
            raise ValueError(
                f"bad SKS code '{code}' (expected e.g. 'DJ189', or a range like 'DJ12-DJ18')"
            )
    return tuple(dict.fromkeys(expanded))
