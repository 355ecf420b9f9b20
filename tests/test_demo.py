"""The README's demo runs offline against llmock and succeeds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_demo_runs_against_local_mock() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENAI_")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Started a local llmock server" in done.stdout
    assert "-> calling get_weather" in done.stdout
    assert "-> calling apply_patch" in done.stdout
    assert "Paris: 21 C and sunny." in done.stdout  # the file the agent wrote
    assert "Stopped the llmock server" in done.stdout
