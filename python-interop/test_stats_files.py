"""Statistics files: the schema in docs/stats-schema.json, and every form `--stats` accepts
(normtool's own --save-stats output under any name, `stats FOLDER --json`, a hand-written
minimal file, 0-255 values with "scale": 255) or refuses (0-255 values without it)."""
import json
import os
import pathlib
import subprocess

import numpy as np
import pytest

import convert_corpus

SCHEMA = json.loads((pathlib.Path(__file__).resolve().parent.parent / "docs" / "stats-schema.json").read_text())
TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}


def schema_errors(value, schema, where="$"):
    """The violations of the JSON Schema keywords docs/stats-schema.json uses (a small
    subset of draft 2020-12: type, required, properties, additionalProperties, items,
    minItems, minimum, enum, const, oneOf)."""
    errors = []
    kind = schema.get("type")
    if kind in ("number", "integer"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if ok and kind == "integer":
            ok = float(value).is_integer()
        if not ok:
            return [f"{where}: expected {kind}, found {value!r}"]
    elif kind is not None and not isinstance(value, TYPES[kind]):
        return [f"{where}: expected {kind}, found {type(value).__name__}"]
    if "const" in schema and value != schema["const"]:
        errors.append(f"{where}: expected {schema['const']!r}, found {value!r}")
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{where}: expected one of {schema['enum']}, found {value!r}")
    if "minimum" in schema and isinstance(value, (int, float)) and value < schema["minimum"]:
        errors.append(f"{where}: {value} < {schema['minimum']}")
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not schema_errors(value, s, where)]
        if len(matching) != 1:
            errors.append(f"{where}: matches {len(matching)} of oneOf")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                errors.append(f"{where}: missing {key!r}")
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key in properties:
                errors += schema_errors(item, properties[key], f"{where}.{key}")
            elif schema.get("additionalProperties") is False:
                errors.append(f"{where}: unexpected key {key!r}")
            elif isinstance(schema.get("additionalProperties"), dict):
                errors += schema_errors(item, schema["additionalProperties"], f"{where}.{key}")
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            errors.append(f"{where}: fewer than {schema['minItems']} items")
        if "items" in schema:
            for i, item in enumerate(value):
                errors += schema_errors(item, schema["items"], f"{where}[{i}]")
    return errors


