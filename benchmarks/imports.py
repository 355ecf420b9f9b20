"""Import time and RSS, each library in its own fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

# key -> (import statement, construction that makes it ready to call; no I/O)
PROBES: dict[str, tuple[str, str]] = {
    "python": ("pass", "None"),
    "core": ("import langchain_core.language_models.chat_models", "None"),
    "floor": (
        "import langchain_core.language_models.chat_models, httpx, pydantic, tenacity",
        "None",
    ),
    "raw": ("import json, httpx", "httpx.Client()"),
    "openai": ("from openai import OpenAI", "OpenAI(api_key='sk-x').responses"),
    "lc_openai": (
        "from langchain_openai import ChatOpenAI",
        "ChatOpenAI(model='m', api_key='sk-x', use_responses_api=True)",
    ),
    "lr_client": (
        "from langchain_responses import ResponsesClient",
        "ResponsesClient(api_key='sk-x')",
    ),
    "lr_chat": (
        "from langchain_responses import ChatResponses",
        "ChatResponses(model='m', api_key='sk-x')",
    ),
    "lr_chat_events": (
        "from langchain_responses import ChatResponses",
        "ChatResponses(model='m', api_key='sk-x', coalesce_deltas=False)",
    ),
    "bare": (
        "from langchain_core.language_models.chat_models import BaseChatModel",
        "type('Bare', (BaseChatModel,), {'_llm_type': 'bare', '_generate': print})()",
    ),
}

_TEMPLATE = """
import time as _t
_c0, _w0 = _t.process_time(), _t.perf_counter()
{imp}
_c1, _w1 = _t.process_time(), _t.perf_counter()
def _rss():
    import os
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
_r1 = _rss()
_c2 = _t.process_time()
_obj = {construct}
_c3 = _t.process_time()
_r2 = _rss()
import json as _j, sys as _s
print(_j.dumps({{"import": _c1 - _c0, "import_wall": _w1 - _w0, "construct": _c3 - _c2,
    "rss_import": _r1, "rss_construct": _r2, "modules": len(_s.modules)}}))
"""


def probe(key: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """Import (and construct) ``key``'s library in a fresh interpreter.

    Times are CPU seconds of the child (``import_wall`` is wall-clock): on a shared, busy
    machine wall-clock import times swing by hundreds of milliseconds with the load.
    """
    imp, construct = PROBES[key]
    code = _TEMPLATE.format(imp=imp, construct=construct)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=env,
    )
    if done.returncode != 0:
        raise RuntimeError(f"import probe {key} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]
