"""Library errors. Each names what a person needs to fix it: the file, the row, the field.

The CLI turns any VocError into one line on stderr and a non-zero exit.
"""

from __future__ import annotations

from pathlib import Path


class VocError(Exception):
    """Base class of every error voc reports to a user."""


class ConfigError(VocError):
    """voc.toml is missing, unreadable or has an invalid value."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class InputError(VocError):
    """An input file cannot be read at all (not a single row)."""

    def __init__(self, path: Path | str, message: str, row: int | None = None,
                 field: str | None = None) -> None:
        self.path, self.row, self.field = path, row, field
        where = str(path)
        if row is not None:
            where += f", row {row}"
        if field is not None:
            where += f", field '{field}'"
        super().__init__(f"{where}: {message}")


class StoreError(VocError):
    """The DuckDB store cannot be opened or has an unexpected schema."""


class StoreLockedError(StoreError):
    """Another voc process holds the store; raised after waiting for it."""


class BatchNotFoundError(StoreError):
    def __init__(self, batch: str, available: list[str]) -> None:
        self.batch = batch
        known = ", ".join(available) if available else "none yet"
        super().__init__(f"batch '{batch}' is not in the store (batches: {known})")
