#!/usr/bin/env python3
"""Writes the hand-made regression inputs under Fuzz/Regressions/<target>/.

Inputs that libFuzzer found are copied there verbatim (named `fuzz-<what>-<sha1 prefix>`);
this script makes the ones a person wrote to pin a bug found by reading or by the mutation
harness. Every file here must be rejected with a one-line message and never crash
(HostileInputTests.CorpusReplayTests replays them all). Run: python3 Fuzz/make_regressions.py
"""
import io
import pathlib
import struct
import zipfile

HERE = pathlib.Path(__file__).resolve().parent


def out(target, name, data):
    folder = HERE / "Regressions" / target
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def npy(header_text, data=b"", version=(1, 0)):
    text = header_text.encode("latin-1") if isinstance(header_text, str) else header_text
    length_format = "<H" if version[0] == 1 else "<I"
    prefix_length = 6 + 2 + struct.calcsize(length_format)
    pad = 64 - (prefix_length + len(text) + 1) % 64
    text += b" " * pad + b"\n"
    return b"\x93NUMPY" + bytes(version) + struct.pack(length_format, len(text)) + text + data


def main():
    # A zero dimension made the byte count 0, so (0, 2**40, 2**40) passed the overflow
    # check and computing its strides trapped (NumPy: "array is too big").
    out("npy-header", "zero-dim-overflowing-strides.npy",
        npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 1099511627776, 1099511627776), }"))
    # '<U0' has no bytes per element, so the file could not bound the element count and
    # reading reserved 2**62 strings.
    out("npy-header", "zero-width-strings-huge-count.npy",
        npy("{'descr': '<U0', 'fortran_order': False, 'shape': (4611686018427387904,), }"))
    # Header text with a carriage return and a newline inside a key: echoed raw, the error
    # message was three lines (found by the mutation harness).
    out("npy-header", "line-breaks-in-key.npy",
        npy("{'descr': '<f4', 'fortran_order': False, 'sha\\rpe\\n': (3,), }".replace("\\r", "\r").replace("\\n", "\n")))
    # A member name with a line break made the NPZ error messages two lines.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("x\n.npy", b"\x93NUMPY\x01\x00garbage")
    out("npz", "line-break-in-member-name.npz", buffer.getvalue())


if __name__ == "__main__":
    main()
