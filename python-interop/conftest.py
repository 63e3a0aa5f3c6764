"""Shared pytest fixtures: where the built normtool and imaging-tool are, and the repository root."""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def bin_path(package=ROOT):
    """`swift build --show-bin-path` of the package at `package` (debug)."""
    return subprocess.run(["swift", "build", "--package-path", str(package), "--show-bin-path"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="session")
def normtool():
    """Path of the built normtool binary (the Makefile passes it as $NORMTOOL)."""
    path = os.environ.get("NORMTOOL") or os.path.join(bin_path(), "normtool")
    assert os.path.exists(path), f"normtool is not built at {path}: run 'swift build'"
    return path


@pytest.fixture(scope="session")
def imaging_tool():
    """Path of the built imaging-tool, a developer tool of the nested package Benchmarks/ (the
    Makefile passes it as $IMAGING_TOOL)."""
    path = os.environ.get("IMAGING_TOOL") or os.path.join(bin_path(ROOT / "Benchmarks"), "imaging-tool")
    assert os.path.exists(path), \
        f"imaging-tool is not built at {path}: run 'swift build --package-path Benchmarks --product imaging-tool'"
    return path
