// NPYIO: filled by its issue.
