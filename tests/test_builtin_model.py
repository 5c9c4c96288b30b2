"""The built-in learned model: checked against the built-in aims, serving only them, and what it adds on
documents of our own writing through the real CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from send_align.learned.files import parse
from tests.conftest import Result, explained


def test_the_built_in_model_is_checked_and_covers_built_in_aims_only() -> None:
    from send_align.strategies import builtin_dir, load_catalogue

    cat = load_catalogue([], None)
    [(path, shown, builtin)] = cat.models
    assert builtin
    assert shown == "strategies/send-align.model.json"
    model = parse(Path(path).read_bytes(), shown, {a.id for a in cat.aims()})
    assert len(model.aims) > 40
    assert all(0.5 <= m.threshold <= 1 and m.weights for m in model.aims.values())
    assert Path(path).parent == builtin_dir()


def test_the_built_in_model_reads_other_words_for_a_service_page(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    """A short breaks page in a council's own words: the rules find the service, the model weighs the page;
    with --rules-only its verdict is absent, with it present and explained."""
    page = tmp_path / "breaks.md"
    page.write_text(
        "# Short breaks for disabled children\n\n"
        "Short breaks give disabled children and young people time to have fun with friends, and give their "
        "parents and carers a rest from caring.\n\n"
        "You can ask for a short breaks assessment if your child has an EHC plan or a diagnosis.\n\n"
        "Activities include holiday clubs, overnight stays and sessions with a support worker.\n",
        "utf-8",
    )
    data = explained(cli, page, "area-send.priority-2")
    assert data["learned"] is not None and data["learned"]["model"] == "strategies/send-align.model.json"
    assert 0.0 <= data["learned"]["probability"] <= 1.0
    assert explained(cli, page, "area-send.priority-2", "--rules-only")["learned"] is None


def _local_cop(tmp_path: Path) -> Path:
    """A strategies folder whose own `cop` framework replaces the built-in one (its one aim: cop.senco)."""
    folder = tmp_path / "strategies"
    folder.mkdir()
    (folder / "cop.yaml").write_text(
        "schema_version: 1\nframework:\n  id: cop\n  title: Our own code\n  publisher: Anytown\n  year: 2025\n"
        '  version: "1"\n  source: Anytown, 2025\naims:\n  - id: cop.senco\n    title: A named SEN lead\n'
        "    kind: duty\n    statement: Every school names its SEN lead.\n    source: Code, 1\n    rules:\n"
        "      - id: lead\n        phrases: [named SEN lead]\n",
        "utf-8",
    )
    return folder


def test_a_local_framework_replacing_a_built_in_one_gets_no_built_in_model(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    folder = _local_cop(tmp_path)
    page = tmp_path / "p.md"
    page.write_text(
        "# SENCO\n\nOur SENCO, a qualified teacher, coordinates provision for pupils with SEN.\n", "utf-8"
    )
    assert explained(cli, page, "cop.senco", "-s", str(folder))["learned"] is None
    assert explained(cli, page, "cop.senco")["learned"] is not None


def test_show_names_the_built_in_model_of_a_built_in_aim_and_not_of_a_local_one(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    data = json.loads(cli("show", "cop.senco", "--format", "json").stdout)["learned"]
    assert data["file"] == "strategies/send-align.model.json"
    assert data["positives"] > 0 and data["features"] > 100 and len(data["strongest"]) == 12
    assert "learned model" in cli("show", "cop.senco").stdout
    folder = _local_cop(tmp_path)
    assert "learned model" not in cli("show", "cop.senco", "-s", str(folder)).stdout


def test_a_cached_catalogue_names_the_model_of_this_install_not_the_one_that_cached_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two installs of one version (a new virtual environment, a second clone) share the cache: the catalogue
    cached by one must not send the other to the first's model file, which may since have been deleted."""
    import shutil

    from send_align import strategies
    from send_align.learned.files import load_models

    cache = tmp_path / "cache"
    first = strategies.load_catalogue([], cache)
    other = tmp_path / "other-install" / "strategies"
    shutil.copytree(strategies.builtin_dir(), other)
    monkeypatch.setattr(strategies, "builtin_dir", lambda: other)
    second = strategies.load_catalogue([], cache)
    assert second.digest == first.digest  # the same catalogue, read from the cache
    [(path, shown, builtin)] = second.models
    assert builtin
    assert Path(path) == other / "send-align.model.json" and shown == "strategies/send-align.model.json"
    assert load_models(second)  # reads this install's file
