"""Evidence to status and score for each aim of a document, and coverage across documents.

A rule's strength is its weight, raised by a quarter for each further paragraph it fires in (at most
three paragraphs count), so repeating one phrase cannot carry an aim. Distinct rules combine like
independent pieces of evidence: score = 1 - product(1 - strength). An aim is addressed at a score of
0.5 or more and partial below that when anything counted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from send_align.contexts import ContextVerdict, decide_context
from send_align.genres import GenreVerdict, genre_of, spares_in
from send_align.model import REPEAT_BONUS, REPEAT_CAP, Aim, Context, Framework, Genre, LookIn
from send_align.results import AimResult, DocumentResult, DocumentScan, Evidence, FrameworkCoverage, Status

if TYPE_CHECKING:
    from send_align.learned.scoring import LearnedVerdict

ADDRESSED_AT = 0.5
VETO_UNDER = 0.7
"""A learned model's veto (see send_align.learned.files.ModelFile.veto) holds at partial only a finding the rules
score under this: one rule's evidence (0.6), never two rules' or more. The finding then counts half (0.6 -> 0.3,
as a supporting rule's), so the score shown and the status agree."""
HELD_BY_VETO = "held at partial"
"""The words a reason gives a finding the learned model's veto held (`eval` counts such misses by them)."""


def rule_strengths(evidence: Sequence[Evidence]) -> dict[str, float]:
    paragraphs: dict[str, set[int]] = {}
    weight: dict[str, float] = {}
    for ev in evidence:
        paragraphs.setdefault(ev.rule, set()).add(ev.paragraph)
        weight[ev.rule] = max(weight.get(ev.rule, 0.0), ev.weight)
    return {
        rule: min(1.0, weight[rule] * (1 + REPEAT_BONUS * (min(len(paras), REPEAT_CAP) - 1)))
        for rule, paras in paragraphs.items()
    }


def score_of(evidence: Sequence[Evidence]) -> float:
    missing = 1.0
    for strength in rule_strengths(evidence).values():
        missing *= 1 - strength
    return round(1 - missing, 3)


def status_for(score: float) -> Status:
    if score >= ADDRESSED_AT:
        return Status.ADDRESSED
    return Status.PARTIAL if score > 0 else Status.NOT_ADDRESSED


def _order(evidence: list[Evidence], aim: Aim | None = None) -> tuple[Evidence, ...]:
    """Strongest rule first (statements before headings and before a way of writing spread through the
    document, at equal strength), one quote per rule before any repeats, then document order."""
    if not evidence:
        return ()
    firsts: dict[str, Evidence] = {}
    for ev in evidence:
        best = firsts.get(ev.rule)
        if best is None or ev.weight > best.weight:
            firsts[ev.rule] = ev
    genre = {r.id for r in aim.rules if r.look_in is not LookIn.TEXT or r.spread > 1} if aim else set()
    head = sorted(firsts.values(), key=lambda e: (-e.weight, e.rule in genre, e.paragraph))
    rest = [e for e in evidence if e not in head]
    return tuple(head + rest)


def _spread_out(
    aim: Aim, kept: list[Evidence], thrown: tuple[Evidence, ...]
) -> tuple[list[Evidence], tuple[Evidence, ...]]:
    """Set aside the evidence of rules that need more paragraphs than they fired in (`Rule.spread`)."""
    if not kept:
        return kept, thrown
    short = set()
    for rule in aim.rules:
        if rule.spread > 1:
            found = len({e.paragraph for e in kept if e.rule == rule.id})
            if 0 < found < rule.spread:
                short.add(rule.id)
    if not short:
        return kept, thrown
    spread = {r.id: r.spread for r in aim.rules}
    demoted = tuple(
        replace(e, discarded=f"the rule needs its words in {spread[e.rule]} paragraphs of the document")
        for e in kept
        if e.rule in short
    )
    return [e for e in kept if e.rule not in short], demoted + thrown


def _by_genre(
    aim: Aim,
    kept: list[Evidence],
    thrown: tuple[Evidence, ...],
    verdict_of: Callable[[str], GenreVerdict],
    spared: Callable[[str, str], bool] = lambda genre, text: False,
) -> tuple[list[Evidence], tuple[Evidence, ...]]:
    """Rules that need a genre: their hits set aside in a document of another genre; a rule with no phrases
    given one hit, the line that shows what the page is, in a document of its genre. A rule's hits are set
    aside, too, in a document of a genre it names in `unless_genre`."""
    kept = list(kept)
    for rule in aim.rules:
        verdict = verdict_of(rule.genre) if rule.genre is not None else None
        if verdict is not None and verdict.holds and not (rule.groups and rule.groups[0]):
            # A rule with no phrases: the line that shows what the page is, its one hit (set aside below, as any
            # hit is, in a genre the rule names in `unless_genre`).
            block = verdict.block
            kept.append(
                Evidence(
                    rule=rule.id,
                    text=verdict.quote,
                    paragraph=block.paragraph if block else 0,
                    line=block.line if block else None,
                    column=block.column if block else None,
                    page=block.page if block else None,
                    section=block.section if block else None,
                    weight=rule.weight,
                    phrase=verdict.phrase,
                )
            )
        for other in rule.unless_genre:
            held = verdict_of(other)
            if held.holds:
                why = f"the document is {other}: {held.why}"
                out: list[Evidence] = []
                stay: list[Evidence] = []
                for e in kept:
                    (out if e.rule == rule.id and not spared(other, e.text) else stay).append(e)
                thrown = tuple(replace(e, discarded=why) for e in out) + thrown
                kept = stay
        if verdict is not None and not verdict.holds:
            why = f"the document is not {rule.genre}: {verdict.why}"
            thrown = tuple(replace(e, discarded=why) for e in kept if e.rule == rule.id) + thrown
            kept = [e for e in kept if e.rule != rule.id]
    return kept, thrown


def _refusal(
    learned: LearnedVerdict, quote: Evidence, verdict: ContextVerdict | None, aim: Aim, scan_aside: dict[int, str]
) -> str | None:
    """Why the learned model may not add the aim on this document, or None. The model is one more piece of
    evidence, so it passes the tests a rule's hit passes where they can apply to it: the aim's context (its
    window, the words it read, must hold the context where the document is not about it as a whole), the
    writer's own words (its strongest sentence does not stand where a list's lead-in says it is quoted, a finding,
    not done, a contents entry or a passing mention: `scan_aside`, DocumentScan.set_aside), and a statement, not a
    name (its strongest sentence is more than a list item's name or a label)."""
    # (Imported here: only a document the learned model read gets this far.)
    from send_align.learned.scoring import STATEMENT_WORDS, words

    if verdict is not None and not verdict.whole and not any(
        verdict.covers(replace(quote, paragraph=b.paragraph, section=b.section)) for b in learned.blocks
    ):
        where = aim.context.upper() if aim.context else ""
        return f"outside {where} context: no paragraph the learned model read mentions it"
    if (aside := scan_aside.get(quote.paragraph)) is not None:
        return f"the learned model's strongest sentence is {aside}, not the writer's statement"
    if len(words(quote.text)) < STATEMENT_WORDS:
        return (
            f"the learned model's strongest sentence is a name or a label (under {STATEMENT_WORDS} words), "
            "not a statement"
        )
    return None


def judge(
    aims: Sequence[Aim],
    scan: DocumentScan,
    contexts: dict[str, Context],
    not_applicable: dict[str, str] | None = None,
    genres: dict[str, Genre] | None = None,
) -> list[AimResult]:
    """Every aim's result for one document."""
    verdicts = {name: decide_context(ctx, scan) for name, ctx in contexts.items()}
    genre_verdicts: dict[str, GenreVerdict] = {}

    def genre_verdict(name: str) -> GenreVerdict:
        if name not in genre_verdicts:
            genre_verdicts[name] = genre_of((genres or {})[name], scan, contexts, verdicts)
        return genre_verdicts[name]

    def genre_spares(name: str, text: str) -> bool:
        phrases = (genres or {})[name].spares
        return bool(phrases) and spares_in(phrases, text)

    results = []
    for ai, aim in enumerate(aims):
        kept = scan.evidence.get(ai, [])
        thrown = tuple(scan.discarded.get(ai, []))
        if genres and aim.names_genres:
            kept, thrown = _by_genre(aim, kept, thrown, genre_verdict, genre_spares)
        if not_applicable and aim.id in not_applicable:
            results.append(
                AimResult(
                    aim=aim.id,
                    status=Status.NOT_APPLICABLE,
                    score=0.0,
                    evidence=_order(kept, aim),
                    discarded=thrown,
                    reason=f"not applicable: {not_applicable[aim.id]}",
                )
            )
            continue
        verdict = verdicts.get(aim.context) if aim.context else None
        note = ""
        if verdict is not None and not verdict.whole:
            why = f"outside {aim.context.upper() if aim.context else ''} context: the paragraph does not mention it"
            thrown = tuple(replace(e, discarded=why) for e in kept if not verdict.covers(e)) + thrown
            kept = [e for e in kept if verdict.covers(e)]
            note = f"; {verdict.why}"
        kept, thrown = _spread_out(aim, kept, thrown)
        score = score_of(kept)
        status = status_for(score)
        n_rules = len({e.rule for e in kept})
        reason = (
            (
                f"{n_rules} rule{'s' if n_rules != 1 else ''} in {len({e.paragraph for e in kept})} "
                f"paragraph(s) give a score of {score:.2f} ({ADDRESSED_AT} needed)"
            )
            if kept
            else "no evidence found"
        ) + note
        learned = scan.learned.get(aim.id) if scan.learned else None
        if learned is not None and status is Status.ADDRESSED and score < VETO_UNDER and learned.vetoes:
            # Measured on 63 real pages no rule or setting was fitted on: precision 0.757 -> 0.810, recall
            # 0.825 -> 0.803 (docs/learned.md).
            score = round(score / 2, 3)
            status = Status.PARTIAL
            reason += (
                f"; {HELD_BY_VETO}: the learned model reads it at {learned.probability:.2f}, under its veto of "
                f"{learned.veto:.2f}, so the finding counts half ({score:.2f})"
            )
        elif learned is not None and status is not Status.ADDRESSED and learned.adding:
            quote = learned.evidence()
            if quote is not None and (refused := _refusal(learned, quote, verdict, aim, scan.set_aside)):
                thrown = (replace(quote, discarded=refused), *thrown)
            elif quote is not None:
                # The model is one more piece of evidence, its probability its strength (at least its
                # threshold, never below 0.5, so the aim is addressed).
                score = round(1 - (1 - score) * (1 - learned.probability), 3)
                status = Status.ADDRESSED
                reason = f"{learned.describe()}; the rules alone: {reason}"
                kept = [*kept, quote]
        results.append(
            AimResult(
                aim=aim.id,
                status=status,
                score=score,
                evidence=_order(kept, aim),
                discarded=thrown,
                reason=reason,
            )
        )
    return results


_RANK = {Status.ADDRESSED: 3, Status.PARTIAL: 2, Status.NOT_ADDRESSED: 1, Status.NOT_APPLICABLE: 0}


def best_status(documents: Sequence[DocumentResult]) -> dict[str, Status]:
    """Each aim's best status across the documents; not-applicable only where no document applies it."""
    best: dict[str, Status] = {}
    for doc in documents:
        for res in doc.aims:
            if res.aim not in best or _RANK[res.status] > _RANK[best[res.aim]]:
                best[res.aim] = res.status
    return best


def coverage(frameworks: Sequence[Framework], documents: Sequence[DocumentResult]) -> list[FrameworkCoverage]:
    """Per framework: how many applicable aims the document set as a whole addresses (or partly)."""
    best = best_status(documents)
    applicable_somewhere = {aim for aim, st in best.items() if st is not Status.NOT_APPLICABLE}
    out = []
    for fw in frameworks:
        ids = [a.id for a in fw.aims if a.id in applicable_somewhere or not documents]
        addressed = sum(best.get(i) is Status.ADDRESSED for i in ids)
        partial = sum(best.get(i) is Status.PARTIAL for i in ids)
        total = len(ids)
        out.append(
            FrameworkCoverage(
                id=fw.id,
                title=fw.title,
                addressed=addressed,
                partial=partial,
                total=total,
                coverage=round(100 * addressed / total, 1) if total else 0.0,
            )
        )
    return out
