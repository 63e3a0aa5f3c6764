"""The real client of --export hf: transformers' AutoImageProcessor (Pillow backend, no
torch, offline), loaded from a folder holding our preprocessor_config.json."""
import importlib

import pytest


def load_processor(folder, monkeypatch):
    """AutoImageProcessor.from_pretrained(folder); skips (saying why) without transformers."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_VERBOSITY", "error")
    try:
        transformers = importlib.import_module("transformers")
    except ImportError:
        pytest.skip("transformers is not installed: pip install -r python-interop/requirements.txt")
    return transformers.AutoImageProcessor.from_pretrained(str(folder))
