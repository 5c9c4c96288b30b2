"""Outputs under attack (docs/robustness.md, "Outputs"): where reports and baselines land, how they are
written, what reaches a terminal or a CI log, closed pipes and full disks, and a cache that lies.

Every case runs the real command in its own process, on real files, and looks at the bytes it wrote.
"""
