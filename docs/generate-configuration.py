#!/usr/bin/env python3
"""Writes docs/configuration.md from the configuration metadata the build generates.

Usage (from the repository root, after `mvn -pl distkit-spring-boot-autoconfigure -am compile`):
    python3 docs/generate-configuration.py
"""

import json
import pathlib

root = pathlib.Path(__file__).resolve().parent.parent
metadata = root / "distkit-spring-boot-autoconfigure/target/classes/META-INF/spring-configuration-metadata.json"
data = json.loads(metadata.read_text(encoding="utf-8"))
hints = {hint["name"]: [value["value"] for value in hint.get("values", [])] for hint in data.get("hints", [])}

groups = {}
for prop in sorted(data["properties"], key=lambda p: p["name"]):
    parts = prop["name"].split(".")
    group = ".".join(parts[:2]) if len(parts) > 2 else "distkit"
    groups.setdefault(group, []).append(prop)


def default(prop):
    value = prop.get("defaultValue")
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "`" + str(value).lower() + "`"
    if isinstance(value, list):
        return "`" + ",".join(str(v) for v in value) + "`" if value else "—"
    return "`" + str(value) + "`"


def type_of(prop):
    t = prop.get("type", "")
    t = t.replace("java.lang.", "").replace("java.time.", "").replace("java.math.", "").replace("java.util.", "")
    name = prop["name"]
    values = hints.get(name) or hints.get(name.replace("limits.", "limits.values.", 1))
    if values:
        return " \\| ".join("`" + v + "`" for v in values)
    return t.split(".")[-1].replace("<", "&lt;").replace(">", "&gt;")


lines = [
    "# Configuration",
    "",
    "Every `distkit.*` property with its type and default, generated from the configuration metadata the build",
    "produces (`python3 docs/generate-configuration.py`). Durations take Spring Boot's forms (`500ms`, `10s`, `1m`).",
    "An invalid value stops start-up with a message naming the property, the rule and the value.",
    "",
]
for group, props in groups.items():
    lines.append("## `" + group + "`")
    lines.append("")
    lines.append("| property | type | default | description |")
    lines.append("|---|---|---|---|")
    for prop in props:
        description = prop.get("description", "").replace("|", "\\|").replace("\n", " ")
        lines.append("| `" + prop["name"] + "` | " + type_of(prop) + " | " + default(prop) + " | " + description + " |")
    lines.append("")
(root / "docs/configuration.md").write_text("\n".join(lines), encoding="utf-8")
print("wrote docs/configuration.md:", sum(len(p) for p in groups.values()), "properties")
