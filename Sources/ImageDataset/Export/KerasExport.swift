/// The Keras `Normalization` layer of a run, as JSON: `mean` and `variance` (`std′²`) on
/// the run's value scale, after a `Rescaling(1/255)` layer (`Rescaling(1)` on the 255
/// scale, `--scale 255`), which the file also describes.
///
/// The Keras equivalent is `keras.Sequential([layers.Rescaling(1/255),
/// layers.Normalization(axis=-1, mean=…, variance=…)])` (`Normalization` divides by
/// `sqrt(variance)`). A BGR run (`--channel-order bgr`, the caffe presets) adds
/// `"channel_order": "bgr"`, and a preset run its `"preset"`.
enum KerasExport {
  /// The JSON text.
  static func render(_ context: ExportContext) -> String {
    let layers: JSONValue = .array([
      .object([
        ("class_name", .string("Rescaling")),
        ("config", .object([("scale", .double(context.rescaleFactor)), ("offset", .double(0))])),
      ]),
      .object([
        ("class_name", .string("Normalization")),
        (
          "config",
          .object([
            ("axis", .int(-1)),
            ("mean", ExportContext.list(context.scaledMean)),
            ("variance", ExportContext.list(context.scaledStd.map { $0 * $0 })),
            ("invert", .bool(false)),
          ])
        ),
      ]),
    ])
    var members: [(String, JSONValue)] = [
      ("input_shape", .array([.int(context.height), .int(context.width), .int(context.channels)])),
      ("layers", layers),
    ]
    // What the layers assume of their input, written when it is not plain RGB.
    if context.channelOrder != .rgb { members.append(("channel_order", .string(context.channelOrder.rawValue))) }
    if let preset = context.preset { members.append(("preset", .string(preset))) }
    let file: JSONValue = .object(members)
    return file.rendered + "\n"
  }
}
