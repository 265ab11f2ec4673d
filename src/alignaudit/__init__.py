"""alignaudit: measure whether a management team agrees on its foundations."""

from ._version import __version__

__all__ = ["__version__"]
