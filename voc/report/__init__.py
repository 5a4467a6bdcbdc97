"""The issue report: HTML, Markdown and XLSX views of one batch in the store."""
