"""Entry point for `python -m send_align`."""

from send_align.cli import main

main()
