"""The test oracles are pinned: the running NumPy, Pillow and pytest are the versions in
requirements.txt, the golden data records those versions, and every golden data generator
refuses to run under any other version (docs/golden-data.md)."""
import json
import pathlib
import subprocess
import sys

import pytest

import oracle_versions

ROOT = pathlib.Path(__file__).resolve().parent.parent
# Every script that writes golden data, with the oracles it depends on.
GENERATORS = {
    "python-interop/gen_npy_fixtures.py": ["numpy"],
    "python-interop/gen_ndarray_cases.py": ["numpy"],
    "python-interop/gen_random_streams.py": ["numpy"],
    "python-interop/gen_linalg_cases.py": ["numpy"],
    "python-interop/gen_epoch_orders.py": ["numpy"],
    "python-interop/gen_imaging_fixtures.py": ["numpy", "pillow"],
    "Tests/Fixtures/ImageDataset/make_normalization_golden.py": ["numpy"],
}


def test_requirements_pin_exact_versions():
    # pinned() refuses any line that is not name==version; the oracles are among them (the
    # other pins are the frameworks test_presets.py runs and test tools such as dask).
    assert {"numpy", "pillow", "pytest"} <= set(oracle_versions.pinned())


@pytest.mark.parametrize("name", ["numpy", "pillow", "pytest"])
def test_running_version_is_the_pinned_one(name):
    assert oracle_versions.mismatches([name]) == [], \
        "run 'python3 -m pip install -r python-interop/requirements.txt' (or 'make deps')"


def test_golden_data_records_the_pinned_versions():
    pins = oracle_versions.pinned()
    images = json.loads((ROOT / "Tests/Fixtures/images/manifest.json").read_text())
    assert (images["numpy"], images["pillow"]) == (pins["numpy"], pins["pillow"])
    recorded = {path.name: json.loads(path.read_text())["numpy"]
                for path in sorted((ROOT / "Tests/Fixtures/ndarray").glob("*.json"))}
    assert len(recorded) >= 10
    assert set(recorded.values()) == {pins["numpy"]}, recorded


def test_every_golden_generator_checks_the_pins():
    """Each generator calls require_pinned with its oracles before writing anything."""
    found = sorted(str(p.relative_to(ROOT)) for p in [*(ROOT / "python-interop").glob("gen_*.py"),
                                                       *(ROOT / "Tests/Fixtures").rglob("make_*.py")])
    assert found == sorted(GENERATORS)
    for path, names in GENERATORS.items():
        call = "oracle_versions.require_pinned(" + ", ".join(f'"{n}"' for n in names) + ")"
        assert call in (ROOT / path).read_text(), f"{path} does not call {call}"


def test_a_version_other_than_the_pin_is_refused(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("numpy==0.0.1  # not what runs\npillow==13.0.0\n")
    script = ("import sys; sys.path.insert(0, sys.argv[1]); import oracle_versions; "
              "oracle_versions.require_pinned('numpy', requirements=sys.argv[2]); print('wrote')")
    run = subprocess.run([sys.executable, "-c", script, str(ROOT / "python-interop"), str(requirements)],
                         capture_output=True, text=True)
    assert run.returncode == 2 and run.stdout == ""
    assert f"but {requirements} pins numpy==0.0.1" in run.stderr and "nothing written" in run.stderr


def test_a_range_is_not_a_pin(tmp_path):
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("numpy>=1.24\n")
    with pytest.raises(ValueError, match="not an exact pin"):
        oracle_versions.pinned(requirements)


def test_linalg_golden_data_records_the_pinned_numpy():
    recorded = json.loads((ROOT / "Tests/Fixtures/linalg/cases.json").read_text())["numpy"]
    assert recorded == oracle_versions.pinned()["numpy"]
