"""Inputs: the contract (schema), file readers (Parquet, CSV, SAS; Danish conventions),
the folder layout of an extract, the registers as delivered (``registers/``), mapping
files, ``inspect``, and validation; ``Provenance`` says where each table came from.

May import: geography, errors, files, paths.
"""
