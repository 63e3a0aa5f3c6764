"""Runs Keras's own `keras.applications.<module>.preprocess_input` on float32 .npy files, in a
process of its own (test_presets.py calls it): Keras 3 on its CPU-only JAX backend.

    python3 keras_preprocess.py MODULE IN.npy OUT.npy [MODULE IN.npy OUT.npy ...]

Prints the Keras version and backend on stdout. Exits 3, with the reason on stderr, when
Keras cannot be imported (the test then checks the NumPy reference instead). Keras and JAX
stay out of the test process: a large parent makes every later child's reported peak RSS
(wait4's ru_maxrss) at least the parent's, which the hostile-input tests bound.
"""
import importlib
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")
os.environ.setdefault("JAX_PLATFORMS", "cpu")

import numpy as np  # noqa: E402


def main(arguments):
    if not arguments or len(arguments) % 3:
        print(__doc__.strip().splitlines()[3].strip(), file=sys.stderr)
        return 2
    try:
        import keras
        modules = {name: importlib.import_module(f"keras.applications.{name}") for name in arguments[0::3]}
    except Exception as error:  # noqa: BLE001 - any import failure: the caller uses the reference
        print(f"Keras is not importable ({type(error).__name__}: {error})", file=sys.stderr)
        return 3
    print(f"Keras {keras.__version__} ({keras.backend.backend()} backend)")
    for name, source, destination in zip(arguments[0::3], arguments[1::3], arguments[2::3]):
        x = np.load(source)
        np.save(destination, np.asarray(modules[name].preprocess_input(x)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
