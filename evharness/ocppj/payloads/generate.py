"""Write the payload TypedDicts and the `Action` names from the official OCPP JSON schemas.

    python -m evharness.ocppj.payloads.generate        # rewrites v16.py, v201.py, v21.py, actions.py

The schemas are the ones the project validates with (the `ocpp` package's, `evharness.ocppj.schemas`).
Each message is a TypedDict named after its schema (`BootNotificationRequest`, `…Response`); a 2.0.1 /
2.1 definition keeps its name (`IdTokenType`, `AuthorizationStatusEnumType`); a 1.6 nested object or
enum is named after where it first appears (`AuthorizeResponseIdTagInfo`) and reused wherever the same
shape comes again. Enums are `Literal` aliases, optional fields `NotRequired`. Types only: nothing here
runs when a frame is handled. `tests/ocppj/test_payloads.py` checks that the files are what this writes.
"""

from __future__ import annotations

import importlib.resources
import json
from pathlib import Path
from typing import Any

from evharness.ocppj.versions import OcppVersion

HERE = Path(__file__).parent
MODULES = {OcppVersion.V16: "v16", OcppVersion.V201: "v201", OcppVersion.V21: "v21"}
WIDTH = 110
SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def schemas(version: OcppVersion) -> dict[str, dict[str, Any]]:
    """Message name → schema: `XRequest` / `XResponse` (1.6 requests are `X.json`), or a 2.1 SEND's `X`."""
    folder = importlib.resources.files("ocpp") / version.schema_package / "schemas"
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".json"):
            continue
        name = entry.name.removesuffix(".json")
        if version is OcppVersion.V16 and not name.endswith("Response"):
            name += "Request"
        found[name] = json.loads(entry.read_text(encoding="utf-8"))
    return found


def _shape(node: Any) -> str:
    """A node's structure without its prose, to recognise the same type under another name."""
    if isinstance(node, dict):
        kept = {
            k: _shape(v) for k, v in node.items() if k not in ("description", "javaType", "comment", "$id")
        }
        return json.dumps(kept, sort_keys=True)
    if isinstance(node, list):
        return json.dumps([_shape(v) for v in node])
    return json.dumps(node)


class Module:
    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.names: set[str] = set()
        self.by_shape: dict[str, str] = {}
        self.uses_any = False
        self.named: dict[str, str] = {}  # definition name → its shape

    def message(self, name: str, schema: dict[str, Any]) -> None:
        definitions = schema.get("definitions", {})
        self._object(self._unique(name), schema, definitions, {}, fixed=True)

    def _unique(self, wanted: str) -> str:
        name, number = wanted, 2
        while name in self.names:
            name, number = f"{wanted}{number}", number + 1
        self.names.add(name)
        return name

    def _type(
        self,
        node: dict[str, Any],
        hint: str,
        definitions: dict[str, Any],
        seen: dict[str, str],
        *,
        fixed: bool = False,
    ) -> str:
        if "$ref" in node:
            definition = node["$ref"].rsplit("/", 1)[-1]
            if definition not in seen:
                seen[definition] = self._definition(definition, definitions, seen)
            return seen[definition]
        if "enum" in node:
            return self._literal(hint, node, fixed)
        kind = node.get("type")
        if kind in SCALARS:
            return SCALARS[kind]
        if kind == "array":
            return f"list[{self._type(node.get('items', {}), hint, definitions, seen)}]"
        if kind == "object" and "properties" in node:
            return self._object(hint, node, definitions, seen, fixed)
        self.uses_any = True
        return "dict[str, Any]" if kind == "object" else "Any"

    def _definition(self, name: str, definitions: dict[str, Any], seen: dict[str, str]) -> str:
        """A named definition (2.0.1, 2.1) keeps its name; the same name with another shape in another
        message gets a number."""
        key = _shape(definitions[name])
        if self.named.get(name) == key:
            return name
        if name not in self.named:
            self.named[name] = key
            self.names.add(name)
            return self._type(definitions[name], name, definitions, seen, fixed=True)
        return self._type(definitions[name], name, definitions, seen)

    def _literal(self, hint: str, node: dict[str, Any], fixed: bool = False) -> str:
        key = _shape({"enum": node["enum"]})
        if fixed:
            name = hint
        elif key in self.by_shape:
            return self.by_shape[key]
        else:
            name = self.by_shape[key] = self._unique(hint)
        values = [json.dumps(value) for value in node["enum"]]
        one_line = f"{name}: TypeAlias = Literal[{', '.join(values)}]"
        if len(one_line) <= WIDTH:
            self.blocks.append(one_line)
        else:
            self.blocks.append(
                "\n".join([f"{name}: TypeAlias = Literal[", *(f"    {v}," for v in values), "]"])
            )
        return name

    def _object(
        self,
        hint: str,
        node: dict[str, Any],
        definitions: dict[str, Any],
        seen: dict[str, str],
        fixed: bool = False,
    ) -> str:
        key = _shape(node)
        if fixed:
            name = hint
        elif key in self.by_shape:
            return self.by_shape[key]
        else:
            name = self.by_shape[key] = self._unique(hint)
        required = set(node.get("required", []))
        lines = [f"class {name}(TypedDict):"]
        for field, child in node.get("properties", {}).items():
            child_hint = (
                child["$ref"].rsplit("/", 1)[-1] if "$ref" in child else name + field[:1].upper() + field[1:]
            )
            kind = self._type(child, child_hint, definitions, seen)
            lines.append(f"    {field}: {kind if field in required else f'NotRequired[{kind}]'}")
        if len(lines) == 1:
            lines.append("    pass")
        self.blocks.append("\n".join(lines))
        return name


def render(version: OcppVersion) -> str:
    module = Module()
    for name, schema in schemas(version).items():
        module.message(name, schema)
    typing = (
        "Any, Literal, NotRequired, TypeAlias, TypedDict"
        if module.uses_any
        else ("Literal, NotRequired, TypeAlias, TypedDict")
    )
    header = [
        f'"""OCPP {version.value} payloads as TypedDicts (generated by `evharness.ocppj.payloads.generate`'
        " from the",
        'official JSON schemas; do not edit: run `python -m evharness.ocppj.payloads.generate`)."""',
        "",
        "from __future__ import annotations",
        "",
        f"from typing import {typing}",
    ]
    return "\n\n\n".join(["\n".join(header), *module.blocks]) + "\n"


def render_actions() -> str:
    actions = sorted(
        {name.removesuffix("Request").removesuffix("Response") for v in MODULES for name in schemas(v)}
    )
    lines = [
        '"""Every OCPP action of 1.6, 2.0.1 and 2.1 (generated by `evharness.ocppj.payloads.generate`',
        'from the official JSON schemas; do not edit: run `python -m evharness.ocppj.payloads.generate`)."""',
        "",
        "from __future__ import annotations",
        "",
        "from typing import Final",
        "",
        "",
        "class Action:",
        '    """Action names as constants: plain `str` when run (JSON keys, frames), `Literal` to mypy."""',
        "",
        *(f'    {action}: Final = "{action}"' for action in actions),
        "",
        "",
        "ACTIONS: Final = frozenset(",
        "    {",
        *(f"        Action.{action}," for action in actions),
        "    }",
        ")",
    ]
    return "\n".join(lines) + "\n"


def files() -> dict[Path, str]:
    """Each generated file and what it should hold."""
    written = {HERE / f"{module}.py": render(version) for version, module in MODULES.items()}
    written[HERE / "actions.py"] = render_actions()
    return written


def main() -> None:
    for path, text in files().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
