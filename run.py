#!/usr/bin/env python3
"""Project tasks that work on a fresh machine with only Python 3.

    python3 run.py demo    # the demo: a streaming agent against a local mock server (no API key)
    python3 run.py test    # the whole test suite, then ruff, mypy and the import-layer check

Both create ``.venv`` and install the project with its dev extras the first time (and again
whenever ``pyproject.toml`` changes).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".installed"


def _run(*args: str | Path) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], cwd=ROOT, check=True)


def ensure_env() -> None:
    """Create the virtualenv and install the project when needed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not PY.exists():
        venv.create(VENV, with_pip=True)
    _run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    _run(PY, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
    STAMP.write_text(wanted)


def demo(args: list[str]) -> None:
    """Run the demo."""
    _run(PY, ROOT / "examples" / "demo.py", *args)


def test(args: list[str]) -> None:
    """Run the tests, then the linters and type checker."""
    _run(PY, "-m", "pytest", *args)
    _run(BIN / "ruff", "check", ".")
    _run(BIN / "ruff", "format", "--check", ".")
    _run(BIN / "mypy")
    _run(BIN / "lint-imports")


TASKS = {"demo": demo, "test": test}


def main() -> int:
    """Dispatch ``run.py TASK [ARGS...]``."""
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        print(__doc__)
        return 2
    ensure_env()
    try:
        TASKS[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as exc:
        return exc.returncode or 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
