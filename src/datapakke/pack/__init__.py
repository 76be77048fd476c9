"""The Pack model for one area: frozen dataclasses (and chart specs) built from the results.

May import: engine, geography, numbers. Knows nothing of matplotlib, Jinja or WeasyPrint.
"""

from datapakke.pack.assemble import build_pack
from datapakke.pack.model import (
    DataTable,
    Figure,
    FrontPage,
    IndicatorBlock,
    KeyFigures,
    Matrix,
    Message,
    MessageGroup,
    Methods,
    Pack,
    Section,
    TableColumn,
)

__all__ = [
    "DataTable",
    "Figure",
    "FrontPage",
    "IndicatorBlock",
    "KeyFigures",
    "Matrix",
    "Message",
    "MessageGroup",
    "Methods",
    "Pack",
    "Section",
    "TableColumn",
    "build_pack",
]
