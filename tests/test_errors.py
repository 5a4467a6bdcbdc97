from __future__ import annotations

from voc.errors import BatchNotFoundError, InputError


def test_errors_input_error_names_file_row_and_field() -> None:
    error = InputError("exports/a.csv", "bad value", row=7, field="stars")
    assert str(error) == "exports/a.csv, row 7, field 'stars': bad value"


def test_errors_batch_not_found_lists_batches() -> None:
    assert "batches: 2026-09, 2026-10" in str(BatchNotFoundError("2026-11",
                                                                  ["2026-09", "2026-10"]))
