"""Shared pytest fixtures: where the built normtool is, and the repository root."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def normtool():
    """Path of the built normtool binary (the Makefile passes it as $NORMTOOL)."""
    path = os.environ.get("NORMTOOL")
    if not path:
        bin_dir = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT,
                                 capture_output=True, text=True, check=True).stdout.strip()
        path = os.path.join(bin_dir, "normtool")
    assert os.path.exists(path), f"normtool is not built at {path}: run 'swift build'"
    return path
