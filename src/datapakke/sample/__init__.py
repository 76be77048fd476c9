"""Synthetic Denmark: a deterministic, register-shaped extract of any size (no real persons).

May import: inputs, geography, engine.strata, errors, files.
"""
