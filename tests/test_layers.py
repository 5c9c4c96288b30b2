"""The package's layers: every module imports only modules of its own layer or below (so there is no import
cycle, and a document goes down through the code without climbing back), and the pure core imports no
command-line library."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "send_align"

# Top to bottom. A name stands for a module, or for a package and all in it unless a module of it is named
# on its own (the check's report formats are low, for the cache writes the JSON report's pieces; the other
# commands' outputs are high, above the commands whose results they render).
LAYERS: list[set[str]] = [
    {"__main__", "cli", "app", "commands", "console"},
    {"checking"},
    {
        "config",
        "baseline",
        "lookup",
        "report.diff",
        "report.explain",
        "report.evaluation",
        "report.crosswalk",
    },
    {"engine", "explaining", "comparing", "evaluating", "validating", "search", "lint", "annotate", "training"},
    {"discovery", "checker", "cache", "cache_rows"},
    {"report", "gates", "exemptions"},
    {"extract", "matching", "scoring", "learned.scoring", "contexts", "genres", "proposals", "crosswalk"},
    {"strategies", "assemble", "catalogue_cache", "validation", "safeyaml", "learned.files"},
    {
        "paths",
        "options",
        "reporting",
        "output",
        "escaping",
        "style",
        "stemming",
        "files",
        "timelimit",
        "rows",
        "resources",
        "sentences",
    },
    {"workers", "model", "results", "errors", "__init__", "learned"},
]
# Pure functions and values: no terminal, no command line.
CORE = (
    "model",
    "results",
    "matching",
    "scoring",
    "contexts",
    "genres",
    "proposals",
    "gates",
    "exemptions",
    "checker",
    "engine",
)


def _layer_of(module: str) -> int:
    parts = module.split(".")
    for size in range(len(parts), 0, -1):
        name = ".".join(parts[:size])
        for n, layer in enumerate(LAYERS):
            if name in layer:
                return n
    raise AssertionError(f"send_align.{module} is in no layer of tests/test_layers.py: place it")


def _imports(path: Path, *, runtime: bool = False) -> set[str]:
    """Every send_align module a file imports, at the top or inside a function (and the modules a `from package
    import module` names). With `runtime`, only what it imports when it runs: imports under `if TYPE_CHECKING:`
    are left out."""
    tree = ast.parse(path.read_text("utf-8"))
    if runtime:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
                node.body = []
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names = [base] + [
                f"{base}.{a.name}"
                for a in node.names
                if (PACKAGE.parent / base.replace(".", "/") / f"{a.name}.py").exists()
            ]
        else:
            continue
        out.update(
            n.removeprefix("send_align.") for n in names if n.startswith("send_align.") and n != "send_align"
        )
    return out


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(PACKAGE)) for p in MODULES])
def test_a_module_imports_nothing_above_it(path: Path) -> None:
    module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
    own = _layer_of(module)
    above = sorted(m for m in _imports(path) if _layer_of(m) < own)
    assert not above, f"send_align.{module} (layer {own}) imports from above: {above}"


@pytest.mark.parametrize(
    "path", [p for p in MODULES if p.relative_to(PACKAGE).parts[0].removesuffix(".py") in CORE]
)
def test_the_core_imports_no_command_line_library(path: Path) -> None:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module or "")
    assert not {n.split(".")[0] for n in names} & {"typer", "click", "rich"}, path


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_two_modules_import_each_other_even_through_others() -> None:
    """No import cycle at run time, inside a layer either: a module that needs another's helper and is needed by
    it shares the helper from a module below both (as `sentences` serves the matcher and the genres)."""
    graph = {_module_name(p): _imports(p, runtime=True) for p in MODULES}
    graph = {m: {i for i in imports if i in graph and i != m} for m, imports in graph.items()}
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 while on the path, 2 when done

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for nxt in sorted(graph[module]):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[module] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module, [module])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)
