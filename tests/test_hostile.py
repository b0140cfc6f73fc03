"""Broken and hostile input workbooks: a clear problem in bounded time and memory, no traceback.

The corpus is built by ``tests/hostile.py``; each case runs ``reportgen validate --json
--annotate`` in its own process with a time limit and, on POSIX, a 2 GiB address-space limit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.hostile import CASES

TIME_LIMIT = 60  # seconds; every case takes well under 5 on an ordinary machine
MEMORY_LIMIT = 2 * 1024**3


def _limit_memory() -> None:  # pragma: no cover - runs in the child process
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile")


def _validate(path: Path, annotate: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, REPORTGEN_LANG="en", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "reportgen",
            "validate",
            "--json",
            "--annotate",
            str(annotate),
            str(path),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIME_LIMIT,
        cwd=path.parent,
        env=env,
        preexec_fn=_limit_memory if os.name == "posix" else None,
    )


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input_gives_a_clear_problem(corpus: Path, case: str) -> None:
    builder, expected = CASES[case]
    folder = corpus / case
    folder.mkdir()
    path = builder(folder)
    result = _validate(path, corpus / f"{case}-annotated")
    output = result.stdout + result.stderr
    assert result.returncode in (0, 1), output[-2000:]
    assert "Traceback" not in output
    data: dict[str, Any] = json.loads(result.stdout)
    codes = [p["code"] for p in data["problems"]]
    if expected is not None:
        assert expected in codes, codes
    rows = data["rows"]
    assert rows["read"] == rows["used"] + rows["invalid"] + rows["duplicates"]
    # Messages stay short even when a cell held a megabyte of text.
    assert all(len(p["message"]) < 2000 and len(p["value"]) < 2000 for p in data["problems"])


def test_zip_bomb_refused_from_the_directory_alone(corpus: Path) -> None:
    """The bomb is refused without decompressing: the reader is never called."""
    from reportgen.read import read_file
    from reportgen.schema import load_schema
    from tests.hostile import make_zip_bomb

    folder = corpus / "bomb-direct"
    folder.mkdir()
    bomb = make_zip_bomb(folder, size=64 * 1024**2)
    assert bomb.stat().st_size < 1024**2
    assert [p.code for p in read_file(bomb, load_schema()).problems] == ["file.too_large"]
