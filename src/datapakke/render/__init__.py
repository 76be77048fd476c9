"""Render a Pack: charts (matplotlib SVG), HTML (Jinja2), PDF (WeasyPrint), the workbook.

May import: pack, files, numbers, paths, errors. Nothing imports render but run and preview.
Import the submodules (``html``, ``pdf``, ``charts``, ``workbook``): this package
loads nothing heavy by itself.
"""
