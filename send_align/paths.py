"""Document paths as configurations name them: relative to the configuration's folder, matched by globs."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath


def relative_path(path: Path, root: Path | str, real: str = "") -> str:
    """A document's path from the configuration's folder (for path patterns), else as given.
    `root`, and the document's `real` path, may be given already resolved, as a run does for thousands
    of documents."""
    real_root = root if isinstance(root, str) else os.path.realpath(root)
    real = real or os.path.realpath(path)
    if real.startswith(real_root.rstrip(os.sep) + os.sep):
        return Path(os.path.relpath(real, real_root)).as_posix()
    return path.as_posix()


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """'*' within one folder name, '**' across folders, '?' one character; a trailing '/' means everything under."""
    pattern = pattern.strip().lstrip("./") if pattern.startswith("./") else pattern.strip()
    if pattern.endswith("/"):
        pattern += "**"
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def path_matches(patterns: Sequence[str], path: str) -> bool:
    """Whether a document path (relative, with / separators) matches any of the patterns."""
    posix = str(PurePosixPath(path.replace("\\", "/")))
    return any(_glob_regex(p).match(posix) for p in patterns)
