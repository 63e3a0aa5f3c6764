"""Regenerates Samples/images: 36 small public-domain photographs in 5 classes.

    python3 Samples/make_samples.py [path/to/make_image_corpus.py]

It runs the project's corpus tool (`Benchmarks/make_image_corpus.py Samples/images --count 36
--public-domain-only --min-side 64 --max-side 160`, CC0 / public-domain scikit-image
photographs, every JPEG and PNG encoding the tool knows) with one change: each image is
fitted (centre crop, Lanczos) to 128x96 before it is encoded. All samples then share one
size, so `normtool convert Samples/images -o /tmp/samples.npz` works without `--size`
(docs/design.md §5: without --size all images must share one size).
"""
import importlib.util
import pathlib
import sys

from PIL import Image, ImageOps

HERE = pathlib.Path(__file__).resolve().parent
tool = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parent / "Benchmarks" / "make_image_corpus.py")
spec = importlib.util.spec_from_file_location("make_image_corpus", tool)
corpus = importlib.util.module_from_spec(spec)
spec.loader.exec_module(corpus)

original_make_one = corpus.make_one


def make_fixed_size(rng, src, min_side, max_side):
    return ImageOps.fit(original_make_one(rng, src, min_side, max_side), (128, 96), Image.Resampling.LANCZOS)


corpus.make_one = make_fixed_size
sys.argv = [str(tool), str(HERE / "images"), "--count", "36", "--public-domain-only",
            "--min-side", "64", "--max-side", "160"]
corpus.main()
