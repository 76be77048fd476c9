"""Run builds: one pack or a batch (compute once, render in worker processes), the
manifest, the output-folder lock and progress reports.

May import: everything but cli and preview.
"""
