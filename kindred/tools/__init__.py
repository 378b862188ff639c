"""Checks anyone can run on the source tree: ``python -m kindred.tools.layers``."""
