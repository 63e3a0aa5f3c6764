"""Writing a golden data file, or checking that the checked-in one is current: the last step
every `gen_*.py` script with a `--check` option shares (docs/golden-data.md)."""
import sys


def write_or_check(path, content, check, oracle):
    """Writes `content` to `path` (creating its folder) and says so, naming `oracle` (e.g.
    "numpy 2.4.6"); with `check`, writes nothing and exits 1 unless `path` already holds it."""
    if check:
        if not path.exists() or path.read_text() != content:
            print(f"{sys.argv[0]}: {path} is not current; re-run without --check", file=sys.stderr)
            raise SystemExit(1)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    print(f"wrote {path} ({oracle})")


def json_generator_main(path, build, description):
    """The rest of `main` for a generator whose golden file is NumPy's output as compact JSON:
    parses `--check`, builds, writes or checks. The caller first calls
    `oracle_versions.require_pinned("numpy")` (test_oracle_versions.py looks for it there)."""
    import argparse
    import json

    import numpy as np

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="fail if the file is not what this script writes")
    args = parser.parse_args()
    content = json.dumps(build(), separators=(",", ":")) + "\n"
    write_or_check(path, content, args.check, f"numpy {np.__version__}")
