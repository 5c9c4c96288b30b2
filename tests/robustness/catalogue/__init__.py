"""The robustness catalogue (docs/robustness.md): hostile and broken input, each through the real process.

Every case: one clear line naming the file and the problem, the other inputs still checked, exit 2 where
input was bad, no traceback, and bounded time and memory (measured for the process itself with wait4).
Cases already covered elsewhere are listed in docs/robustness.md with the test that covers them.
"""
