"""Proposal files (YAML or JSON with a top-level `proposal` key): the body as blocks, the claims kept apart."""

from __future__ import annotations

from pathlib import Path

from send_align.errors import SendAlignError
from send_align.extract.common import BlockBuilder, blank_urls
from send_align.results import Claim, Document
from send_align.safeyaml import load_file


class NotAProposal(SendAlignError):
    """A YAML/JSON file without a `proposal` key: passed over in folders, an error when named."""


def _text_blocks(builder: BlockBuilder, text: str, line: int | None, block_scalar: bool) -> None:
    """Split a text field into paragraphs, keeping the file line of each where the YAML gave one."""
    first = (line + 1 if block_scalar else line) if line else None
    offset = 0
    for para in text.split("\n\n"):
        stripped = para.strip("\n")
        lead = len(para) - len(para.lstrip("\n"))
        if stripped.strip():
            at = first + text.count("\n", 0, offset + lead) if first else None
            builder.add(blank_urls(stripped), line=at, column=None if at is None else 1)
        offset += len(para) + 2


def extract(path: Path, shown: str) -> Document:
    from send_align.validation import validate_loaded

    loaded = load_file(path, shown)
    if not isinstance(loaded.data, dict) or "proposal" not in loaded.data:
        raise NotAProposal(
            "not a proposal file (no top-level 'proposal' key)",
            path=shown,
            hint="proposals start with 'proposal:'; strategy files go to --strategies",
        )
    problems = validate_loaded(loaded, "proposal")
    if problems:
        raise SendAlignError(problems)
    body = loaded.data["proposal"]
    builder = BlockBuilder()
    builder.heading(body["title"], line=loaded.line_of(("proposal", "title")))
    # Lines as YAML counts them (a line ends at LF, CR LF or CR), from the text the data was read from.
    raw_lines = loaded.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def is_block(line: int | None) -> bool:
        if not line or line > len(raw_lines):
            return False
        return raw_lines[line - 1].rstrip().endswith(("|", ">", "|-", ">-", "|+", ">+"))

    if body.get("summary"):
        builder.section = "Summary"
        ln = loaded.line_of(("proposal", "summary"))
        _text_blocks(builder, str(body["summary"]), ln, is_block(ln))
    for i, section in enumerate(body.get("sections") or []):
        if section.get("heading"):
            builder.heading(section["heading"], line=loaded.line_of(("proposal", "sections", i, "heading")))
        else:
            builder.section = None
        ln = loaded.line_of(("proposal", "sections", i, "text"))
        _text_blocks(builder, str(section["text"]), ln, is_block(ln))
    claims = tuple(
        Claim(c["aim"], c.get("how", ""), loaded.line_of(("proposal", "claims", k)))
        for k, c in enumerate(body.get("claims") or [])
    )
    return Document(
        path=shown, format="proposal", blocks=tuple(builder.blocks), title=body["title"], claims=claims
    )
