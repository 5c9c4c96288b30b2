"""The report formats through the real CLI."""
