"""`python -m voc` runs the CLI."""

from voc.cli import app

app(prog_name="voc")
