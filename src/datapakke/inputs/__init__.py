"""Inputs: the contract (schema), file readers (Parquet, CSV, SAS; Danish conventions),
the folder layout of an extract, and validation.

May import: geography, errors, files, numbers, paths.
"""
