"""Sentences of a block of text, and a sentence quoted as evidence: pure text functions that the matcher, the
genres and the learned models share."""

from __future__ import annotations

import re

# A quoted sentence is cut around its hit beyond this many characters.
SNIPPET_CHARS = 300

# A full stop ends a sentence, except after the abbreviations that introduce examples or name people and
# places ("e.g. Speech and language therapists", "Dr. Patel", "St. Mary's").
_SENTENCE_END = re.compile(
    # (The stop is matched first and the abbreviations looked behind it: a pattern that starts with look-behinds
    # is tried at every character, several times slower. Every branch starts with the one character class, so
    # the engine skips to those characters rather than trying the branches at each.)
    r"[.!?\n](?:"
    r"(?<=[.!?])(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bE\.g\.)(?<!\bI\.e\.)(?<!\beg\.)(?<!\bie\.)(?<!\bDr\.)(?<!\bMr\.)"
    r"(?<!\bMrs\.)(?<!\bMs\.)(?<!\bSt\.)[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9•●▪◦■♦➢➤►✓✔])"
    r"|(?<=\n)[ \t]*\n"
    r"|(?<=\n)(?=[ \t]*(?:[-•*▪◦●]|\(?[a-z0-9]{1,3}[.)])\s)"
    r")"
)


def split_sentences(text: str) -> list[int]:
    """Start offsets of the sentences (and list items) of a block."""
    starts = [0]
    for m in _SENTENCE_END.finditer(text):
        if m.end() < len(text):
            starts.append(m.end())
    return starts


def snippet(text: str, start: int, end: int, limit: int = SNIPPET_CHARS) -> str:
    """The sentence as it stands, white space folded, cut around the hit when long."""
    piece = " ".join(text.split())
    if len(piece) <= limit:
        return piece
    lead = len(" ".join(text[:start].split()))
    lo = max(0, min(lead - limit // 3, len(piece) - limit))
    out = piece[lo : lo + limit]
    return ("…" if lo else "") + out.strip() + ("…" if lo + limit < len(piece) else "")
