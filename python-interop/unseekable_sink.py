"""A write-only stream that cannot seek: zipfile then writes data descriptors after members.

The `.npz` fixtures and the fuzz seeds both need zips with data descriptors (what
`numpy.savez` produces when it writes to a pipe); this is the one sink they share.
"""

import io


class UnseekableSink(io.RawIOBase):
    """Collects written bytes in `data`; `seekable()` is False, so zipfile streams."""

    def __init__(self):
        self.data = bytearray()

    def writable(self):
        return True

    def write(self, b):
        self.data += b
        return len(b)
