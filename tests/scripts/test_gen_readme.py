"""scripts/gen_readme.py: the README's generated tables stay true to the code."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from emulator import api

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "gen_readme.py"


@pytest.fixture(scope="module")
def gen_readme():
    spec = importlib.util.spec_from_file_location("gen_readme", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_readme"] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop("gen_readme", None)


def test_readme_tables_are_up_to_date(gen_readme):
    current = gen_readme.README.read_text(encoding="utf-8")
    assert gen_readme.generated(current) == current, (
        f"README.md is out of date with emulator/api.py or the compat known_difference markers: "
        f"run `{gen_readme.COMMAND}`"
    )


def test_operations_table_has_each_operation_once(gen_readme):
    table = gen_readme.render_operations(api.OPERATIONS, api.STREAMS_OPERATIONS)
    for name in [*api.OPERATIONS, *api.STREAMS_OPERATIONS]:
        assert table.count(f"`{name}`") == 1, name


def test_operations_are_grouped_by_implementing_module(gen_readme):
    def put_item(db, request):
        return {}

    def mystery(db, request):
        return {}

    put_item.__module__ = "emulator.operations.items"
    mystery.__module__ = "emulator.operations.global_secondary_things"
    table = gen_readme.render_operations({"PutItem": put_item, "Mystery": mystery}, {"GetRecords": mystery})
    assert table.splitlines() == [
        "2 DynamoDB operations and 1 DynamoDB Streams operations.",
        "",
        "| area | operation |",
        "|---|---|",
        "| Items | `PutItem` |",
        "| Global secondary things | `Mystery` |",
        "| DynamoDB Streams | `GetRecords` |",
    ]


SOURCE = '''
import pytest

pytestmark = pytest.mark.known_difference(reason="whole file", issue=9)


@pytest.mark.known_difference(reason="one test", issue=3)
def test_one():
    pass


@pytest.mark.parametrize("x", [1, pytest.param(2, marks=pytest.mark.known_difference("param", "#7"))])
def test_two(x):
    pass


class TestGroup:
    @pytest.mark.known_difference(reason="a | method", issue="https://example.com/1")
    def test_method(self):
        pass


def test_unmarked():
    pass
'''


def test_known_differences_are_found_in_the_source(gen_readme):
    found = gen_readme.known_differences(SOURCE, "compat/test_x.py")
    assert [(d.test, d.reason, d.issue) for d in found] == [
        ("", "whole file", "9"),
        ("test_one", "one test", "3"),
        ("test_two", "param", "#7"),
        ("TestGroup::test_method", "a | method", "https://example.com/1"),
    ]


def test_differences_table_rows(gen_readme):
    table = gen_readme.render_differences(gen_readme.known_differences(SOURCE, "compat/test_x.py"))
    assert table.splitlines()[2:] == [
        "| `compat/test_x.py` (all tests) | whole file | #9 |",
        "| `compat/test_x.py::TestGroup::test_method` | a \\| method | https://example.com/1 |",
        "| `compat/test_x.py::test_one` | one test | #3 |",
        "| `compat/test_x.py::test_two` | param | #7 |",
    ]


def test_no_differences_says_so(gen_readme):
    assert gen_readme.render_differences([]).startswith("None known")


def test_replace_block_keeps_everything_else(gen_readme):
    text = "intro\n<!-- operations:start -->\nold\n<!-- operations:end -->\noutro\n"
    assert gen_readme.replace_block(text, "operations", "new") == (
        "intro\n<!-- operations:start -->\nnew\n<!-- operations:end -->\noutro\n")


def test_replace_block_refuses_a_readme_without_markers(gen_readme):
    with pytest.raises(ValueError):
        gen_readme.replace_block("no markers here", "operations", "new")


def test_check_mode_reports_a_stale_readme(gen_readme, tmp_path, monkeypatch, capsys):
    stale = tmp_path / "README.md"
    stale.write_text("<!-- operations:start -->\n<!-- operations:end -->\n"
                     "<!-- differences:start -->\n<!-- differences:end -->\n")
    monkeypatch.setattr(gen_readme, "README", stale)
    assert gen_readme.main(["--check"]) == 1
    assert "run `python scripts/gen_readme.py`" in capsys.readouterr().err
    assert gen_readme.main([]) == 0
    assert gen_readme.main(["--check"]) == 0
    assert "`PutItem`" in stale.read_text()
