"""Compute: the catalogue and its kinds, code lists, statistics, one pass over the extract
to the IndicatorTable, disclosure control, and the export of that table.

May import: inputs, geography, errors, files, numbers, paths. ``stats`` and
``disclosure`` import nothing of the project but models.
"""
