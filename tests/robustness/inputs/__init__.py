"""Hostile inputs, second catalogue (docs/robustness.md): pathological patterns, paths a configuration names,
unreadable folders, special files, stray bytes, huge numbers, replaced frameworks, signals.

Each case runs the real reader or the real command in a process of its own where time or signals matter.
"""
