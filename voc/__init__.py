"""voc: voice-of-customer text mining for monthly feedback batches (zh/en)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("voc")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+source"

__all__ = ["__version__"]
