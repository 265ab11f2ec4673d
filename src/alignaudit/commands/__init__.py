"""Sub-commands kept out of cli.py: each module defines a Typer app or a command function
that cli.py registers in one line, and imports its heavy parts only when it runs."""
