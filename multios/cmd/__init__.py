"""Command-line entry points of MultiOS."""
