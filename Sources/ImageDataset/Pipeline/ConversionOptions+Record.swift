extension ConversionOptions {
  /// The options as `stats.json` records them (its `options` object), for images read from
  /// `folder`. There is no NumPy equivalent.
  func record(folder: String) -> [String: String] {
    [
      "folder": folder,
      "size": size?.description ?? "original",
      "resize": "\(resizeMode)",
      "filter": "\(filter)",
      "color": "\(color)",
      "exif_orientation": "\(applyEXIFOrientation)",
      "normalize": normalization.rawValue,
      "scope": scope.rawValue,
      "stats": statistics.description,
      "seed": "\(seed)",
      "dtype": resolvedDType.rawValue,
      "layout": layout.rawValue,
    ]
  }
}
