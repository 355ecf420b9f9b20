"""Test-support package shared by the whole test suite.

- `paths`: where `shared/` (docs, recordings, spec) lives.
- `server`: `ScriptedServer`, a real HTTP/1.1 server on loopback driven by a script of replies.
- `recordings`: the recorded Responses API traffic as typed dataclasses, and its replay.
- `spec`: validation of request bodies against the OpenAPI spec.
- `fixtures`: the pytest plugin wiring these up as fixtures.
"""
