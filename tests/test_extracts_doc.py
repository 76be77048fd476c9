"""docs/data-contract.md is generated from the schema: the committed file must be up to date."""

from __future__ import annotations

from pathlib import Path

from datapakke.inputs.contract_doc import render_contract
from datapakke.inputs.schema import TABLES

DOC = Path(__file__).resolve().parents[1] / "docs" / "data-contract.md"


def test_the_committed_contract_is_generated_from_the_schema() -> None:
    assert DOC.read_text(encoding="utf-8") == render_contract(), (
        "docs/data-contract.md is stale: run "
        "'python -m datapakke.inputs.contract_doc docs/data-contract.md'"
    )


def test_the_contract_names_every_column_with_its_type() -> None:
    text = render_contract()
    for table in TABLES.values():
        assert f"### {table.name}" in text
        for column in table.columns:
            assert f"| `{column.name}` | {column.type_name} |" in text
