"""`eval`: check labelled documents and compare with what a careful reader found, aim by aim."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from send_align.errors import Problem, SendAlignError
from send_align.model import Catalogue
from send_align.results import ClaimStatus, DocumentResult, Status
from send_align.scoring import HELD_BY_VETO


@dataclass(frozen=True)
class Labelled:
    """One labelled document: the aims a reader found it addresses, and its proposal claims."""

    file: str
    path: Path
    addresses: frozenset[str]
    supported: frozenset[str] = frozenset()
    unsupported: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Labels:
    path: Path
    documents: tuple[Labelled, ...]
    frameworks: tuple[str, ...] = ()


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: bool, wanted: bool) -> None:
        self.tp += predicted and wanted
        self.fp += predicted and not wanted
        self.fn += wanted and not predicted

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class RuleCounts:
    """The findings one rule of one aim carried on the labelled documents: right (the aim is labelled) or wrong,
    and of those, the ones that rested on this rule alone (no other rule's evidence, nor a learned model's)."""

    right: int = 0
    wrong: int = 0
    alone_right: int = 0
    alone_wrong: int = 0

    def add(self, wanted: bool, alone: bool) -> None:
        self.right += wanted
        self.wrong += not wanted
        self.alone_right += wanted and alone
        self.alone_wrong += alone and not wanted

    @property
    def precision(self) -> float:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else 1.0


@dataclass(frozen=True)
class Error:
    """A miss (labelled, not reported addressed) or a false hit (reported, not labelled)."""

    file: str
    aim: str
    kind: str
    status: str
    score: float
    quote: str = ""
    where: str = ""
    rule: str = ""
    reason: str = ""
    """The aim's reason as the check gave it: for a miss, why it fell short ("no evidence found", the rules'
    score and what held it at partial)."""

    @property
    def why_missed(self) -> str:
        """For a miss, which of three it is: 'no evidence' (nothing counted), 'veto' (the rules found it but the
        learned model's veto held it at partial) or 'partial' (the rules' evidence falls short); '' otherwise."""
        if self.kind != "miss":
            return ""
        if self.status != "partial":
            return "no evidence"
        return "veto" if HELD_BY_VETO in self.reason else "partial"


@dataclass
class Evaluation:
    labels: Path
    documents: int
    micro: Counts = field(default_factory=Counts)
    per_aim: dict[str, Counts] = field(default_factory=dict)
    errors: list[Error] = field(default_factory=list)
    per_rule: dict[tuple[str, str], RuleCounts] = field(default_factory=dict)
    """Per (aim, rule), the findings the rule's evidence carried (`learned` for a learned model's)."""
    claims_right: int = 0
    claims_total: int = 0
    claim_errors: list[str] = field(default_factory=list)

    def rules_by_precision(self) -> list[tuple[str, str, RuleCounts]]:
        """Every (aim, rule) that carried a finding, the least precise first (then the most wrong findings): the
        rules to tighten first when a framework's own documents show false hits."""
        return sorted(
            ((aim, rule, c) for (aim, rule), c in self.per_rule.items()),
            key=lambda t: (t[2].precision, -t[2].wrong, t[0], t[1]),
        )

    def missed(self) -> dict[str, int]:
        """How many misses had no evidence counted, were held at partial by a learned model's veto, or had partial
        evidence only (Error.why_missed): whether a framework needs more rules (the first), or its rules' evidence
        is held back."""
        kinds = {"no evidence": 0, "veto": 0, "partial": 0}
        for e in self.errors:
            if e.why_missed:
                kinds[e.why_missed] += 1
        return kinds


