"""F9, the database-lease angle (the process-level refusal is in tests/e2e/test_cli.py): the
instance lock must follow the database file, not the spelling of its path, and must not outlive a
crashed holder (the SIGKILL rounds restart on the same file; here without a subprocess)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from storage.db import AlreadyRunning, Store

pytestmark = pytest.mark.faults


def test_lock_is_released_when_the_holder_closes(tmp_path: Path) -> None:
    first = Store(tmp_path / "ldn.db")
    with pytest.raises(AlreadyRunning):
        Store(tmp_path / "ldn.db")
    first.close()
    Store(tmp_path / "ldn.db").close()  # a clean stop (or the kernel, after SIGKILL) frees it


def test_a_differently_spelled_path_is_still_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Store(tmp_path / "data" / "ldn.db")
    monkeypatch.chdir(tmp_path)
    try:
        for spelling in (Path("data/ldn.db"), tmp_path / "data" / ".." / "data" / "ldn.db"):
            with pytest.raises(AlreadyRunning):
                Store(spelling)
    finally:
        first.close()


def test_a_symlink_to_the_same_database_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "data" / "ldn.db"
    first = Store(real)
    alias = tmp_path / "elsewhere" / "ldn.db"
    alias.parent.mkdir()
    alias.symlink_to(real)
    second: Store | None = None
    try:
        with pytest.raises(AlreadyRunning):
            second = Store(alias)
    finally:
        if second is not None:
            with contextlib.suppress(Exception):
                second.close()
        first.close()
