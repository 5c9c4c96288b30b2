"""Find the documents a check reads: files named, and supported files under folders named.

Hidden folders are skipped and links to folders not followed (no loops); a link to a file outside the
folder named is not read, and named pipes, devices and sockets are listed as passed over, never opened.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from send_align.errors import Problem, SendAlignError
from send_align.escaping import file_name
from send_align.files import special_kind


@dataclass(frozen=True)
class Found:
    path: Path
    shown: str
    explicit: bool
    real: str = ""
    """The file's real path (links resolved)."""
    from_stdin: bool = False
    """Read from standard input and saved to `path`: `shown` is the name given to it (--stdin-name)."""

    def rel(self, root: Path | str) -> str:
        """The path the configuration's path patterns (exemptions, gates) match: from the repository's folder,
        or for standard input the name given, as a file named so would be matched."""
        from send_align.paths import relative_path

        return self.shown if self.from_stdin else relative_path(self.path, root, self.real)


def find_documents(
    paths: Sequence[Path], root: Path | None = None, stdin: tuple[Path, str] | None = None
) -> tuple[list[Found], list[tuple[str, str]], list[Problem]]:
    """Files named, and supported files under folders named (hidden folders skipped, loops avoided); `-`
    is the document read from standard input (`stdin`: the file it was saved to, and its name). With a
    `root` (the repository's folder), every path is shown from it (paths.repository_path), whatever the
    working folder; without one, as found from the arguments."""
    from send_align.extract import format_of, supported
    from send_align.paths import shown_path

    real_root = os.path.realpath(root) if root is not None else ""

    def shown_of(path: Path, fallback: str) -> str:
        return shown_path(path, real_root) if real_root else fallback

    found: list[Found] = []
    skipped: list[tuple[str, str]] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}

    def add(item: Found) -> None:
        """A file reached twice (named, and inside a folder named) is checked once."""
        try:
            real = os.path.realpath(item.path)
        except (OSError, ValueError):
            real = str(item.path)
        if real in seen:
            first = found[seen[real]]
            if item.explicit:
                found[seen[real]] = replace(first, explicit=True)
            elif item.path.is_symlink() or first.path.is_symlink():
                skipped.append((item.shown, f"the same file as {first.shown}"))
            return
        seen[real] = len(found)
        found.append(replace(item, real=real))

    for arg in paths:
        if stdin is not None and str(arg) == "-":
            arg, shown = stdin
            add(Found(arg, file_name(shown), True, from_stdin=True))
            continue
        given = file_name(str(arg))
        shown = shown_of(arg, given)
        try:
            mode = os.stat(arg).st_mode
        except OSError as exc:
            missing = exc.errno in (errno.ENOENT, errno.ENOTDIR) and not os.path.lexists(arg)
            problems.append(
                Problem("no such file or folder" if missing else f"cannot read: {exc.strerror}", shown)
            )
            continue
        if stat.S_ISDIR(mode):
            for path, why, failed in _walk(arg):
                # A name that is not UTF-8 is shown with its bytes escaped (caf\xe9.md): every format can
                # print it, and the file itself is still read by its real name.
                rel = shown_of(
                    path, file_name(str(path) if given not in (".", "./") else str(path.relative_to(arg)))
                )
                if failed:
                    problems.append(Problem(why or "cannot read", rel, hint="the rest was still checked"))
                elif why is not None:
                    skipped.append((rel, why))
                elif format_of(path) is None:
                    skipped.append((rel, f"unsupported file type '{path.suffix or path.name}'"))
                else:
                    add(Found(path, rel, False))
        elif special_kind(mode) is not None:
            hint = "only documents saved as files can be checked"
            problems.append(Problem(f"not a regular file ({special_kind(mode)})", shown, hint=hint))
        elif format_of(arg) is None:
            problems.append(Problem(f"unsupported file type '{arg.suffix}'", shown, hint=supported(arg.suffix)))
        else:
            add(Found(arg, shown, True))
    return found, skipped, problems


def one_document(path: Path, root: Path, stdin: tuple[Path, str] | None = None) -> Found:
    """The one document a command on a document names (explain, diff, annotate), found as a check finds it:
    `-` read from standard input, the path shown from the repository's folder (`root`), and a missing, special
    or unsupported file refused with check's own words. A folder is refused: these commands read one file."""
    if str(path) != "-" or stdin is None:
        try:
            folder = stat.S_ISDIR(os.stat(path).st_mode)
        except OSError:
            folder = False
        if folder:
            from send_align.paths import shown_path

            raise SendAlignError(
                "a folder, not a document", path=shown_path(path, root), hint="name one document in it"
            )
    found, _, problems = find_documents([path], root, stdin)
    if problems:
        raise SendAlignError(problems)
    return found[0]


def _walk(root: Path) -> Iterator[tuple[Path, str | None, bool]]:
    """Files under a folder in sorted order, each with None or why it is passed over, and whether that is a
    problem (a folder or file that cannot be read: the run ends with exit 2, never a silent gap). Symbolic
    links to folders are not followed (no loops); a link to a file outside the folder is not read, so a
    pull request cannot make the report quote a file from elsewhere on the machine. Named pipes, devices
    and sockets are listed as passed over, never opened."""
    real_root = root.resolve()
    seen: set[tuple[int, int]] = set()
    failures: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=failures.append, followlinks=False):
        yield from _unreadable(failures)
        here = Path(folder)
        try:
            st = os.stat(folder)
        except OSError as exc:
            dirs[:] = []
            yield here, f"cannot read this folder: {exc.strerror}", True
            continue
        if (st.st_dev, st.st_ino) in seen:
            dirs[:] = []
            continue
        seen.add((st.st_dev, st.st_ino))
        linked: list[str] = []
        kept: list[str] = []
        for d in sorted(dirs):
            if d.startswith(".") or d in ("__pycache__", "node_modules"):
                continue
            try:
                (linked if (here / d).is_symlink() else kept).append(d)
            except OSError as exc:
                yield here / d, f"cannot read this folder: {exc.strerror}", True
        for d in linked:
            yield here / d, "a symbolic link to a folder (not followed)", False
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith("."):
                continue
            p = here / name
            try:
                why = _passed_over(p, real_root)
            except OSError as exc:
                yield p, f"cannot read: {exc.strerror}", True
                continue
            yield p, why, False
    yield from _unreadable(failures)


def _unreadable(failures: list[OSError]) -> Iterator[tuple[Path, str, bool]]:
    """Folders the walk could not list (no permission, a path longer than the system allows)."""
    for exc in failures:
        yield Path(exc.filename), f"cannot read this folder: {exc.strerror}", True
    failures.clear()


def _passed_over(p: Path, real_root: Path) -> str | None:
    """Why a file in a folder is not checked, or None when it is."""
    if p.is_symlink():
        try:
            target = p.resolve(strict=True)
        except (OSError, RuntimeError):
            return "a broken or looping symbolic link"
        if not target.is_relative_to(real_root):
            return "a symbolic link to a file outside the folder (not read)"
    kind = special_kind(p.stat().st_mode)
    return f"not a regular file ({kind})" if kind else None