def load_labels(path: Path, cat: Catalogue) -> Labels:
    """Read and check a labels file: its schema, its aim and framework ids, and that every file exists."""
    from send_align.files import decode_text, read_bytes_capped
    from send_align.safeyaml import load_text
    from send_align.validation import validate_loaded

    shown = str(path)
    if not path.is_file():
        raise SendAlignError("no such labels file", path=shown)
    loaded = load_text(
        decode_text(read_bytes_capped(path), shown), shown, json_mode=path.suffix.lower() == ".json"
    )
    problems = validate_loaded(loaded, "labels")
    if problems:
        raise SendAlignError(problems)
    data = loaded.data
    for fid in data.get("frameworks", []):
        if cat.framework(fid) is None:
            problems.append(
                Problem(f"frameworks: unknown framework '{fid}'", shown, loaded.line_of(("frameworks",)))
            )
    docs = []
    for i, entry in enumerate(data["documents"]):
        where = ("documents", i)
        doc_path = path.parent / entry["file"]
        if not doc_path.is_file():
            problems.append(
                Problem(f"documents[{i}].file: no such file '{entry['file']}'", shown, loaded.line_of(where))
            )
        sets = {}
        for key in ("addresses", "supported_claims", "unsupported_claims"):
            ids = frozenset(entry.get(key) or ())
            for aim in sorted(a for a in ids if cat.aim(a) is None):
                problems.append(
                    Problem(
                        f"documents[{i}].{key}: unknown aim '{aim}'",
                        shown,
                        loaded.line_of((*where, key)),
                        "check the id with `send-align search` or `send-align show`",
                    )
                )
            sets[key] = ids
        docs.append(
            Labelled(
                entry["file"],
                doc_path,
                sets["addresses"],
                sets["supported_claims"],
                sets["unsupported_claims"],
            )
        )
    if problems:
        raise SendAlignError(problems)
    return Labels(path, tuple(docs), tuple(data.get("frameworks", [])))


def evaluate(labels: Labels, results: list[DocumentResult], scored: set[str], root: Path) -> Evaluation:
    """Compare each document's results with its labels, over the scored aims. `root` is the folder the
    check showed paths from."""
    from send_align.paths import shown_path

    ev = Evaluation(labels.path, len(labels.documents))
    by_path = {r.path: r for r in results}
    for doc in labels.documents:
        result = by_path.get(shown_path(doc.path, root))
        if result is None:
            continue
        statuses = {a.aim: a for a in result.aims}
        for aim_id in sorted(scored):
            res = statuses.get(aim_id)
            if res is None or res.status is Status.NOT_APPLICABLE:
                continue
            predicted = res.status is Status.ADDRESSED
            wanted = aim_id in doc.addresses
            ev.micro.add(predicted, wanted)
            ev.per_aim.setdefault(aim_id, Counts()).add(predicted, wanted)
            if predicted:
                rules = dict.fromkeys(e.rule for e in res.evidence)
                for rule in rules:
                    ev.per_rule.setdefault((aim_id, rule), RuleCounts()).add(wanted, len(rules) == 1)
            if predicted != wanted:
                first = res.evidence[0] if res.evidence else None
                ev.errors.append(
                    Error(
                        doc.file,
                        aim_id,
                        "false hit" if predicted else "miss",
                        res.status.value,
                        res.score,
                        first.text if first else "",
                        _where(first) if first else "",
                        first.rule if first else "",
                        res.reason,
                    )
                )
        got = {c.aim: c.status for c in result.claims or ()}
        for want, ids in ((ClaimStatus.SUPPORTED, doc.supported), (ClaimStatus.UNSUPPORTED, doc.unsupported)):
            for aim_id in sorted(ids):
                ev.claims_total += 1
                if got.get(aim_id) == want:
                    ev.claims_right += 1
                else:
                    ev.claim_errors.append(
                        f"{doc.file}: claim {aim_id}: labelled {want}, judged {got.get(aim_id)}"
                    )
    return ev


def _where(e: Any) -> str:
    parts = []
    if e.page:
        parts.append(f"page {e.page}")
    if e.line:
        parts.append(f"line {e.line}")
    elif e.paragraph:
        parts.append(f"paragraph {e.paragraph}")
    return ", ".join(parts)
