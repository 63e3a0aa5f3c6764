"""The versions of the test oracles (NumPy, Pillow, pytest) pinned in requirements.txt.

The golden data generators call `require_pinned("numpy", ...)` before writing anything, so
golden data is only ever made by the pinned versions; the interop suite checks that the
running versions and the versions recorded in the golden data are the pinned ones.
"""
import importlib.metadata
import pathlib
import re
import sys

REQUIREMENTS = pathlib.Path(__file__).resolve().with_name("requirements.txt")


def pinned(requirements=REQUIREMENTS):
    """{distribution name (lower case): version} for every `name==version` line."""
    pins = {}
    for line in pathlib.Path(requirements).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*==\s*([A-Za-z0-9_.+!-]+)", line)
        if not match:
            raise ValueError(f"{requirements}: '{line}' is not an exact pin (name==version)")
        pins[match.group(1).lower()] = match.group(2)
    return pins


def running(name):
    """The installed version of distribution `name`, or None when it is not installed."""
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def mismatches(names, requirements=REQUIREMENTS):
    """One line per distribution in `names` whose running version is not the pinned one."""
    pins = pinned(requirements)
    problems = []
    for name in names:
        want = pins.get(name.lower())
        if want is None:
            problems.append(f"{name} is not pinned in {requirements}")
        elif running(name) != want:
            problems.append(f"{name} {running(name) or '(not installed)'} is running, but {requirements} pins {name}=={want}")
    return problems


def require_pinned(*names, requirements=REQUIREMENTS):
    """Exits (status 2, one line per problem on stderr) unless every distribution in `names`
    runs at its pinned version: golden data made by another version would move the oracle.
    To move to a new version, change its pin first, then regenerate (docs/golden-data.md)."""
    problems = mismatches(names, requirements)
    if problems:
        for problem in problems:
            print(f"{sys.argv[0]}: {problem}", file=sys.stderr)
        print(f"{sys.argv[0]}: nothing written; run 'python3 -m pip install -r {requirements}' first",
              file=sys.stderr)
        raise SystemExit(2)
