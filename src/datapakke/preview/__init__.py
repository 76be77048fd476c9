"""The local preview server: the pack as live HTML that reloads when its sources change.

May import: everything but cli.
"""
