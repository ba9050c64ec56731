"""The layers point one way: bot → care → scheduler → storage → titration (DESIGN.md §3).

Read from the source with ``ast``, so an import added anywhere in a package (at the top, inside a
function, ``from x import y`` or ``import x.y``) breaks the test that names the rule it breaks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ("bot", "care", "scheduler", "storage", "titration")

# package → what it must never import (the project's own packages and outside libraries).
NEVER: dict[str, set[str]] = {
    "titration": {"bot", "care", "scheduler", "storage", "telegram", "sqlite_utils", "apscheduler"},
    "storage": {"bot", "care", "scheduler", "telegram"},
    "scheduler": {"bot", "care", "telegram"},
    "care": {"bot", "telegram"},
}


def imports_of(package: str) -> list[tuple[str, int, str]]:
    """(file, line, top-level module) of every import in ``package``."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.append((str(path.relative_to(ROOT)), node.lineno, name.split(".")[0]))
    return found


@pytest.mark.parametrize("package", sorted(NEVER))
def test_no_import_breaks_a_never(package: str) -> None:
    broken = [
        f"{file}:{line} imports {module}"
        for file, line, module in imports_of(package)
        if module in NEVER[package]
    ]
    assert broken == [], f"{package} must not import {sorted(NEVER[package])}"


def test_titration_imports_nothing_of_the_project_but_itself() -> None:
    outside = [
        f"{file}:{line} imports {module}"
        for file, line, module in imports_of("titration")
        if module in PROJECT and module != "titration"
    ]
    assert outside == []


def test_nothing_imports_bot() -> None:
    users = [
        f"{file}:{line}"
        for package in ("care", "scheduler", "storage", "titration")
        for file, line, module in imports_of(package)
        if module == "bot"
    ]
    assert users == []


def test_the_scan_sees_imports() -> None:
    """The rule would catch a breach: the bot's own imports of care are found."""
    assert any(module == "care" for _, _, module in imports_of("bot"))
    assert any(module == "storage" for _, _, module in imports_of("scheduler"))


def test_handlers_reach_the_database_only_through_care() -> None:
    """A handler parses, makes one call into ``care`` and renders: it never imports storage or
    the scheduler (catching ``sqlite3.Error`` to say "not saved" is the one thing it knows)."""
    direct = [
        f"{file}:{line} imports {module}"
        for file, line, module in imports_of("bot/handlers")
        if module in ("storage", "scheduler")
    ]
    assert direct == []
