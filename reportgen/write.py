"""Write output files atomically: a crash or a kill never leaves a half-written report."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import OutputError
from .i18n import _


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; it replaces ``target`` only on success."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=target.suffix + ".tmp", dir=target.parent
    )
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        with open(temp, "rb+") as handle:
            os.fsync(handle.fileno())
        try:
            os.replace(temp, target)
        except PermissionError:
            raise OutputError(
                _(
                    "Cannot replace {path}: it is probably open in Word or Excel; close it and "
                    "run again."
                ).format(path=target)
            ) from None
    finally:
        temp.unlink(missing_ok=True)


def write_atomic(target: Path, save: Callable[[Path], None]) -> Path:
    """Call ``save(temp_path)`` and move the result to ``target``."""
    try:
        with atomic_path(target) as temp:
            save(temp)
    except OSError as exc:
        raise OutputError(
            _("Cannot write {path}: {reason}").format(path=target, reason=exc.strerror or exc)
        ) from None
    return target
