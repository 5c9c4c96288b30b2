"""`diff`: two versions of a document (two files, or one file at two git revisions), aims gained and lost."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from send_align.checker import Checker
from send_align.errors import SendAlignError
from send_align.model import Catalogue
from send_align.options import Exemptions
from send_align.results import AimResult, DocumentResult, FrameworkCoverage, Status
from send_align.scoring import coverage

_RANK = {Status.NOT_APPLICABLE: -1, Status.NOT_ADDRESSED: 0, Status.PARTIAL: 1, Status.ADDRESSED: 2}
GIT_TIMEOUT = 60


@dataclass(frozen=True)
class Change:
    aim: str
    title: str
    old: AimResult
    new: AimResult

    @property
    def direction(self) -> str:
        """'gained' (now addressed), 'lost' (no longer addressed), 'better' or 'worse' (partial moves)."""
        if self.new.status is Status.ADDRESSED:
            return "gained"
        if self.old.status is Status.ADDRESSED:
            return "lost"
        return "better" if _RANK[self.new.status] > _RANK[self.old.status] else "worse"


@dataclass(frozen=True)
class Comparison:
    old_label: str
    new_label: str
    changes: tuple[Change, ...]
    unchanged: int
    old_coverage: tuple[FrameworkCoverage, ...]
    new_coverage: tuple[FrameworkCoverage, ...]

    def of(self, direction: str) -> list[Change]:
        return [c for c in self.changes if c.direction == direction]


def compare_files(
    catalogue: Catalogue,
    framework_ids: Sequence[str],
    old: Path,
    new: Path,
    old_label: str,
    new_label: str,
    exemptions: Exemptions | None = None,
    rels: tuple[str | None, str | None] = (None, None),
    checker: Checker | None = None,
) -> Comparison:
    """Two files compared, each with the configuration's `exemptions` applied as a check applies them (`rels`:
    each one's path from the configuration's folder, which their patterns match; see Checker.results).
    `checker`: compiled for these frameworks, when the caller has one."""
    from send_align.extract import extract

    frameworks = catalogue.select(framework_ids)
    checker = checker or Checker(catalogue, frameworks)
    results: list[DocumentResult] = []
    for path, label, rel in ((old, old_label, rels[0]), (new, new_label, rels[1])):
        if not os.path.lexists(path):
            raise SendAlignError("no such file", path=label)
        document = extract(path, label)
        if not document.blocks:
            raise SendAlignError("no text to compare (the file is empty or holds only markup)", path=label)
        results.append(checker.check(document, exemptions, rel))
    before = {r.aim: r for r in results[0].aims}
    changes = []
    unchanged = 0
    for r in results[1].aims:
        was = before[r.aim]
        if was.status is r.status:
            unchanged += 1
            continue
        aim = catalogue.aim(r.aim)
        changes.append(Change(r.aim, aim.title if aim else r.aim, was, r))
    return Comparison(
        old_label,
        new_label,
        tuple(changes),
        unchanged,
        tuple(coverage(frameworks, [results[0]])),
        tuple(coverage(frameworks, [results[1]])),
    )


def compare_revisions(
    catalogue: Catalogue,
    framework_ids: Sequence[str],
    path: Path,
    revisions: str,
    shown: str | None = None,
    exemptions: Exemptions | None = None,
    rel: str | None = None,
    checker: Checker | None = None,
) -> Comparison:
    """One file at two git revisions: 'A..B' (B empty for the working copy), or 'A' (A against the working copy).
    `shown`, `exemptions` and `rel` as for compare_files (both versions stand at the same path)."""
    shown = shown or str(path)
    old_rev, sep, new_rev = revisions.partition("..")
    if not old_rev or (sep and new_rev.startswith(".")):
        raise SendAlignError(
            f"--rev '{revisions}' is not a revision range", hint="use A..B, for example main..HEAD"
        )
    with tempfile.TemporaryDirectory(prefix="send-align-diff-") as tmp:
        old_file = _git_show(path, old_rev, Path(tmp) / f"old{path.suffix}")
        new_file = _git_show(path, new_rev, Path(tmp) / f"new{path.suffix}") if new_rev else path
        return compare_files(
            catalogue,
            framework_ids,
            old_file,
            new_file,
            f"{shown}@{old_rev}",
            f"{shown}@{new_rev}" if new_rev else shown,
            exemptions,
            (rel, rel),
            checker,
        )


def _git_show(path: Path, rev: str, dest: Path) -> Path:
    git = shutil.which("git")
    if git is None:
        raise SendAlignError("--rev needs git, which is not installed")
    if rev.startswith("-"):
        raise SendAlignError(f"'{rev}' is not a revision")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise SendAlignError("no such folder", path=str(folder))
    try:
        proc = subprocess.run(
            [git, "-C", str(folder), "show", f"{rev}:./{path.name}"],
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SendAlignError(f"git took over {GIT_TIMEOUT} s to read {rev}", path=str(path)) from None
    except OSError as exc:
        raise SendAlignError(f"cannot run git: {exc.strerror or exc}") from None
    if proc.returncode != 0:
        why = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SendAlignError(
            f"git cannot read it at {rev}: {why[-1] if why else 'unknown error'}", path=str(path)
        )
    dest.write_bytes(proc.stdout)
    return dest
