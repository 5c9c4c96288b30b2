"""Phrase matching: compile rules into one index (compile), scan documents in one pass (scan), set aside
hits that a cue undoes (cues) and judge the rest into evidence (judge). Pure functions and values: no I/O."""

from send_align.matching.compile import Matcher, compile_matcher
from send_align.matching.cues import CueSet
from send_align.matching.judge import scan_document
from send_align.matching.phrases import phrase_variants
from send_align.sentences import split_sentences

__all__ = ["CueSet", "Matcher", "compile_matcher", "phrase_variants", "scan_document", "split_sentences"]
