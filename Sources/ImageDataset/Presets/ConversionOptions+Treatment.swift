import Imaging

extension ConversionOptions {
  /// Takes over the treatment a statistics file records from a preset run: the preset, then
  /// the pipeline options that run used (its `options` record: size, resize, short side,
  /// filter, colour, channel order, scale, normalization, scope, layout), so a test set
  /// converted with `--stats train-stats.json` is prepared exactly as the training set was.
  /// Does nothing for a file without a preset (its options are then only a record).
  ///
  /// Options the caller sets afterwards override these, as they override a preset.
  public mutating func adoptTreatment(of report: StatisticsReport) {
    guard let name = report.preset, let preset = ModelPreset.named(name) else { return }
    preset.apply(to: &self)
    let recorded = report.options
    if let size = recorded["size"].flatMap(ImageSize.init(argument:)) { self.size = size }
    if let mode = recorded["resize"].flatMap(ResizeMode.init(rawValue:)) { resizeMode = mode }
    shortSide = recorded["short_side"].flatMap { Int($0) }
    if let filter = recorded["filter"].flatMap(ResizeFilter.init(rawValue:)) { self.filter = filter }
    if let color = recorded["color"].flatMap(ColorMode.init(rawValue:)) { self.color = color }
    channelOrder = report.channelOrder ?? channelOrder
    valueScale = report.valueScale ?? valueScale
    if let mode = recorded["normalize"].flatMap(NormalizationMode.init(rawValue:)) { normalization = mode }
    if let scope = report.scope { self.scope = scope }
    if let layout = recorded["layout"].flatMap(OutputLayout.init(rawValue:)) { self.layout = layout }
  }
}
