// Imaging: filled by its issue.
