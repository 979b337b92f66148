"""The CRC32 of a response body, for the ``x-amz-crc32`` header that botocore verifies.

zlib's CRC32 (zlib 1.2.x, a byte-at-a-time table) runs at ~4 GB/s here: 27 us for the
100 KB of a 100-item Query page, ~270 us for a 1 MB Scan page, about a quarter of the
server's instructions for such a read (bench/RESULTS.md). ISA-L's CRC32 (the ``isal``
package, compiled wheels for the common platforms) folds 64 bytes at a time with
carry-less multiplication: 2 us for the same 100 KB. Same polynomial, same initial value,
same result for every input (``tests/server/test_crc32.py`` checks them against each
other), so it is used when it can be imported and zlib's otherwise.
"""

from __future__ import annotations

import zlib
from typing import Callable


def _fastest() -> tuple[Callable[[bytes], int], str]:
    try:
        from isal.isal_zlib import crc32 as isal_crc32
    except ImportError:
        return zlib.crc32, "zlib"
    return isal_crc32, "isal"


crc32, IMPLEMENTATION = _fastest()
