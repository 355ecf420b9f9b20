"""Where the project's `shared/` directory lives."""

from __future__ import annotations

import os
from pathlib import Path

SHARED_ENV_VAR = "LANGCHAIN_RESPONSES_SHARED"

# tests/support/paths.py -> parents[2] is the repository root.
REPO_ROOT = Path(__file__).resolve().parents[2]


class SharedDirMissingError(RuntimeError):
    """`shared/` (recordings, spec, docs) could not be found."""


def shared_dir() -> Path:
    """The `shared/` directory: `$LANGCHAIN_RESPONSES_SHARED`, else `<repo root>/../shared`."""
    configured = os.environ.get(SHARED_ENV_VAR)
    candidate = Path(configured).expanduser() if configured else REPO_ROOT.parent / "shared"
    if not candidate.is_dir():
        origin = f"${SHARED_ENV_VAR}" if configured else "the repository's sibling directory"
        raise SharedDirMissingError(
            f"shared directory not found at {candidate} (from {origin}); it holds "
            f"fixtures/recorded/, spec/openapi.yaml and docs/. Set {SHARED_ENV_VAR} to its path."
        )
    return candidate
