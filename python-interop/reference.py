"""NumPy + Pillow reference for `normtool convert`: the seeds' code, made exact.

Every step is done the plain NumPy/Pillow way, in float64, holding the whole dataset in
memory (fine for the small corpora the tests use):

    scan_folder(root)                  -> classes, files (relative), labels
    load_image(path, ...)              -> uint8 (H, W, C), like Image.open().convert().resize()
    statistics(images, scope)          -> mean, std, min, max, count on the unit scale
    normalize(pixels, mode, stats)     -> float64 values of docs/design.md §6
    sample_indices(count, k, seed)     -> the images `--stats sample:K` uses
    convert(root, **options)           -> dict of the members normtool writes (x in float64)

docs/design.md §6: x = pixel / 255; std' = max(std, 1/sqrt(n)); std is np.std (ddof 0).
"""
import json
import os

import numpy as np
from PIL import Image, ImageOps

IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png"}
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
FILTERS = {
    "nearest": Image.Resampling.NEAREST, "box": Image.Resampling.BOX,
    "bilinear": Image.Resampling.BILINEAR, "hamming": Image.Resampling.HAMMING,
    "bicubic": Image.Resampling.BICUBIC, "lanczos": Image.Resampling.LANCZOS,
}


# --- folder scan (docs/design.md §5) -------------------------------------------------------

def _is_image(name):
    return os.path.splitext(name)[1].lower() in IMAGE_EXTENSIONS


def scan_folder(root):
    """Classes = sorted non-hidden subfolders; files recursive, sorted by relative path."""
    entries = sorted(e for e in os.listdir(root) if not e.startswith("."))
    classes = [e for e in entries if os.path.isdir(os.path.join(root, e))]
    files, labels = [], []
    if not classes:
        files = [e for e in entries if _is_image(e) and os.path.isfile(os.path.join(root, e))]
        return [], files, [-1] * len(files)
    for label, name in enumerate(classes):
        found = []
        for dirpath, dirnames, filenames in os.walk(os.path.join(root, name), followlinks=False):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            rel = os.path.relpath(dirpath, root).replace(os.sep, "/")
            found += [f"{rel}/{f}" for f in filenames if not f.startswith(".") and _is_image(f)]
        found.sort()
        files += found
        labels += [label] * len(found)
    return classes, files, labels


# --- decoding and resizing (Pillow) ---------------------------------------------------------

def short_side_crop(im, short_side, size, method):
    """torchvision's Resize(short_side) + CenterCrop((h, w)) on a Pillow image: the shorter
    side to short_side, the longer to int(short_side * long / short) (torchvision's
    _compute_resized_output_size); then zero padding where the crop is larger
    ((crop - image) // 2 before) and the crop at int(round((image - crop) / 2.0))."""
    w, h = im.size
    short, long = (w, h) if w <= h else (h, w)
    new_long = int(short_side * long / short)
    new_size = (short_side, new_long) if w <= h else (new_long, short_side)
    if new_size != (w, h):
        im = im.resize(new_size, method)
    a = np.asarray(im)
    cw, ch = size
    iw, ih = new_size
    if cw > iw or ch > ih:
        left, top = max(cw - iw, 0) // 2, max(ch - ih, 0) // 2
        right, bottom = (max(cw - iw, 0) + 1) // 2, (max(ch - ih, 0) + 1) // 2
        pad = [(top, bottom), (left, right)] + [(0, 0)] * (a.ndim - 2)
        a = np.pad(a, pad)
        ih, iw = a.shape[:2]
    top, left = int(round((ih - ch) / 2.0)), int(round((iw - cw) / 2.0))
    return Image.fromarray(np.ascontiguousarray(a[top:top + ch, left:left + cw]))


def load_image(path, size=None, resize="stretch", filter="bilinear", color="rgb", short_side=None):
    """uint8 (H, W, C) the way a Pillow user gets it: open, convert, resize."""
    with Image.open(path) as im:
        im = im.convert("RGB" if color == "rgb" else "L")
        if resize == "short-side-crop":
            im = short_side_crop(im, short_side or min(size), tuple(size), FILTERS[filter])
        elif size is not None and im.size != tuple(size):
            method = FILTERS[filter]
            if resize == "stretch":
                im = im.resize(tuple(size), method)
            elif resize == "crop":
                im = ImageOps.fit(im, tuple(size), method)
            elif resize == "pad":
                im = ImageOps.pad(im, tuple(size), method, color=0)
            else:
                raise ValueError(resize)
        a = np.asarray(im, dtype=np.uint8)
    return a[:, :, None] if a.ndim == 2 else a


# --- statistics (float64, unit scale) -------------------------------------------------------

def statistics(images, scope="channel"):
    """mean, std, min, max, count of x = images / 255 over (N, H, W) per channel
    (scope 'channel') or over everything (scope 'global'). `images` is (N, H, W, C) uint8."""
    x = images.astype(np.float64) / 255.0
    axis = (0, 1, 2) if scope == "channel" else None
    mean = np.atleast_1d(x.mean(axis=axis))
    std = np.atleast_1d(x.std(axis=axis))
    lo = np.atleast_1d(x.min(axis=axis))
    hi = np.atleast_1d(x.max(axis=axis))
    n = x.size // (x.shape[-1] if scope == "channel" else 1)
    return {"mean": mean, "std": std, "min": lo, "max": hi, "count": np.full(mean.shape, float(n))}


