"""pyproject.toml lists its packages by hand, so a new sub-package is easy to forget; an
editable install still finds it (the source tree is on the path), but a wheel built for
``pip install dynamodb-emulator`` would lack it and ``import emulator.api`` would fail."""

import pathlib

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_every_package_directory_is_listed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("emulator", "server", "grammar")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert on_disk - listed == set()
