/// The timm `pretrained_cfg` fragment of a run: `input_size` (C, H, W), `interpolation`,
/// `mean`, `std`, `crop_pct` 1 and `crop_mode` "squash" (resize to the size, no crop:
/// the run's stretch), `num_classes`.
///
/// The timm equivalent is `timm.data.resolve_data_config(pretrained_cfg=…)` followed by
/// `timm.data.create_transform(**config)`.
enum TimmExport {
  /// The JSON text.
  static func render(_ context: ExportContext) -> String {
    let config: JSONValue = .object([
      ("input_size", .array([.int(context.channels), .int(context.height), .int(context.width)])),
      ("interpolation", .string(context.filter.rawValue)),
      ("mean", ExportContext.list(context.mean)),
      ("std", ExportContext.list(context.std)),
      ("crop_pct", .double(1)),
      ("crop_mode", .string("squash")),
      ("num_classes", .int(context.classes.count)),
      ("fixed_input_size", .bool(true)),
    ])
    return config.rendered + "\n"
  }
}
