"""The Pack model for one cluster and how it is built from the computed results."""

from datapakke.pack.build import build_pack
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