def imagenet_statistics(channels, scope):
    if channels == 3 and scope == "channel":
        return {"mean": np.array(IMAGENET_MEAN), "std": np.array(IMAGENET_STD), "min": None, "max": None,
                "count": None}
    return {"mean": np.array([sum(IMAGENET_MEAN) / 3]), "std": np.array([sum(IMAGENET_STD) / 3]),
            "min": None, "max": None, "count": None}


def adjusted_std(stats):
    """std' = max(std, 1/sqrt(n)) (TensorFlow's per_image_standardization floor)."""
    if stats["count"] is None:
        return stats["std"]
    return np.maximum(stats["std"], 1.0 / np.sqrt(stats["count"]))


def normalize(pixels, mode, stats):
    """docs/design.md §6 on uint8 pixels (..., C) in float64; stats entries broadcast over C."""
    x = pixels.astype(np.float64) / 255.0
    if mode == "none":
        return pixels.astype(np.float64)
    if mode == "scale":
        return x
    mean = stats["mean"]
    if mode == "center":
        return x - mean
    if mode == "standardize":
        return (x - mean) / adjusted_std(stats)
    if mode == "positive":
        return (np.clip((x - mean) / adjusted_std(stats), -1.0, 1.0) + 1.0) / 2.0
    if mode == "minmax":
        lo, hi = stats["min"], stats["max"]
        span = hi - lo
        with np.errstate(divide="ignore", invalid="ignore"):
            out = (x - lo) / np.where(span == 0, 1.0, span)
        return np.where(span == 0, 0.0, out)
    raise ValueError(mode)


def framework_normalize(pixels, mean, std, scale="unit"):
    """The frameworks' float32 arithmetic on uint8 pixels (..., C): torchvision's ToTensor +
    Normalize and Keras's preprocess_input compute x = float32(p) [/ 255], x - float32(mean),
    x / float32(std), one rounding per step. std None: no division."""
    x = pixels.astype(np.float32)
    if scale == "unit":
        x = x / np.float32(255)
    x = x - np.asarray(mean, dtype=np.float32)
    if std is not None:
        x = x / np.asarray(std, dtype=np.float32)
    return x


# --- sample:K selection ---------------------------------------------------------------------

MASK64 = (1 << 64) - 1


def splitmix64(seed):
    state = seed & MASK64
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        yield z ^ (z >> 31)


def sample_indices(count, k, seed):
    """Partial Fisher-Yates driven by SplitMix64(seed); the first k indices, sorted."""
    if k >= count:
        return list(range(count))
    indices = list(range(count))
    rng = splitmix64(seed)
    for i in range(k):
        j = i + next(rng) % (count - i)
        indices[i], indices[j] = indices[j], indices[i]
    return sorted(indices[:k])


# --- the whole conversion -------------------------------------------------------------------

def convert(root, size=None, resize="stretch", filter="bilinear", color="rgb", normalize_mode="standardize",
            scope="channel", stats="dataset", seed=0, layout="nhwc"):
    """The members normtool writes, with x in float64 (cast it to compare)."""
    classes, files, labels = scan_folder(root)
    images = np.stack([load_image(os.path.join(root, f), size, resize, filter, color) for f in files])
    channels = images.shape[-1]
    groups = None  # per-image / per-batch statistics
    if stats == "dataset":
        used = statistics(images, scope)
    elif stats == "imagenet":
        used = imagenet_statistics(channels, scope)
    elif stats.startswith("sample:"):
        picked = sample_indices(len(files), int(stats[7:]), seed)
        used = statistics(images[picked], scope)
    elif stats.startswith("batch:") or stats == "image":
        n = 1 if stats == "image" else int(stats[6:])
        groups = [(s, min(s + n, len(files)), statistics(images[s:s + n], scope)) for s in range(0, len(files), n)]
        used = statistics(images, scope)
    elif stats.endswith(".json"):
        with open(stats) as f:
            saved = json.load(f)
        used = {k: (None if saved.get(k) is None else np.array(saved[k], dtype=np.float64))
                for k in ("mean", "std", "min", "max", "count")}
    else:
        raise ValueError(stats)
    if groups is None:
        x = normalize(images, normalize_mode, used)
        mean, std = used["mean"], used["std"]
    else:
        x = np.concatenate([normalize(images[s:e], normalize_mode, g) for s, e, g in groups])
        mean = np.stack([g["mean"] for _, _, g in groups])
        std = np.stack([g["std"] for _, _, g in groups])
    if layout == "nchw":
        x = x.transpose(0, 3, 1, 2)
    return {"x": x, "y": np.array(labels, dtype=np.int64), "classes": np.array(classes, dtype=str),
            "files": np.array(files, dtype=str), "mean": mean, "std": std, "stats": used, "pixels": images}
