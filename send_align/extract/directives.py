"""Inline directives: a document says an aim does not apply to it, and why.

    <!-- send-align: not-applicable dfe-ap.tailored-lists -- commissioned by the local authority -->

in Markdown or HTML (a comment, so readers never see it), or as a paragraph of its own in Word, PDF,
OpenDocument or text: `send-align: not-applicable ID -- reason`. An en or em dash stands for `--`
(word processors turn one into the other). A directive without a reason is bad input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from send_align.errors import SendAlignError
from send_align.results import Block, Exemption

DIRECTIVE = re.compile(r"^\s*send-align\s*:", re.I)
_EXEMPT = re.compile(
    r"^\s*send-align\s*:\s*not[- ]applicable\s+(?P<aim>[A-Za-z0-9_.*?\[\]-]+?)\s*(?:(?:--|—|–)\s*(?P<reason>.*?))?\s*$",
    re.I | re.S,
)
MIN_REASON = 3


def parse_directive(text: str, shown: str, line: int | None) -> Exemption:
    """The exemption a directive declares; SendAlignError naming the file and line when it is malformed."""
    # Runs of spaces folded to one first: they change nothing the pattern captures, and a long run would
    # give the pattern's neighbouring `\s*` a quadratic number of ways to share it.
    m = _EXEMPT.match(" ".join(text.split()))
    if not m:
        raise SendAlignError(
            "unknown send-align directive",
            path=shown,
            line=line,
            hint="write: send-align: not-applicable AIM_ID -- reason",
        )
    reason = " ".join((m.group("reason") or "").split())
    if len(reason) < MIN_REASON:
        raise SendAlignError(
            f"not-applicable {m.group('aim')} gives no reason",
            path=shown,
            line=line,
            hint="add one after '--': every exemption must say why",
        )
    return Exemption(m.group("aim"), reason, line)


class Directives:
    """Directives written as paragraphs, taken out of the blocks as they pass and kept as exemptions."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.found: list[Exemption] = []

    def taken_from(self, blocks: Iterable[Block]) -> Iterator[Block]:
        for block in blocks:
            if DIRECTIVE.match(block.text):
                self.found.append(parse_directive(block.text, self.shown, block.line))
            else:
                yield block
