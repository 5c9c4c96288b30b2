"""How a rule's phrase becomes word keys: words, determiners skipped, hyphens spaced and joined, acronyms exact.

A phrase's lower-case words match any word form (their Snowball stem); a word with two capitals is an acronym,
matched as written; `=word` is matched as that word exactly (lower case), never stemmed.
"""

from __future__ import annotations

import re
from itertools import product

from send_align.stemming import stem

TOKEN_RE = re.compile(r"[0-9A-Za-z\u00C0-\u024F]+(?:['’][A-Za-z]+)*")
# Determiners vary freely between documents ("with parents", "with our parents") and carry no meaning here.
SKIP = frozenset({"the", "a", "an", "our", "their", "your", "its", "his", "her", "my"})


def phrase_variants(phrase: str, exact_case: bool = False) -> list[tuple[str, ...]]:
    """The key sequences a phrase compiles to (hyphenated words: spaced and joined). With `exact_case`
    every word with a capital letter is matched as written; otherwise only acronyms are."""
    options: list[list[tuple[str, ...]]] = []
    for chunk in phrase.split():
        exact = chunk.startswith("=")
        parts = [p for p in re.split(r"[-‐‑–/]", chunk.lstrip("=")) if TOKEN_RE.search(p)]
        if not parts:
            continue
        words = [" ".join(("=" if exact else "") + t for t in TOKEN_RE.findall(p)) for p in parts]
        spaced = tuple(w for p in words for w in p.split())
        if len(parts) > 1:
            joined = "".join(w.lstrip("=") for w in words).replace(" ", "")
            options.append([spaced, (("=" if exact else "") + joined,)])
        else:
            options.append([spaced])
    out = []
    for combo in product(*options):
        words = [w for part in combo for w in part]
        keys = tuple(phrase_key(w, exact_case) for w in words if w.lstrip("=").lower() not in SKIP)
        if keys:
            out.append(keys)
    return list(dict.fromkeys(out))


def is_acronym(word: str) -> bool:
    """A word with two or more capitals (SEN, AP, SENCo, PfA): matched exactly as written."""
    return sum(c.isupper() for c in word) >= 2


def phrase_key(word: str, exact_case: bool = False) -> str:
    """A phrase word's trie key: '=' + exact form for acronyms (and, with `exact_case`, any word with a
    capital), '~' + word for '=word', else its stem."""
    if word.startswith("="):
        return "~" + word[1:].lower()
    return "=" + word if is_acronym(word) or (exact_case and word != word.lower()) else stem(word.lower())
