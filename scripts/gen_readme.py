#!/usr/bin/env python3
"""Regenerate the README's generated tables from the code, and nothing else.

- "Supported operations" (between ``<!-- operations:start -->`` and
  ``<!-- operations:end -->``): one line per operation in ``emulator.api.OPERATIONS``
  and ``STREAMS_OPERATIONS``, grouped by the module that implements it.
- "Known differences" (between ``<!-- differences:start -->`` and
  ``<!-- differences:end -->``): one line per ``@pytest.mark.known_difference(reason=...,
  issue=...)`` in ``compat/``, found by parsing the sources (no pytest run).

Text outside the two marked blocks is left exactly as it is.

    python scripts/gen_readme.py           # rewrite README.md
    python scripts/gen_readme.py --check   # exit 1 if README.md is out of date
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
COMPAT = ROOT / "compat"
COMMAND = "python scripts/gen_readme.py"

#: Section titles for the modules under emulator/operations/ (others: the module name).
GROUP_TITLES = {
    "tables": "Tables",
    "tags": "Tags",
    "ttl": "Time to live",
    "items": "Items",
    "batch": "Batch operations",
    "transactions": "Transactions",
    "query": "Queries and scans",
    "scan": "Queries and scans",
    "query_scan": "Queries and scans",
    "backups": "Backups",
    "point_in_time": "Backups",
    "account": "Account",
    "partiql": "PartiQL",
    "global_tables": "Global tables",
    "limits": "Account limits",
    "streams": "DynamoDB Streams",
}
STREAMS_GROUP = "DynamoDB Streams"


def _group_of(handler: Callable) -> str:
    module = getattr(handler, "__module__", "") or ""
    name = module.rpartition(".")[2]
    return GROUP_TITLES.get(name) or name.replace("_", " ").capitalize() or "Other"


def render_operations(operations: Mapping[str, Callable], streams_operations: Mapping[str, Callable]) -> str:
    """A markdown table, one row per operation; groups in order of first appearance."""
    groups: dict[str, list[str]] = {}
    for name, handler in operations.items():
        groups.setdefault(_group_of(handler), []).append(name)
    if streams_operations:
        groups.setdefault(STREAMS_GROUP, []).extend(streams_operations)
    lines = [
        f"{len(operations)} DynamoDB operations and {len(streams_operations)} DynamoDB Streams operations.",
        "",
        "| area | operation |",
        "|---|---|",
    ]
    for group, names in groups.items():
        lines.extend(f"| {group} | `{name}` |" for name in sorted(set(names)))
    return "\n".join(lines)


@dataclass(frozen=True)
class KnownDifference:
    path: str  # relative to the repository root, e.g. compat/test_scan.py
    test: str  # the test (or class) carrying the marker; "" for a whole module
    reason: str
    issue: str


def _is_known_difference(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "known_difference")


def _text(node: ast.expr | None) -> str:
    if node is None:
        return ""
    try:
        return str(ast.literal_eval(node))
    except ValueError:
        return ast.unparse(node)


def _marker_fields(call: ast.Call) -> tuple[str, str]:
    fields = {keyword.arg: keyword.value for keyword in call.keywords if keyword.arg}
    positional = list(call.args)
    reason = fields.get("reason") or (positional[0] if positional else None)
    issue = fields.get("issue") or (positional[1] if len(positional) > 1 else None)
    return _text(reason), _text(issue)


def _owners(tree: ast.Module) -> Iterable[tuple[str, ast.AST]]:
    """(owner, node) pairs covering the module: a test function, a test class's
    decorators or methods, ``pytestmark`` (owner "": the whole file), other statements
    (owner: what they assign, e.g. a list of ``pytest.param`` cases)."""
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            for decorator in node.decorator_list:
                yield node.name, decorator
            for member in node.body:
                yield (f"{node.name}::{member.name}" if hasattr(member, "name") else node.name), member
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [ast.unparse(target) for target in targets]
            yield ("" if names == ["pytestmark"] else ", ".join(names)), node
        else:
            yield getattr(node, "name", ""), node


def known_differences(source: str, path: str) -> list[KnownDifference]:
    """Every known_difference marker in one compat source file."""
    found = []
    for test, node in _owners(ast.parse(source)):
        for inner in ast.walk(node):
            if _is_known_difference(inner):
                reason, issue = _marker_fields(inner)
                found.append(KnownDifference(path, test, reason, issue))
    return found


def collect_known_differences(compat_dir: Path = COMPAT) -> list[KnownDifference]:
    found = []
    for path in sorted(compat_dir.glob("test_*.py")):
        relative = path.relative_to(compat_dir.parent).as_posix()
        found.extend(known_differences(path.read_text(encoding="utf-8"), relative))
    return found


def _issue_link(issue: str) -> str:
    issue = issue.strip()
    return f"#{issue}" if issue.isdigit() else issue


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render_differences(differences: Iterable[KnownDifference]) -> str:
    rows = sorted(differences, key=lambda d: (d.path, d.test))
    if not rows:
        return "None known: every compatibility test passes against the emulator."
    lines = ["| test | difference | issue |", "|---|---|---|"]
    for row in rows:
        where = f"`{row.path}::{row.test}`" if row.test else f"`{row.path}` (all tests)"
        lines.append(f"| {where} | {_cell(row.reason)} | {_cell(_issue_link(row.issue))} |")
    return "\n".join(lines)


def replace_block(text: str, name: str, content: str) -> str:
    """``text`` with the lines between ``<!-- name:start -->`` and ``<!-- name:end -->``
    replaced by ``content``; raises ValueError if the markers are missing."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    head, found_start, rest = text.partition(start)
    middle, found_end, tail = rest.partition(end)
    if not found_start or not found_end:
        raise ValueError(f"README.md has no {start} ... {end} block")
    return f"{head}{start}\n{content}\n{end}{tail}"


def generated(text: str) -> str:
    """README text with both generated blocks brought up to date."""
    sys.path.insert(0, str(ROOT))
    from emulator import api

    text = replace_block(text, "operations", render_operations(api.OPERATIONS, api.STREAMS_OPERATIONS))
    return replace_block(text, "differences", render_differences(collect_known_differences()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate README.md's generated tables.")
    parser.add_argument("--check", action="store_true", help="only report whether README.md is up to date")
    args = parser.parse_args(argv)
    current = README.read_text(encoding="utf-8")
    wanted = generated(current)
    if args.check:
        if wanted != current:
            print(f"README.md is out of date: run `{COMMAND}`", file=sys.stderr)
            return 1
        return 0
    if wanted != current:
        README.write_text(wanted, encoding="utf-8")
        print("README.md updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
