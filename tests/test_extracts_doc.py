"""docs/data-contract.md is generated from the schema and the catalogue: the committed file
must be up to date, and say what each table feeds."""

from __future__ import annotations

from pathlib import Path

from datapakke.cli.docs import contract_text
from datapakke.engine.catalogue import load_catalogue
from datapakke.inputs.schema import TABLES

DOC = Path(__file__).resolve().parents[1] / "docs" / "data-contract.md"


def test_the_committed_contract_is_generated_from_the_schema() -> None:
    assert DOC.read_text(encoding="utf-8") == contract_text(), (
        "docs/data-contract.md is stale: run 'python -m datapakke.cli.docs docs/data-contract.md'"
    )


def test_the_contract_names_every_column_with_its_type() -> None:
    text = contract_text()
    for table in TABLES.values():
        assert f"### {table.name}" in text
        for column in table.columns:
            assert f"| `{column.name}` | {column.type_name} |" in text


def test_each_optional_table_lists_every_indicator_that_reads_it() -> None:
    # The overview table only: the register sections list file stems such as `kontakter`.
    overview = contract_text().split("## Tables", 1)[1].split("\n## ", 1)[0]
    rows = {
        line.split("|")[1].strip(): line for line in overview.splitlines() if line.startswith("| `")
    }
    catalogue = load_catalogue()
    # doedsfald feeds mortality, the three life expectancies and the 30-day readmissions
    # (alive 30 days after discharge); the hand-written list had only two of them.
    for indicator in (
        "doedelighed",
        "middellevetid_kvinder",
        "middellevetid_maend",
        "genindl_30d_65",
    ):
        assert f"`{indicator}`" in rows["`doedsfald`"]
    for table, ids in catalogue.indicators_by_table().items():
        if not TABLES[table].required:
            assert ids, table
            assert all(f"`{i}`" in rows[f"`{table}`"] for i in ids)
