"""Saves a few whitened images as one viewable PNG: a grid of tiles, each image's values
mapped to 0-255 by its own range (whitened values are centred on 0 with unit variance per
component, so they need a mapping to be seen), enlarged 4x with nearest-neighbour pixels.

    python3 Examples/whitened_tiles.py DATASET.npz OUT.png [--count 16] [--columns 8]

DATASET is a `normtool convert --whiten zca ...` output (.npz with member x, or .npy): x of
shape (N, H, W, C) or (N, C, H, W) (channel or image scope; PCA over whole images has no
image shape and is refused). ZCA keeps images looking like images (edges, sharpened);
channel PCA shows decorrelated colour. Needs numpy and Pillow.
"""
import argparse
import sys

import numpy as np
from PIL import Image


def load_x(path):
    if path.endswith(".npz"):
        with np.load(path, allow_pickle=False) as data:
            return data["x"]
    return np.load(path, allow_pickle=False)


def to_hwc(x):
    """(N, H, W, C) from NHWC or NCHW (C = 1 or 3 is the smaller end axis)."""
    if x.ndim != 4:
        sys.exit(f"expected images of shape (N, H, W, C) or (N, C, H, W), found {x.shape}")
    return x if x.shape[-1] in (1, 3) else x.transpose(0, 2, 3, 1)


def tile(image, scale):
    """One image's values mapped to 0-255 by its own min and max, enlarged `scale` times."""
    low, high = float(image.min()), float(image.max())
    unit = (image - low) / (high - low) if high > low else np.zeros_like(image)
    pixels = np.round(unit * 255).astype(np.uint8)
    if pixels.shape[-1] == 1:
        pixels = pixels[..., 0]
    return pixels.repeat(scale, axis=0).repeat(scale, axis=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dataset")
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=16)
    parser.add_argument("--columns", type=int, default=8)
    parser.add_argument("--scale", type=int, default=4)
    args = parser.parse_args()
    x = to_hwc(load_x(args.dataset))
    tiles = [tile(x[i].astype(np.float64), args.scale) for i in range(min(args.count, len(x)))]
    if not tiles:
        sys.exit(f"{args.dataset}: no images")
    rows = (len(tiles) + args.columns - 1) // args.columns
    h, w = tiles[0].shape[:2]
    gap = 2
    grid = np.full((rows * (h + gap) + gap, args.columns * (w + gap) + gap) + tiles[0].shape[2:], 255, np.uint8)
    for i, t in enumerate(tiles):
        r, c = divmod(i, args.columns)
        grid[gap + r * (h + gap):gap + r * (h + gap) + h, gap + c * (w + gap):gap + c * (w + gap) + w] = t
    Image.fromarray(grid).save(args.out)
    print(f"wrote {args.out}: {len(tiles)} whitened images of {x.shape[1]}x{x.shape[2]}, {grid.shape[1]}x{grid.shape[0]} px")


if __name__ == "__main__":
    main()
