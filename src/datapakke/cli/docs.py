"""Write the generated reference: ``python -m datapakke.cli.docs docs/data-contract.md``.

The input contract comes from the schema; which indicators each table feeds from
the bundled catalogue.
"""

from __future__ import annotations

import sys
from pathlib import Path

from datapakke.engine.catalogue import load_catalogue
from datapakke.inputs.contract_doc import render_contract


def contract_text() -> str:
    """The text of ``docs/data-contract.md`` for the bundled catalogue."""
    return render_contract(load_catalogue().indicators_by_table())


def main(argv: list[str]) -> None:
    """Write the contract to the path given (or print it)."""
    text = contract_text()
    if argv:
        Path(argv[0]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main(sys.argv[1:])
