"""The x-amz-crc32 checksum: whichever implementation server/crc32.py picks must give
zlib's CRC32 (what botocore recomputes and compares) for every body."""

from __future__ import annotations

import importlib
import sys
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server import crc32 as crc32_module


@settings(max_examples=300)
@given(st.binary(max_size=5000))
def test_agrees_with_zlib(data):
    assert crc32_module.crc32(data) == zlib.crc32(data)


@pytest.mark.parametrize("size", [0, 1, 15, 16, 63, 64, 65, 4095, 4096, 104_032, 1 << 20])
def test_agrees_with_zlib_around_block_sizes(size):
    # Carry-less-multiply CRCs fold 16/64-byte blocks with a byte-wise tail: every
    # boundary and a 1 MB Scan page's size.
    data = bytes((index * 131 + 7) % 256 for index in range(size))
    assert crc32_module.crc32(data) == zlib.crc32(data)


def test_isal_is_used_when_installed():
    pytest.importorskip("isal")
    assert crc32_module.IMPLEMENTATION == "isal"


def test_zlib_stands_in_without_isal(monkeypatch):
    monkeypatch.setitem(sys.modules, "isal", None)  # makes `import isal...` raise ImportError
    monkeypatch.setitem(sys.modules, "isal.isal_zlib", None)
    try:
        reloaded = importlib.reload(crc32_module)
        assert reloaded.IMPLEMENTATION == "zlib"
        assert reloaded.crc32(b'{"TableNames":[]}') == zlib.crc32(b'{"TableNames":[]}')
    finally:
        monkeypatch.undo()
        importlib.reload(crc32_module)
