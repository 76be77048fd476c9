"""The Pack model for one cluster and how it is built from the computed results."""

from datapakke.pack.build import build_pack
from datapakke.pack.model import DataTable, Figure, FrontPage, Pack, Section, TableColumn

__all__ = ["DataTable", "Figure", "FrontPage", "Pack", "Section", "TableColumn", "build_pack"]
