from __future__ import annotations

import pandas as pd
from rich.console import Console

from voc.cli_render import table_from_frame


def test_cli_render_table_formats_numbers_and_blanks() -> None:
    frame = pd.DataFrame({"name": ["a", None], "count": [1234, 5], "share": [0.5, float("nan")]})
    console = Console(width=100, record=True)
    console.print(table_from_frame(frame, "T"))
    text = console.export_text()
    assert "1,234" in text and "0.50" in text and "nan" not in text.lower()
