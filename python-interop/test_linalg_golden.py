"""The linear-algebra golden data is what its generator writes with the pinned NumPy."""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_linalg_cases_are_current():
    run = subprocess.run([sys.executable, str(ROOT / "python-interop/gen_linalg_cases.py"), "--check"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_a_changed_answer_is_caught(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "python-interop"))
    import gen_linalg_cases
    changed = tmp_path / "cases.json"
    changed.write_text(gen_linalg_cases.OUT.read_text().replace('"Singular matrix"', '"singular"', 1))
    monkeypatch.setattr(gen_linalg_cases, "OUT", changed)
    monkeypatch.setattr(sys, "argv", ["gen_linalg_cases.py", "--check"])
    try:
        gen_linalg_cases.main()
    except SystemExit as stop:
        assert stop.code == 1
    else:
        raise AssertionError("--check accepted a changed file")
