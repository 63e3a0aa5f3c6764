"""NumPy references for plans (issue 12): label files, label modes, splits, Keras's split.

Each function restates one rule of docs/design.md §5 ("Labels and splits") in plain Python and
NumPy, independently of normtool's code, so the interop tests can compare file for file.
"""
import csv
import json
import math
import os

import numpy as np


# --- label files ------------------------------------------------------------------------------

def read_label_rows(path, group_column=None):
    """(path, [labels], split, group) per row of a CSV/TSV/JSONL label file, as pandas would read
    it: `csv` module for CSV/TSV (header names the columns), `json` per line for JSONL."""
    ext = os.path.splitext(path)[1].lower()
    rows = []
    if ext in (".jsonl", ".ndjson"):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                obj = json.loads(line)
                label = obj.get("label")
                if label is None:
                    labels = []
                elif isinstance(label, list):
                    labels = [str(v) for v in label]
                else:
                    labels = [p.strip() for p in str(label).split("|")] if str(label).strip() else []
                group = obj.get(group_column or "group")
                rows.append((obj["path"], labels, obj.get("split") or None, None if group is None else str(group)))
        return rows
    delimiter = "\t" if ext in (".tsv", ".tab") else ","
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f, delimiter=delimiter)
        for record in reader:
            text = (record.get("label") or "").strip()
            labels = [p.strip() for p in text.split("|")] if text else []
            group = record.get(group_column or "group")
            rows.append((record["path"], labels, (record.get("split") or "").strip() or None,
                         (group or "").strip() or None))
    return rows


def class_indices(rows, classes=None):
    """(classes, [[index...] per row]): --classes order (names, else integers as indices);
    all-integer labels are indices with classes "0".."max"; else names sorted."""
    names = [label for _, labels, _, _ in rows for label in labels]
    if classes is not None:
        index = {name: i for i, name in enumerate(classes)}
        lookup = lambda label: index[label] if label in index else int(label)
    elif names and all(n.isdigit() and (n == "0" or not n.startswith("0")) for n in names):
        classes = [str(i) for i in range(max(int(n) for n in names) + 1)]
        lookup = int
    else:
        classes = sorted(set(names))
        index = {name: i for i, name in enumerate(classes)}
        lookup = index.__getitem__
    encoded = []
    for _, labels, _, _ in rows:
        row = []
        for label in labels:
            if lookup(label) not in row:
                row.append(lookup(label))
        encoded.append(row)
    return classes, encoded


def encode_labels(encoded, n_classes, mode):
    """y as Keras's label_mode yields it: int64 (N,), one-hot / multi-hot float32 (N, C),
    binary float32 (N, 1)."""
    if mode == "int":
        return np.array([r[0] if r else -1 for r in encoded], dtype=np.int64)
    if mode == "binary":
        return np.array([[r[0]] for r in encoded], dtype=np.float32)
    y = np.zeros((len(encoded), n_classes), dtype=np.float32)
    for i, r in enumerate(encoded):
        y[i, r] = 1
    return y


# --- --split ------------------------------------------------------------------------------------

def split_counts(n, fractions, training):
    """Largest remainder, ties to the earlier split; then one image to the training split when
    it got none (taken from the split with most, ties to the later)."""
    quotas = [f * n for f in fractions]
    counts = [math.floor(q) for q in quotas]
    order = sorted(range(len(fractions)), key=lambda i: (-(quotas[i] - counts[i]), i))
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    if n >= 1 and counts[training] == 0 and fractions[training] > 0:
        donor = max(range(len(counts)), key=lambda i: (counts[i], i))
        counts[donor] -= 1
        counts[training] += 1
    return counts


def assign_splits(labels, names, fractions, seed, stratify=True, fixed=None):
    """The split of each image: strata by first label (unlabeled -1 first), each permuted by one
    numpy.random.default_rng(seed) in stratum order, cut by split_counts."""
    rng = np.random.default_rng(seed)
    fixed = fixed or [None] * len(labels)
    out = list(fixed)
    training = names.index("train") if "train" in names else 0
    strata = {}
    for i, row in enumerate(labels):
        if fixed[i] is None:
            strata.setdefault((row[0] if row else -1) if stratify else 0, []).append(i)
    for key in sorted(strata):
        members = strata[key]
        counts = split_counts(len(members), fractions, training)
        perm = rng.permutation(len(members))
        position = 0
        for split, count in enumerate(counts):
            for _ in range(count):
                out[members[perm[position]]] = names[split]
                position += 1
    return out


def assign_group_splits(paths, groups, names, fractions, seed, fixed=None):
    """Whole groups (first-appearance order, permuted by default_rng(seed)), each to the split
    furthest below fraction × images (ties to the earlier split)."""
    fixed = fixed or [None] * len(paths)
    keys = [("g", g) if g is not None else ("p", p) for p, g in zip(paths, groups)]
    order, members = [], {}
    for i, key in enumerate(keys):
        if key not in members:
            order.append(key)
        members.setdefault(key, []).append(i)
    out = list(fixed)
    counts = [0] * len(names)
    free = []
    for key in order:
        splits = {fixed[i] for i in members[key] if fixed[i] is not None}
        if splits:
            (split,) = splits
            for i in members[key]:
                out[i] = split
            counts[names.index(split)] += len(members[key])
        else:
            free.append(key)
    total = len(paths)
    for k in np.random.default_rng(seed).permutation(len(free)):
        rows = members[free[k]]
        deficits = [fractions[s] * total - counts[s] for s in range(len(names))]
        best = max(range(len(names)), key=lambda s: (deficits[s], -s))
        for i in rows:
            out[i] = names[best]
        counts[best] += len(rows)
    return out


# --- --split-like keras -----------------------------------------------------------------------

KERAS_FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")


def keras_file_order(directory):
    """keras.utils.image_dataset_from_directory's file list before shuffling: non-hidden class
    folders sorted; per class, os.walk sorted by folder path, file names sorted, filtered by
    lower-case suffix (dataset_utils.index_directory / iter_valid_files)."""
    classes = [d for d in sorted(os.listdir(directory))
               if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")]
    files, labels = [], []
    for label, name in enumerate(classes):
        top = os.path.join(directory, name)
        for root, _, names in sorted(os.walk(top), key=lambda x: x[0]):
            for fname in sorted(names):
                if fname.lower().endswith(KERAS_FORMATS):
                    files.append(os.path.relpath(os.path.join(root, fname), directory).replace(os.sep, "/"))
                    labels.append(label)
    return classes, files, labels


def keras_split(directory, validation_split, seed):
    """(training files, validation files): RandomState(seed).shuffle of the file list, the last
    int(F * n) to validation (dataset_utils.get_training_or_validation_split)."""
    _, files, _ = keras_file_order(directory)
    np.random.RandomState(seed).shuffle(files)
    n_val = int(validation_split * len(files))
    return files[:-n_val], files[-n_val:]
