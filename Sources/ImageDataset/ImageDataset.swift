// ImageDataset: filled by its issue.
