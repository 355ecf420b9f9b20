"""Validate request bodies against `shared/spec/openapi.yaml` with `jsonschema`.

The YAML (3 MB) is parsed once per process with `yaml.CSafeLoader` and cached as JSON under
`spec_cache_dir()`, keyed by the file's mtime and size. Its schemas are then rewritten for a
2020-12 validator by `openapi_schema.prepare_spec` (nullable, discriminators, closed objects:
see there). Errors come back as readable lines: a JSON path, the message, and for a failed
union the errors of each plausible alternative.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from jsonschema import Draft202012Validator, ValidationError, validators
from jsonschema.protocols import Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.support.openapi_schema import (
    check_closed,
    check_discriminated,
    ignore_closed,
    prepare_spec,
)
from tests.support.paths import shared_dir

__all__ = [
    "load_spec",
    "raw_spec",
    "request_errors",
    "request_schema_pointer",
    "schema_errors",
    "spec_cache_dir",
    "spec_path",
    "validate_request",
    "validate_schema",
]

SPEC_URI = "urn:langchain-responses-tests:openapi"
CACHE_ENV_VAR = "LANGCHAIN_RESPONSES_TEST_CACHE"
_MAX_MESSAGE = 240
_MAX_ALTERNATIVES = 4
_MAX_REPR = 60

Json = Any


# --------------------------------------------------------------------------- loading


def spec_path() -> Path:
    """`shared/spec/openapi.yaml`."""
    return shared_dir() / "spec" / "openapi.yaml"


def spec_cache_dir() -> Path:
    """`$LANGCHAIN_RESPONSES_TEST_CACHE`, else `$XDG_CACHE_HOME` or `~/.cache`, + our folder."""
    configured = os.environ.get(CACHE_ENV_VAR)
    if configured:
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "langchain-responses-tests"


class _JsonLoader(yaml.CSafeLoader):
    """`CSafeLoader` that leaves timestamps as strings: the result must be JSON."""


_JsonLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.CSafeLoader.yaml_implicit_resolvers.items()
}


@functools.cache
def raw_spec() -> dict[str, Json]:
    """The parsed spec, as in the YAML; cached as JSON keyed by the file's mtime and size."""
    path = spec_path()
    stat = path.stat()
    cached = spec_cache_dir() / f"openapi-{stat.st_mtime_ns}-{stat.st_size}.json"
    try:
        loaded: dict[str, Json] = json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        with path.open("rb") as stream:
            loaded = yaml.load(stream, Loader=_JsonLoader)
        _write_atomically(cached, json.dumps(loaded))
        _remove_stale(cached)
    return loaded


