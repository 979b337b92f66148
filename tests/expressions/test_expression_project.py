"""Projection of document paths into new items."""

from emulator.expressions import RequestExpressions

ITEM = {
    "a": {"S": "A"}, "m": {"M": {"x": {"N": "1"}, "y": {"L": [{"S": "0"}, {"S": "1"}, {"S": "2"}]}}},
    "l": {"L": [{"M": {"k": {"S": "v0"}, "j": {"S": "w0"}}}, {"S": "one"}, {"M": {"k": {"S": "v2"}}}]},
}


def project(text, names=None):
    return RequestExpressions(names, None).projection(text).apply(ITEM)


def test_projection_of_top_level_attributes():
    assert project("a, notthere") == {"a": {"S": "A"}}


def test_projection_keeps_nesting_and_index_order():
    assert project("m.y[2], m.y[0]") == {"m": {"M": {"y": {"L": [{"S": "0"}, {"S": "2"}]}}}}
    assert project("l[2].k, l[0].k") == {"l": {"L": [{"M": {"k": {"S": "v0"}}}, {"M": {"k": {"S": "v2"}}}]}}


def test_projection_leaves_out_paths_that_do_not_exist():
    assert project("m.nope, l[9], a.b, m.x[0]") == {}


def test_projection_resolves_names_and_reports_its_paths():
    projection = RequestExpressions({"#m": "m"}, None).projection("#m.x")
    assert projection.apply(ITEM) == {"m": {"M": {"x": {"N": "1"}}}}
    assert [p.elements for p in projection.paths] == [("m", "x")]
    assert projection.attribute_names == {"m"}


def test_projection_result_shares_nothing_mutable_with_wrong_parts():
    result = project("m.x")
    assert "y" not in result["m"]["M"] and "y" in ITEM["m"]["M"]
