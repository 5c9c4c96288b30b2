"""CI features through the real CLI: configuration files, per-path gates, inline exemptions, baselines,
the GitHub format, and that every path ends in the exit code CONTRACTS.md gives it."""
