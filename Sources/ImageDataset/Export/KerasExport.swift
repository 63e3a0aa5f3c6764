/// The Keras `Normalization` layer of a run, as JSON: `mean` and `variance` (`std′²`) on
/// the unit scale, after a `Rescaling(1/255)` layer, which the file also describes.
///
/// The Keras equivalent is `keras.Sequential([layers.Rescaling(1/255),
/// layers.Normalization(axis=-1, mean=…, variance=…)])` (`Normalization` divides by
/// `sqrt(variance)`).
enum KerasExport {
  /// The JSON text.
  static func render(_ context: ExportContext) -> String {
    let layers: JSONValue = .array([
      .object([
        ("class_name", .string("Rescaling")),
        ("config", .object([("scale", .double(1.0 / 255.0)), ("offset", .double(0))])),
      ]),
      .object([
        ("class_name", .string("Normalization")),
        (
          "config",
          .object([
            ("axis", .int(-1)),
            ("mean", ExportContext.list(context.mean)),
            ("variance", ExportContext.list(context.std.map { $0 * $0 })),
            ("invert", .bool(false)),
          ])
        ),
      ]),
    ])
    let file: JSONValue = .object([
      ("input_shape", .array([.int(context.height), .int(context.width), .int(context.channels)])),
      ("layers", layers),
    ])
    return file.rendered + "\n"
  }
}
