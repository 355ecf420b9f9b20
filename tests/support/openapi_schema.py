"""Rewrite the OpenAPI document's schemas so a JSON Schema 2020-12 validator reads them right.

The spec says `openapi: 3.1.0` (schemas are 2020-12) but keeps OpenAPI 3.0 habits that a plain
2020-12 validator would misread or ignore. `prepare_spec` fixes them once per process:

- `nullable: true` (110 places) -> `anyOf: [<schema>, {"type": "null"}]`.
- boolean `exclusiveMinimum` / `exclusiveMaximum` (3.0 style) -> the numeric 2020-12 form.
- `$recursiveRef: "#"` (2019-09; unknown to 2020-12, so it would accept anything) -> a `$ref`
  to the component declaring `$recursiveAnchor` (the file-search `CompoundFilter`).
- `oneOf`/`anyOf` + `discriminator` -> `x-discriminated` (below). OpenAPI picks the branch by
  the discriminator value; plain `oneOf` would reject an instance matching two overlapping
  branches (an input message matches both `EasyInputMessage` and `InputMessage`) and would
  report every branch's errors. `x-discriminated` tries only the branches whose enum admits
  the value (any of them may match), rejects unknown values, and reports the tried branches.
  Without the property, only branches where it is optional are tried (a message may omit
  `type`).
- `required` names that the same schema never declares (and no sibling `allOf`/`anyOf`/`oneOf`
  could) are dropped: they are spec defects no body can satisfy, e.g. `MCPApprovalResponse`
  requires an undeclared `request_id` that neither the SDK nor the API knows.
- `x-closed`: object schemas that list their `properties` reject other keys, as the API does
  ("Unknown parameter"), while the spec leaves them open. Schemas that are only parts of
  another (allOf members, union branches next to `properties`) stay open and their parent is
  closed over all their names; `{"type": "object", "properties": {}}` (the spec's stand-in
  for "any object", e.g. JSON-schema `parameters`) stays open.

`oneOf` without a discriminator keeps its exact JSON Schema meaning.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from jsonschema import ValidationError
from jsonschema.protocols import Validator

__all__ = ["check_closed", "check_discriminated", "ignore_closed", "prepare_spec"]

Json = Any
Names = frozenset[str]


def prepare_spec(spec: Mapping[str, Json]) -> dict[str, Json]:
    """A rewritten copy of the whole OpenAPI document (the input is not modified)."""
    schemas = {
        name: _prepare(schema, name) for name, schema in spec["components"]["schemas"].items()
    }
    paths = _prepare(spec["paths"], None)
    closer = _Closer(schemas, [schemas, paths])
    discriminators = _Discriminators(schemas)
    closed_schemas = {name: closer.close_component(name) for name in schemas}
    components = {**spec["components"], "schemas": discriminators.rewrite(closed_schemas)}
    return {**spec, "paths": discriminators.rewrite(closer.close(paths)), "components": components}


def _ref_name(node: Mapping[str, Json]) -> str:
    return str(node["$ref"]).rsplit("/", 1)[-1]


# --------------------------------------------------------------------------- 3.0 idioms


def _prepare(node: Json, component: str | None) -> Json:
    """Rewrite 3.0 idioms bottom-up; `component` names the enclosing component schema."""
    if isinstance(node, list):
        return [_prepare(item, component) for item in node]
    if not isinstance(node, dict):
        return node
    fixed = {key: _prepare(value, component) for key, value in node.items()}
    if fixed.get("$recursiveRef") == "#" and component is not None:
        del fixed["$recursiveRef"]
        fixed["$ref"] = f"#/components/schemas/{component}"
    for bound, limit in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        if isinstance(fixed.get(bound), bool) and fixed.pop(bound) and limit in fixed:
            fixed[bound] = fixed.pop(limit)
    _drop_undeclared_required(fixed)
    if "nullable" in fixed and fixed.pop("nullable") is True:
        return {"anyOf": [fixed, {"type": "null"}]}
    return fixed


def _drop_undeclared_required(node: dict[str, Json]) -> None:
    props = node.get("properties")
    required = node.get("required")
    composed = any(key in node for key in ("allOf", "anyOf", "oneOf"))
    if isinstance(props, dict) and isinstance(required, list) and not composed:
        node["required"] = [name for name in required if name in props]


# --------------------------------------------------------------------------- x-closed


def _part_lists(node: Mapping[str, Json]) -> Iterator[list[Json]]:
    """Sub-schemas that are parts of `node` rather than whole alternatives."""
    if "allOf" in node:
        yield node["allOf"]
    if "properties" in node or "allOf" in node or "$ref" in node:
        for keyword in ("oneOf", "anyOf"):
            if keyword in node:
                yield node[keyword]


class _Closer:
    """Adds `x-closed: [names]` to object schemas that list their properties."""

    def __init__(self, schemas: Mapping[str, Json], documents: Iterable[Json]) -> None:
        self._schemas = schemas
        self._parts: set[str] = set()
        for document in documents:
            self._find_parts(document)

    def _find_parts(self, node: Json) -> None:
        """Remember components used as parts: closing them alone would reject their siblings."""
        if isinstance(node, list):
            for item in node:
                self._find_parts(item)
            return
        if not isinstance(node, dict):
            return
        for parts in _part_lists(node):
            self._parts.update(_ref_name(p) for p in parts if isinstance(p, dict) and "$ref" in p)
        if "$ref" in node and ("properties" in node or "allOf" in node):
            self._parts.add(_ref_name(node))
        for value in node.values():
            self._find_parts(value)

    def close_component(self, name: str) -> Json:
        return self.close(self._schemas[name], is_part=name in self._parts)

    def close(self, node: Json, *, is_part: bool = False) -> Json:
        if isinstance(node, list):
            return [self.close(item) for item in node]
        if not isinstance(node, dict):
            return node
        part_ids = {id(part) for parts in _part_lists(node) for part in parts}
        closed = {
            key: [self.close(v, is_part=id(v) in part_ids) for v in value]
            if key in ("allOf", "oneOf", "anyOf")
            else self.close(value)
            for key, value in node.items()
        }
        if is_part:
            return closed
        if "properties" in node or "allOf" in node:
            names = self._names(node, frozenset())
        elif "$ref" in node and _ref_name(node) in self._parts:
            # A component that is a part elsewhere is closed where it is used whole.
            names = self._resolve_names({"$ref": node["$ref"]}, frozenset())
        else:
            names = None
        if names is not None:
            closed["x-closed"] = sorted(names)
        return closed

    def _names(self, node: Json, seen: frozenset[str]) -> Names | None:
        """Every property name `node` allows, or `None` if it admits arbitrary keys."""
        if not isinstance(node, dict) or node.get("type") == "null":
            return frozenset()
        if node.get("additionalProperties", False) is not False or "patternProperties" in node:
            return None
        if node.get("properties") == {}:
            return None
        names: set[str] = set(node.get("properties", {}))
        structured = "properties" in node
        for part in _subschemas(node):
            part_names = self._resolve_names(part, seen)
            if part_names is None:
                return None
            names |= part_names
            structured = True
        if not structured and node.get("type", "object") == "object":
            return None
        return frozenset(names)

    def _resolve_names(self, node: Json, seen: frozenset[str]) -> Names | None:
        if isinstance(node, dict) and "$ref" in node and len(node) == 1:
            name = _ref_name(node)
            return None if name in seen else self._names(self._schemas[name], seen | {name})
        return self._names(node, seen)


def _subschemas(node: Mapping[str, Json]) -> Iterator[Json]:
    if "$ref" in node:
        yield {"$ref": node["$ref"]}
    for keyword in ("allOf", "oneOf", "anyOf"):
        yield from node.get(keyword, ())


def check_closed(
    validator: Validator, names: list[str], instance: Json, schema: Mapping[str, Json]
) -> Iterator[ValidationError]:
    """The `x-closed` keyword: no property outside `names`."""
    if not isinstance(instance, dict):
        return
    unexpected = sorted(set(instance) - set(names))
    if unexpected:
        yield ValidationError(
            f"unknown properties {unexpected}; the spec allows {names}", validator_value=names
        )


def ignore_closed(
    validator: Validator, names: list[str], instance: Json, schema: Mapping[str, Json]
) -> Iterator[ValidationError]:
    """`x-closed` switched off (the spec's own, open reading)."""
    return iter(())


# --------------------------------------------------------------------------- x-discriminated


class _Discriminators:
    """Turns discriminated `oneOf`/`anyOf` into `x-discriminated` dispatch tables."""

    def __init__(self, schemas: Mapping[str, Json]) -> None:
        self._schemas = schemas

    def rewrite(self, node: Json) -> Json:
        if isinstance(node, list):
            return [self.rewrite(item) for item in node]
        if not isinstance(node, dict):
            return node
        fixed = {key: self.rewrite(value) for key, value in node.items() if key != "discriminator"}
        keyword = next((k for k in ("oneOf", "anyOf") if k in node), None)
        if "discriminator" not in node or keyword is None:
            return fixed
        prop = node["discriminator"]["propertyName"]
        tags = [self._tags(branch, prop, frozenset()) for branch in node[keyword]]
        fixed["x-discriminated"] = {
            "property": prop,
            "branches": fixed.pop(keyword),
            "values": [None if values is None else sorted(values) for values, _ in tags],
            "required": [required for _, required in tags],
        }
        return fixed

    def _tags(self, schema: Json, prop: str, seen: frozenset[str]) -> tuple[Names | None, bool]:
        """The values `prop` may take in `schema` (`None`: any) and whether it is required."""
        if not isinstance(schema, dict):
            return None, False
        if schema.get("type") == "null":
            # `null` is never an object: it admits no value and does not make `prop` optional.
            return frozenset(), True
        if "$ref" in schema:
            name = _ref_name(schema)
            return (
                (None, False)
                if name in seen
                else self._tags(self._schemas[name], prop, seen | {name})
            )
        values = self._literals(schema.get("properties", {}).get(prop))
        required = prop in schema.get("required", ())
        for part in schema.get("allOf", ()):
            part_values, part_required = self._tags(part, prop, seen)
            values = _intersect(values, part_values)
            required = required or part_required
        for keyword in ("oneOf", "anyOf"):
            if keyword in schema:
                alternatives = [self._tags(branch, prop, seen) for branch in schema[keyword]]
                values = _intersect(values, _union(v for v, _ in alternatives))
                required = required or all(r for _, r in alternatives)
        return values, required

    def _literals(self, schema: Json) -> Names | None:
        """String values a property schema admits; `None` when it is not an enum/const."""
        if not isinstance(schema, dict):
            return None
        if "$ref" in schema:
            return self._literals(self._schemas[_ref_name(schema)])
        if "const" in schema or "enum" in schema:
            values = [schema["const"]] if "const" in schema else schema["enum"]
            return frozenset(v for v in values if isinstance(v, str))
        if schema.get("type") == "null":
            return frozenset()
        branches = schema.get("anyOf") or schema.get("oneOf")
        return None if branches is None else _union(self._literals(b) for b in branches)


def _intersect(a: Names | None, b: Names | None) -> Names | None:
    if a is None:
        return b
    return a if b is None else a & b


def _union(sets: Iterable[Names | None]) -> Names | None:
    result: Names = frozenset()
    for values in sets:
        if values is None:
            return None
        result |= values
    return result


def check_discriminated(
    validator: Validator, table: Mapping[str, Json], instance: Json, schema: Mapping[str, Json]
) -> Iterator[ValidationError]:
    """The `x-discriminated` keyword: valid if a branch the discriminator selects is valid."""
    branches: list[Json] = table["branches"]
    candidates = _candidates(table, instance)
    if not candidates:
        yield _unknown_tag(table, instance)
        return
    failures: list[ValidationError] = []
    for index in candidates:
        errors = list(validator.descend(instance, branches[index], schema_path=index))
        if not errors:
            return
        failures.extend(errors)
    if len(candidates) == 1:
        yield from failures
        return
    yield ValidationError(
        f"matches none of the {len(candidates)} schemas its {table['property']!r} selects",
        context=failures,
    )


def _candidates(table: Mapping[str, Json], instance: Json) -> list[int]:
    count = len(table["branches"])
    if not isinstance(instance, dict):
        return list(range(count))
    value = instance.get(table["property"])
    if not isinstance(value, str):
        return [i for i in range(count) if not table["required"][i]]
    return [i for i, values in enumerate(table["values"]) if values is None or value in values]


def _unknown_tag(table: Mapping[str, Json], instance: Mapping[str, Json]) -> ValidationError:
    prop = table["property"]
    known = sorted({v for values in table["values"] if values for v in values})
    if instance.get(prop) is None:
        return ValidationError(f"{prop!r} is a required property (one of {known})")
    return ValidationError(f"{prop} {instance[prop]!r} is not one of {known}")