def test_the_validator_catches_violations():
    assert schema_errors({"mean": [0.5], "std": [0.2]}, SCHEMA) == []
    assert schema_errors({"mean": [0.5]}, SCHEMA) == ["$: missing 'std'"]
    assert schema_errors({"mean": "0.5", "std": [0.2]}, SCHEMA) == ["$.mean: expected array, found str"]
    assert schema_errors({"mean": [0.5], "std": [-1]}, SCHEMA) == ["$.std[0]: -1 < 0"]
    assert schema_errors({"mean": [0.5], "std": [0.2], "scale": 100}, SCHEMA)
    assert schema_errors({"mean": [0.5], "std": [0.2], "colour": 1}, SCHEMA) == ["$: unexpected key 'colour'"]
    assert schema_errors({"mean": [0.5], "std": [0.2], "count": [1, 2]}, SCHEMA) == []
    assert schema_errors({"mean": [0.5], "std": [0.2], "count": "9"}, SCHEMA) == ["$.count: matches 0 of oneOf"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("stats") / "images"
    convert_corpus.make_corpus(root, count=9)
    return root


def convert(normtool, folder, out, *options):
    return subprocess.run([normtool, "convert", str(folder), "-o", str(out), "--size", "16", "--quiet",
                           *map(str, options)], capture_output=True, text=True)


def x_of(path):
    with np.load(path, allow_pickle=False) as z:
        return z["x"]


@pytest.mark.parametrize("normalize", ["standardize", "scale"])
@pytest.mark.parametrize("source", ["dataset", "imagenet", "batch:4"])
def test_save_stats_output_matches_the_schema(corpus, normtool, tmp_path, normalize, source):
    saved = tmp_path / "train.stats"
    result = convert(normtool, corpus, tmp_path / "x.npz", "--save-stats", saved, "--normalize", normalize,
                     "--stats", source)
    assert result.returncode == 0, result.stderr
    document = json.loads(saved.read_text())
    assert schema_errors(document, SCHEMA) == []
    assert document["classes"] == ["cat", "dog", "eel"]
    assert document["applied"] == (normalize == "standardize" and source != "batch:4")


@pytest.mark.parametrize("axes", [[], ["--axes", "0,1,2"]])
def test_stats_folder_json_matches_the_schema_and_is_accepted(corpus, normtool, tmp_path, axes):
    result = subprocess.run([normtool, "stats", str(corpus), "--size", "16", "--json", *axes],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert schema_errors(document, SCHEMA) == []
    measured = tmp_path / "measured.json"
    measured.write_text(result.stdout)
    scope = "channel" if axes else "global"
    # stats FOLDER measures what convert uses: applying it equals convert's own dataset statistics.
    applied = convert(normtool, corpus, tmp_path / "a.npz", "--stats", measured, "--scope", scope)
    own = convert(normtool, corpus, tmp_path / "b.npz", "--scope", scope)
    assert applied.returncode == 0 and own.returncode == 0, applied.stderr + own.stderr
    np.testing.assert_array_equal(x_of(tmp_path / "a.npz"), x_of(tmp_path / "b.npz"))


def test_stats_array_json_is_the_same_report(corpus, normtool, tmp_path):
    """`stats ARRAY --json` prints the report `stats FOLDER --json` and --save-stats use: of
    unit-scale pixels it matches the schema and is accepted by --stats."""
    scaled = convert(normtool, corpus, tmp_path / "s.npz", "--normalize", "scale", "--dtype", "float64")
    assert scaled.returncode == 0, scaled.stderr
    result = subprocess.run([normtool, "stats", str(tmp_path / "s.npz"), "--axes", "0,1,2", "--json"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert schema_errors(document, SCHEMA) == []
    assert list(document) == ["axes", "shape", "count", "mean", "std", "min", "max"]
    measured = tmp_path / "array.json"
    measured.write_text(result.stdout)
    applied = convert(normtool, corpus, tmp_path / "a.npz", "--stats", measured, "--dtype", "float64")
    own = convert(normtool, corpus, tmp_path / "b.npz", "--dtype", "float64")
    assert applied.returncode == 0 and own.returncode == 0, applied.stderr + own.stderr
    np.testing.assert_allclose(x_of(tmp_path / "a.npz"), x_of(tmp_path / "b.npz"), rtol=1e-9, atol=1e-9)


def test_a_hand_written_minimal_file_is_applied(corpus, normtool, tmp_path):
    minimal = tmp_path / "mine.txt"
    minimal.write_text('{"mean": [0.5, 0.25, 0.75], "std": [0.25, 0.5, 0.125]}')
    assert schema_errors(json.loads(minimal.read_text()), SCHEMA) == []
    result = convert(normtool, corpus, tmp_path / "x.npz", "--stats", minimal, "--dtype", "float64")
    assert result.returncode == 0, result.stderr
    raw = convert(normtool, corpus, tmp_path / "raw.npz", "--normalize", "scale", "--dtype", "float64")
    assert raw.returncode == 0, raw.stderr
    expected = (x_of(tmp_path / "raw.npz") - [0.5, 0.25, 0.75]) / [0.25, 0.5, 0.125]
    np.testing.assert_allclose(x_of(tmp_path / "x.npz"), expected, rtol=1e-12, atol=1e-12)


def test_pixel_scale_statistics_are_refused_without_scale_255(corpus, normtool, tmp_path):
    stats = tmp_path / "imagenet-255.json"
    stats.write_text('{"mean": [123.675, 116.28, 103.53], "std": [58.395, 57.12, 57.375]}')
    result = convert(normtool, corpus, tmp_path / "x.npz", "--stats", stats)
    assert result.returncode == 1
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1 and str(stats) in message
    assert "0-255" in message and "[0, 1]" in message and '"scale": 255' in message
    assert not (tmp_path / "x.npz").exists()


def test_scale_255_statistics_are_divided_by_255(corpus, normtool, tmp_path):
    pixels = tmp_path / "imagenet-255.json"
    pixels.write_text('{"mean": [123.675, 116.28, 103.53], "std": [58.395, 57.12, 57.375], "scale": 255}')
    assert schema_errors(json.loads(pixels.read_text()), SCHEMA) == []
    result = convert(normtool, corpus, tmp_path / "p.npz", "--stats", pixels, "--dtype", "float64")
    assert result.returncode == 0, result.stderr
    imagenet = convert(normtool, corpus, tmp_path / "i.npz", "--stats", "imagenet", "--dtype", "float64")
    assert imagenet.returncode == 0, imagenet.stderr
    # 123.675 / 255 is 0.485 up to rounding: the two agree to the last few bits.
    np.testing.assert_allclose(x_of(tmp_path / "p.npz"), x_of(tmp_path / "i.npz"), rtol=1e-13, atol=1e-13)
    with np.load(tmp_path / "p.npz") as z:
        np.testing.assert_allclose(z["mean"], [0.485, 0.456, 0.406], rtol=1e-15)


def test_a_missing_stats_file_or_unknown_keyword_is_a_usage_error(corpus, normtool, tmp_path):
    for stats in (tmp_path / "nowhere.stats", "median"):
        result = convert(normtool, corpus, tmp_path / "x.npz", "--stats", stats)
        assert result.returncode == 64
        assert result.stderr.startswith("Error: --stats: expected dataset, image, batch:N, sample:K, imagenet or an "
                                        f"existing statistics file, found '{stats}' (no such file)\n")
    assert os.listdir(tmp_path) == []
