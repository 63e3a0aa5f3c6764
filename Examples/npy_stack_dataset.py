"""A map-style dataset over `normtool shard finalize`'s output (OUT/x/0.npy ... + y.npy), NumPy only.

Each file is memory-mapped once, so memory stays flat and DataLoader workers share the page
cache; `torch.utils.data.DataLoader(NpyStackDataset(OUT), batch_size=..., shuffle=True)` works
as it is (PyTorch's map-style Dataset is any object with __getitem__ and __len__).
"""
import bisect, json, os
import numpy as np


class NpyStackDataset:
    def __init__(self, root):
        manifest = json.load(open(os.path.join(root, "manifest.json")))
        self.parts = [np.load(os.path.join(root, s["file"]), mmap_mode="r") for s in manifest["files"]]
        self.starts = [s["start"] for s in manifest["files"]]
        self.y = np.load(os.path.join(root, "y.npy"))

    def __len__(self):
        return len(self.y)

    def __getitem__(self, i):
        k = bisect.bisect_right(self.starts, i) - 1
        return np.array(self.parts[k][i - self.starts[k]]), self.y[i]