def _write_atomically(target: Path, text: str) -> None:
    """Best effort: a cache that cannot be written only costs time."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, delete=False, suffix=".tmp"
        ) as tmp:
            tmp.write(text)
        Path(tmp.name).replace(target)
    except OSError:
        return


def _remove_stale(current: Path) -> None:
    """Drop caches of earlier versions of the spec file."""
    for stale in current.parent.glob("openapi-*.json"):
        if stale != current:
            with contextlib.suppress(OSError):
                stale.unlink()


@functools.cache
def load_spec() -> dict[str, Json]:
    """The spec with its schemas rewritten for a 2020-12 validator (`prepare_spec`)."""
    return prepare_spec(raw_spec())


_SpecValidator = validators.extend(
    Draft202012Validator,
    {"x-discriminated": check_discriminated, "x-closed": check_closed},
)
_OpenSpecValidator = validators.extend(_SpecValidator, {"x-closed": ignore_closed})


@functools.cache
def _registry() -> Registry[Json]:
    resource: Resource[Json] = DRAFT202012.create_resource(load_spec())
    registry: Registry[Json] = Registry().with_resource(SPEC_URI, resource)
    return registry


@functools.cache
def _validator(pointer: str, closed: bool) -> Validator:
    cls = _SpecValidator if closed else _OpenSpecValidator
    validator: Validator = cls({"$ref": f"{SPEC_URI}#{pointer}"}, registry=_registry())
    return validator


# --------------------------------------------------------------------------- routes


@functools.cache
def _routes() -> list[tuple[str, re.Pattern[str]]]:
    """Spec path templates as regexes, literal paths first (`/responses/compact` before `{id}`)."""
    templates = [p for p in raw_spec()["paths"] if "?" not in p]
    templates.sort(key=lambda template: template.count("{"))
    return [(t, re.compile(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(t)))) for t in templates]


def _route(path: str) -> str:
    bare = urlsplit(path).path
    if bare.startswith("/v1/"):
        bare = bare[len("/v1") :]
    for template, pattern in _routes():
        if pattern.fullmatch(bare):
            return template
    raise KeyError(f"no path in the spec matches {path!r}")


def _pointer_escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def request_schema_pointer(path: str, method: str) -> str:
    """JSON pointer (into the spec) of the JSON request body schema of `method path`.

    `path` may be a spec template, a concrete path (`/v1/conversations/conv_1/items`) or a URL.
    """
    route = _route(path)
    operation = raw_spec()["paths"][route].get(method.lower())
    if operation is None or "requestBody" not in operation:
        raise KeyError(f"{method.upper()} {route} has no request body in the spec")
    return (
        f"/paths/{_pointer_escape(route)}/{method.lower()}"
        "/requestBody/content/application~1json/schema"
    )


# --------------------------------------------------------------------------- validation


def request_errors(path: str, method: str, body: Json, *, closed: bool = True) -> list[str]:
    """Readable spec violations of a request body (empty when valid).

    `closed=False` accepts properties the spec does not list (the spec's literal reading).
    """
    return _errors(request_schema_pointer(path, method), body, closed)


def validate_request(path: str, method: str, body: Json, *, closed: bool = True) -> None:
    """Raise `AssertionError` listing every spec violation of this request body."""
    errors = request_errors(path, method, body, closed=closed)
    if errors:
        header = f"{method.upper()} {path}: request body does not match the OpenAPI spec"
        raise AssertionError("\n".join([header, *errors]))


def schema_errors(name: str, instance: Json, *, closed: bool = True) -> list[str]:
    """Readable violations of `#/components/schemas/<name>` (e.g. `Response`)."""
    if name not in raw_spec()["components"]["schemas"]:
        raise KeyError(f"no schema {name!r} in the spec")
    return _errors(f"/components/schemas/{_pointer_escape(name)}", instance, closed)


def validate_schema(name: str, instance: Json, *, closed: bool = True) -> None:
    """Raise `AssertionError` if `instance` does not match `#/components/schemas/<name>`."""
    errors = schema_errors(name, instance, closed=closed)
    if errors:
        raise AssertionError("\n".join([f"does not match schema {name}", *errors]))


def _errors(pointer: str, instance: Json, closed: bool) -> list[str]:
    found = _validator(pointer, closed).iter_errors(instance)
    ordered = sorted(found, key=lambda error: _sort_key(error.absolute_path))
    return [line for error in ordered for line in _describe(error, depth=0)]


def _sort_key(path: Sequence[str | int] | Any) -> list[tuple[int, int, str]]:
    """Order errors by instance path, array indexes numerically."""
    return [(0, part, "") if isinstance(part, int) else (1, 0, str(part)) for part in path]


def _describe(error: ValidationError, depth: int) -> list[str]:
    """One line per error; a failed union lists what each plausible alternative lacks."""
    indent = "  " * depth
    where = f"{indent}- {_json_path(error.absolute_path)}: "
    if not error.context:
        return [where + _message(error)]
    alternatives: dict[int, list[ValidationError]] = {}
    for sub in error.context:
        alternatives.setdefault(int(sub.relative_schema_path[0]), []).append(sub)
    plausible = {i: errs for i, errs in alternatives.items() if not _wrong_type(errs, error)}
    if not plausible:
        wanted = sorted({str(e.validator_value) for errs in alternatives.values() for e in errs})
        return [where + f"is {_json_type(error.instance)}, expected one of: {', '.join(wanted)}"]
    shown = sorted(plausible.items(), key=lambda item: _closeness(item[1]), reverse=True)
    lines = [where + f"matches none of {len(alternatives)} alternatives ({error.validator}):"]
    for index, errors in sorted(shown[:_MAX_ALTERNATIVES]):
        lines.append(f"{indent}  * {_branch_label(error, index)}:")
        lines.extend(line for sub in errors for line in _describe(sub, depth + 2))
    return lines


def _wrong_type(errors: Sequence[ValidationError], union: ValidationError) -> bool:
    """The alternative wants another JSON type altogether: not worth listing."""
    return all(e.validator == "type" and e.absolute_path == union.absolute_path for e in errors)


def _closeness(errors: Sequence[ValidationError]) -> tuple[int, int]:
    """How deep into the instance an alternative got, then how few errors it has."""
    return max(_depth(e) for e in errors), -len(errors)


def _depth(error: ValidationError) -> int:
    return max([len(error.absolute_path), *(_depth(sub) for sub in error.context)])


def _branch_label(union: ValidationError, index: int) -> str:
    """`$ref` name or `type` of the union's alternative number `index`."""
    value = union.validator_value
    branches = value["branches"] if isinstance(value, Mapping) else value
    branch = branches[index] if isinstance(branches, list) else None
    if isinstance(branch, Mapping) and "$ref" in branch:
        return str(branch["$ref"]).rsplit("/", 1)[-1]
    if isinstance(branch, Mapping) and "type" in branch:
        return f"{branch['type']} (alternative {index})"
    return f"alternative {index}"


def _json_path(parts: Sequence[str | int] | Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _message(error: ValidationError) -> str:
    """The jsonschema message, with a long leading repr of the instance summarised."""
    shown = repr(error.instance)
    if len(shown) > _MAX_REPR and error.message.startswith(shown):
        return _clip(_summary(error.instance) + error.message[len(shown) :])
    return _clip(error.message)


def _summary(instance: Json) -> str:
    if isinstance(instance, list):
        return f"<array of {len(instance)} items>"
    if isinstance(instance, dict):
        return f"<object with keys {_clip(repr(sorted(instance)), _MAX_REPR)}>"
    return _clip(repr(instance), _MAX_REPR)


def _json_type(instance: Json) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(instance), "number")


def _clip(text: str, limit: int = _MAX_MESSAGE) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
