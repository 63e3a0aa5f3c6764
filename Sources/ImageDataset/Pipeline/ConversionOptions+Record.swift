extension ConversionOptions {
  /// The options as `stats.json` records them (its `options` object), for images read from
  /// `folder`. There is no NumPy equivalent.
  func record(folder: String) -> [String: String] {
    var record = [
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
    // Recorded only when they differ from the defaults, so other runs' files stay as they were.
    if let preset { record["preset"] = preset }
    if !presetOverrides.isEmpty { record["preset_overrides"] = presetOverrides.joined(separator: " ") }
    if let shortSide { record["short_side"] = "\(shortSide)" }
    if channelOrder != .rgb { record["channel_order"] = channelOrder.rawValue }
    if valueScale != .unit { record["scale"] = valueScale.rawValue }
    if arithmetic != .float64 { record["arithmetic"] = arithmetic.rawValue }
    if let whitening {
      record["whiten"] = whitening.method.rawValue
      record["whiten_scope"] = whitening.scope.rawValue
      record["whiten_epsilon"] = "\(whitening.epsilon)"
    }
    if depth != .eight { record["depth"] = depth.rawValue }
    if draft { record["draft"] = "true" }
    if let alphaBackground { record["alpha_background"] = alphaBackground.argument }
    return record
  }
}

extension StatisticsReport {
  /// Records the treatment `options` give the pixels (preset, channel order, value scale),
  /// only when they are not the defaults, as `normtool convert` and `shard finalize` both
  /// write it in `stats.json`. There is no NumPy equivalent.
  mutating func recordTreatment(of options: ConversionOptions) {
    guard options.preset != nil || options.channelOrder != .rgb || options.valueScale != .unit else { return }
    preset = options.preset
    channelOrder = options.channelOrder
    valueScale = options.valueScale
  }
}
