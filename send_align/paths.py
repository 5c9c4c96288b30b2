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


def repository_path(path: Path, root: Path | str, real: str = "") -> str:
    """A document's path as every report and the baseline show it: from the repository's folder (`root`,
    the configuration's folder, else the working folder) with / separators when the file lies inside it,
    whatever the working folder; else as given (a path the configuration names outside its folder, allowed
    with --allow-outside-paths, as the configuration writes it). `root` and `real` as for relative_path."""
    real_root = root if isinstance(root, str) else os.path.realpath(root)
    inside = real_root.rstrip(os.sep) + os.sep
    # A file is named by where it stands (a link by its own name), else by where it really is (a path through
    # a link to the repository's folder).
    plain = os.path.normpath(os.path.abspath(path))
    if plain.startswith(inside):
        return Path(os.path.relpath(plain, real_root)).as_posix()
    real = real or os.path.realpath(path)
    if real.startswith(inside):
        return Path(os.path.relpath(real, real_root)).as_posix()
    text = str(path)
    for shown_root in {real_root, str(root)}:
        # The configuration's paths are joined to its folder: `../shared/a.md` is shown as it was written.
        if os.path.isabs(text) and text.startswith(shown_root.rstrip(os.sep) + os.sep):
            return Path(text[len(shown_root.rstrip(os.sep)) + 1 :]).as_posix()
    return path.as_posix()


def shown_path(path: Path, root: Path | str, real: str = "") -> str:
    """repository_path as text every output can print: bytes of a file name that are not UTF-8 escaped."""
    from send_align.escaping import file_name

    return file_name(repository_path(path, root, real))


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
