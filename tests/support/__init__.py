"""Test-support package shared by the whole test suite.

- `paths`: where `shared/` (docs, recordings, spec) lives.
- `server`: `ScriptedServer`, a real HTTP/1.1 server on loopback driven by a script of replies
  (`script`: the `Reply` / `RecordedRequest` types and SSE helpers; `http1`: the framing).
- `recordings`: the recorded Responses API traffic as typed dataclasses, and its replay.
- `spec`: validation of request bodies against the OpenAPI spec (`openapi_schema`: the
  rewrite of its schemas for a JSON Schema 2020-12 validator).
- `fixtures`: the pytest plugin wiring these up as fixtures.
"""
