"""Typer commands beyond audit, one module each; cli.py registers them."""
